import type { MappingResult, Workflow } from "@workflow-sync/core";
import { DefinitionRulesError } from "./errors.ts";
import { toNeutral } from "./mapping/to-neutral.ts";
import { checkDefinition } from "./rules.ts";
import { parseWire, WireWorkflowDefinition } from "./wire.ts";

/*
 * Contensis's own file format: a workflow definition document as the Management API sends and
 * takes it (`GET`/`POST …/workflow/definitions`, https://github.com/contensis/docs-management-http
 * workflow-definitions/*.md), read offline into the neutral model.
 */

/** Whether a value looks like a Contensis workflow definition (states, with events or event groups). */
export function isContensisDefinitionFile(value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return (
    Array.isArray(record.states) &&
    (record.eventGroups !== undefined ||
      record.states.some(
        (state) =>
          state !== null &&
          typeof state === "object" &&
          Array.isArray((state as { events?: unknown }).events),
      ))
  );
}

export interface ReadFileOptions {
  /** The locale of generated names (`{}` names, the `published` state); default: the definition name's first. */
  locale?: string;
  /** For messages: the file (and index) read. */
  what: string;
}

/**
 * A Contensis workflow definition document in neutral form, offline. Throws a
 * `ContensisResponseError` naming each path when the document does not have a definition's shape,
 * and a `DefinitionRulesError` whose `issues` (paths into the definition, as the vendor names its
 * fields: `states[1].events[0].id`) list every Contensis rule it breaks: such a definition is not
 * mapped (this tool never renames a Contensis id).
 */
export function readContensisFile(document: unknown, options: ReadFileOptions): MappingResult<Workflow> {
  const definition = parseWire(WireWorkflowDefinition, document, options.what);
  const broken = checkDefinition(definition);
  if (broken.length > 0) throw new DefinitionRulesError(definition.id, broken, options.what);
  return toNeutral(definition, options.locale ? { locale: options.locale } : {});
}
