import type { VendorAdapter } from "@workflow-sync/core";
import { checkDefinition } from "./definition-rules.ts";
import { ContensisEnvironment, type ContensisEnvironmentOptions } from "./environment.ts";
import { renameGrantReferences } from "./grants.ts";
import { fromNeutral, toNeutral } from "./mapping.ts";
import { contensisProfile } from "./profile.ts";
import { parseWire, WireWorkflowDefinition } from "./wire.ts";

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * Contensis as an application uses it (core's `VendorAdapter`): workflow definitions read and
 * written offline, environments opened, the profile, and the grant records of the extensions
 * following the renames of `--map`.
 */
export const contensisVendor: VendorAdapter<ContensisEnvironmentOptions> = {
  vendor: "contensis",
  profile: contensisProfile,
  /** A workflow definition: `states`, with `eventGroups` or states that list `events`. */
  recognises: (document) =>
    isObject(document) &&
    Array.isArray(document.states) &&
    (document.eventGroups !== undefined ||
      document.states.some((state) => isObject(state) && Array.isArray(state.events))),
  readDocument(document, options) {
    const definition = parseWire(WireWorkflowDefinition, document, options.what);
    // Contensis's own rules on the definition as written (its ids are never renamed): a broken
    // rule is an error with the vendor's field path, and the definition is not mapped.
    const issues = checkDefinition(definition);
    if (issues.length > 0) return { ok: false, issues };
    const mapped = toNeutral(definition, options.locale ? { locale: options.locale } : {});
    return { ok: true, value: mapped.value, losses: mapped.losses };
  },
  writeDocument: (workflow) => fromNeutral(workflow),
  openEnvironment(options) {
    const environment = new ContensisEnvironment(options);
    return { environment, writeConcurrency: environment.client.pacer.writeConcurrency };
  },
  renameReferences: renameGrantReferences,
};
