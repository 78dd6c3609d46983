import type { VendorAdapter } from "@workflow-sync/core";
import type { ContensisEnvironmentOptions } from "./environment.ts";
import { DefinitionRulesError } from "./errors.ts";
import { isContensisDefinitionFile, readContensisFile } from "./file.ts";
import { renameGrantReferences } from "./grants.ts";
import { fromNeutral } from "./mapping/from-neutral.ts";
import { openContensisEnvironment } from "./open.ts";
import { contensisProfile } from "./profile.ts";

/**
 * Contensis as an application uses it (core's `VendorAdapter`): workflow definitions read and
 * written offline, environments opened, the profile, and the grant records of the extensions
 * following the renames of `--map`.
 */
export const contensisVendor: VendorAdapter<ContensisEnvironmentOptions> = {
  vendor: "contensis",
  profile: contensisProfile,
  /** A workflow definition: `states`, with `eventGroups` or states that list `events`. */
  recognises: isContensisDefinitionFile,
  readDocument(document, options) {
    // Contensis's own rules on the definition as written (its ids are never renamed): a broken
    // rule is an issue with the vendor's field path, and the definition is not mapped.
    try {
      const mapped = readContensisFile(document, options);
      return { ok: true, value: mapped.value, losses: mapped.losses };
    } catch (error) {
      if (error instanceof DefinitionRulesError) return { ok: false, issues: error.issues };
      throw error;
    }
  },
  writeDocument: (workflow) => fromNeutral(workflow),
  /** The token request and the reads go out before the mapping is loaded (open.ts); see `openContensisEnvironment`. */
  openEnvironment: openContensisEnvironment,
  renameReferences: renameGrantReferences,
};
