import type { VendorAdapter } from "@workflow-sync/core";
import type { KontentEnvironmentOptions } from "./environment.ts";
import { isKontentWorkflowFile, readKontentFile } from "./file.ts";
import { fromNeutral } from "./mapping/from-neutral.ts";
import { openKontentEnvironment } from "./open.ts";
import { kontentProfile } from "./profile.ts";

/**
 * Kontent.ai as an application uses it (core's `VendorAdapter`): workflow files read and written
 * offline, environments opened, the profile. Kontent.ai's extensions hold no role or content type
 * reference, so the renames of `--map` leave them as they are.
 */
export const kontentVendor: VendorAdapter<KontentEnvironmentOptions> = {
  vendor: "kontent",
  profile: kontentProfile,
  /**
   * A workflow in the response shape (ids) or the request shape ("Add a workflow": no ids,
   * references by codename or external_id, the predefined steps with their role lists only). The
   * docs' rendered "Workflow object" example has `steps` as one object: recognised too.
   */
  recognises: isKontentWorkflowFile,
  readDocument(document, options) {
    const mapped = readKontentFile(document, options);
    return { ok: true, value: mapped.value, losses: mapped.losses };
  },
  writeDocument(workflow, options) {
    // Offline: no environment to resolve role names to ids, so names stand in their place.
    return fromNeutral(workflow, { roles: "names", environment: "(offline)", ...options });
  },
  /** Reads go out before the mapping is loaded (open.ts); see `openKontentEnvironment`. */
  openEnvironment: openKontentEnvironment,
  renameReferences: (workflow) => workflow,
};
