import { contensisProfile } from "@workflow-sync/adapter-contensis";
import { kontentProfile } from "@workflow-sync/adapter-kontent";
import { VENDORS } from "@workflow-sync/core";
import { describe, expect, it } from "vitest";
import { vendorProfile } from "./profiles.ts";

describe("vendorProfile", () => {
  it("gives each vendor's profile from its adapter, for every vendor core knows", async () => {
    const profiles = await Promise.all(VENDORS.map(vendorProfile));
    expect(profiles.map((profile) => profile.vendor)).toEqual([...VENDORS]);
    expect(await vendorProfile("kontent")).toBe(kontentProfile);
    expect(await vendorProfile("contensis")).toBe(contensisProfile);
  });
});
