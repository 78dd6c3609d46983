import type { VendorProfile } from "@workflow-sync/core";
import { KONTENT_COLORS, kontentIssues, LENGTH_LIMITS } from "./rules.ts";

/*
 * Kontent.ai's profile: the `VendorProfile` (core's interface) that core's checks and the CLI's
 * `validate --vendor kontent` run, built from the documented rules in rules.ts.
 */

/** Kontent.ai's profile: its limits, its step palette and what it cannot hold. */
export const kontentProfile: VendorProfile = {
  vendor: "kontent",
  displayName: "Kontent.ai",
  limits: LENGTH_LIMITS,
  palettes: { step: KONTENT_COLORS },
  checkPortability: kontentIssues,
};
