import type { VendorAdapter } from "@workflow-sync/core";
import { KontentEnvironment, type KontentEnvironmentOptions } from "./environment.ts";
import { readKontentFile } from "./file.ts";
import { fromNeutral } from "./mapping/from-neutral.ts";
import { kontentProfile } from "./profile.ts";

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

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
  recognises: (document) =>
    isObject(document) &&
    (Array.isArray(document.steps) || isObject(document.steps)) &&
    (isObject(document.published_step) || isObject(document.archived_step)) &&
    !Array.isArray(document.states),
  readDocument(document, options) {
    const mapped = readKontentFile(document, options);
    return { ok: true, value: mapped.value, losses: mapped.losses };
  },
  writeDocument(workflow, options) {
    // Offline: no environment to resolve role names to ids, so names stand in their place.
    return fromNeutral(workflow, { roles: "names", environment: "(offline)", ...options });
  },
  openEnvironment(options) {
    const environment = new KontentEnvironment(options);
    return { environment, writeConcurrency: environment.client.pacer.writeConcurrency };
  },
  renameReferences: (workflow) => workflow,
};
