import type { Issue } from "../issues.ts";
import type { Workflow } from "../model.ts";
import type { VendorProfile } from "../profile.ts";

/* Portability: each vendor's rules live in its adapter's profile (profile.ts). */

/**
 * What the vendor of `profile` cannot hold, as warnings tagged with the vendor; each message names
 * the rule and its limit. A warning here becomes a loss when the workflow is written to that vendor.
 */
export function checkPortability(workflow: Workflow, profile: VendorProfile): Issue[] {
  if (typeof profile !== "object" || profile === null || typeof profile.checkPortability !== "function") {
    throw new TypeError(
      `checkPortability: pass a vendor profile (each vendor adapter exports one), not ${JSON.stringify(profile)}`,
    );
  }
  return profile.checkPortability(workflow);
}

/** The portability issues of `workflow` for each profile, in order; a profile given twice counts once. */
export function portabilityIssues(workflow: Workflow, profiles: readonly VendorProfile[]): Issue[] {
  return [...new Set(profiles)].flatMap((profile) => checkPortability(workflow, profile));
}
