import type { Vendor, VendorProfile } from "@workflow-sync/core";

/**
 * A vendor's profile (its limits, palettes and portability checks), from that vendor's adapter: the
 * CLI holds no vendor rule of its own. Imported on demand, so that a command that needs no vendor
 * (`validate` without `--vendor`) does not load the adapters.
 */
export async function vendorProfile(vendor: Vendor): Promise<VendorProfile> {
  switch (vendor) {
    case "kontent":
      return (await import("@workflow-sync/adapter-kontent")).kontentProfile;
    case "contensis":
      return (await import("@workflow-sync/adapter-contensis")).contensisProfile;
  }
}
