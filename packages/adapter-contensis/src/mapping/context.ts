import type {
  Condition,
  LocalizedText,
  LossCode,
  Parameter,
  Path,
  State,
  Transition,
  Workflow,
} from "@workflow-sync/core";
import { stableStringify } from "@workflow-sync/core";
import { SYS_WORKFLOW, SYSTEM_WORKFLOW_IDS } from "../rules.ts";
import type {
  ContensisWorkflowDefinition,
  Localized,
  WireEvent,
  WireEventGroup,
  WireParameter,
  WireState,
} from "../wire.ts";

/*
 * Contensis ⇄ neutral, as fixed in docs/mapping-decisions.md ("Contensis ⇄ neutral").
 *
 * Round trips are lossless: `fromNeutral(toNeutral(x)).value` equals `x` without its server-managed
 * fields (`uuid`, `version`, `projectId`). Whatever the neutral model cannot hold goes into
 * `extensions.contensis` of the workflow, state or transition:
 *
 *   workflow   { isSystem? (predefined definitions only; never written), unknown?, hints?,
 *                groups?: { [groupKey]: { unknown?, hints? } } }
 *   state      { system?: "sysWorkflow", color? (an off-palette colour as read), uiEditorView?,
 *                entryActions?, unknown?, hints? }
 *   transition { color?, uiAction?, exitActions?, unknown?, hints?,
 *                parameters?: { [parameterKey]: { unknown?, hints? } } }
 *
 * `unknown` holds fields this adapter does not know (a newer API), written back as they were.
 * `hints` records how a field was written when the neutral value alone would write it differently
 * (`{ absent: [fields], wire: { field: rawValue } }`: a `null` or `{}` description, a missing
 * `allowUpdates`, an empty `{}` name, an id that is not a neutral key). A hint is used only while
 * the neutral value still means what the raw value meant: edit the neutral field and your edit wins.
 */

export const VENDOR = "contensis" as const;

/** The neutral key of the state that `sysWorkflow` becomes (mapping decisions). */
export const PUBLISHED_KEY = "published";

/** The event group given to events that have none (Contensis requires one on every event). */
export const DEFAULT_GROUP_ID = "transitions";

// ---------------------------------------------------------------------------------------------
// Hints

export interface Hints {
  absent?: string[];
  wire?: Record<string, unknown>;
}

export function same(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return stableStringify(a) === stableStringify(b);
}

export class Recorder {
  readonly absent: string[] = [];
  readonly wire: Record<string, unknown> = {};
  /** `raw`: the value on the wire (undefined: absent); `emitted`: what the neutral value writes back. */
  note(field: string, raw: unknown, emitted: unknown): void {
    if (raw === undefined) {
      if (emitted !== undefined) this.absent.push(field);
    } else if (!same(raw, emitted)) {
      this.wire[field] = raw;
    }
  }
  /** Keep the raw value whatever the neutral value writes (an empty `{}` name behind its placeholder). */
  keep(field: string, raw: unknown): void {
    this.wire[field] = raw;
  }
  done(): Hints | undefined {
    const hints: Hints = {};
    if (this.absent.length > 0) hints.absent = [...this.absent];
    if (Object.keys(this.wire).length > 0) hints.wire = { ...this.wire };
    return hints.absent || hints.wire ? hints : undefined;
  }
}

/** The value to write for `field`: the raw value of a hint while it still maps to `neutral`, else `emitted`. */
export function pick(
  hints: Hints | undefined,
  field: string,
  neutral: unknown,
  toNeutralValue: (raw: unknown) => unknown,
  emitted: unknown,
): unknown {
  if (hints?.absent?.includes(field) && same(toNeutralValue(undefined), neutral)) return undefined;
  if (hints?.wire && Object.hasOwn(hints.wire, field) && same(toNeutralValue(hints.wire[field]), neutral)) {
    return hints.wire[field];
  }
  return emitted;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function asHints(value: unknown): Hints | undefined {
  const record = asRecord(value);
  if (!record) return undefined;
  const hints: Hints = {};
  if (Array.isArray(record.absent)) hints.absent = record.absent.filter((item) => typeof item === "string");
  const wire = asRecord(record.wire);
  if (wire) hints.wire = wire;
  return hints;
}

/** Sets `target[field] = value` unless value is undefined. */
export function put(target: Record<string, unknown>, field: string, value: unknown): void {
  if (value !== undefined) target[field] = value;
}

export function compact<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}

// ---------------------------------------------------------------------------------------------
// Localized text

export const LOCALE_PATTERN = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;

export function nonEmpty(text: Localized | null | undefined): text is Localized {
  return !!text && Object.keys(text).length > 0;
}

export function optionalText(raw: unknown): LocalizedText | undefined {
  const record = asRecord(raw) as Localized | undefined;
  return nonEmpty(record) ? { ...record } : undefined;
}

/** A name the neutral model accepts: the text itself, or `{ [locale]: id }` when it is `{}`. */
export function nameOf(raw: Localized, id: string, locale: string): LocalizedText {
  return nonEmpty(raw) ? { ...raw } : { [locale]: id };
}

export function isPlaceholder(name: LocalizedText, id: string): boolean {
  const values = Object.values(name);
  return values.length === 1 && values[0] === id;
}

/** The wire name: the `{}` as read while the neutral name is still its placeholder. */
export function wireName(name: LocalizedText, hints: Hints | undefined, wireId: string): Localized {
  const raw = hints?.wire?.name;
  if (raw !== undefined && !nonEmpty(asRecord(raw) as Localized) && isPlaceholder(name, wireId)) {
    return (asRecord(raw) as Localized) ?? {};
  }
  return { ...name };
}

export function pickLocale(option: string | undefined, name: Localized): string {
  if (option && LOCALE_PATTERN.test(option)) return option;
  const first = Object.keys(name).find((locale) => LOCALE_PATTERN.test(locale));
  return first ?? "en-GB";
}

// ---------------------------------------------------------------------------------------------
// Keys

/** A neutral key for a Contensis id (ids that are not keys are changed; the original is hinted). */
export function keyFor(id: string, taken: Set<string>): string {
  let key = id.replace(/[^A-Za-z0-9_]/g, "_");
  if (!/^[A-Za-z_]/.test(key)) key = `_${key}`;
  key = key.slice(0, 100);
  let candidate = key;
  for (let n = 2; taken.has(candidate); n++) candidate = `${key.slice(0, 100 - String(n).length - 1)}_${n}`;
  taken.add(candidate);
  return candidate;
}

export const KNOWN_DEFINITION = new Set([
  "id",
  "uuid",
  "projectId",
  "name",
  "description",
  "states",
  "eventGroups",
  "isSystem",
  "version",
]);
export const KNOWN_STATE = new Set([
  "id",
  "name",
  "events",
  "color",
  "uiEditorView",
  "allowUpdates",
  "entryActions",
]);
export const KNOWN_EVENT = new Set([
  "id",
  "name",
  "description",
  "auditText",
  "transitionTo",
  "exitActions",
  "color",
  "groupId",
  "uiAction",
  "validate",
  "parameters",
  "invokableWhen",
]);
export const KNOWN_PARAMETER = new Set([
  "id",
  "name",
  "description",
  "dataType",
  "dataFormat",
  "default",
  "validations",
  "editor",
]);
export const KNOWN_GROUP = new Set(["id", "name"]);

export function unknownFields(
  raw: Record<string, unknown>,
  known: ReadonlySet<string>,
): Record<string, unknown> | undefined {
  const extra: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(raw)) if (!known.has(field)) extra[field] = value;
  return Object.keys(extra).length > 0 ? extra : undefined;
}

export function hasAction(actions: unknown, name: string): boolean {
  return Array.isArray(actions) && actions.some((action) => asRecord(action)?.invokeAction === name);
}

/** Where a mapping reports a loss (paths into the document being mapped). */
export type LossSink = (code: LossCode, path: Path, message: string) => void;

// ---------------------------------------------------------------------------------------------
// Parameters and guards, both ways

export const PARAMETER_TYPES = new Set(["string", "number", "boolean"]);
export const typeOf = (raw: unknown): Parameter["type"] =>
  typeof raw === "string" && PARAMETER_TYPES.has(raw) ? (raw as Parameter["type"]) : "string";
export const defaultOf = (raw: unknown): Parameter["default"] =>
  raw === undefined || raw === null
    ? null
    : typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean"
      ? raw
      : null;

export function requiredOf(raw: unknown): { required: boolean; requiredMessage?: LocalizedText } {
  const required = asRecord(asRecord(raw)?.required);
  if (!required) return { required: false };
  const message = optionalText(required.message);
  return message ? { required: true, requiredMessage: message } : { required: true };
}
export function validationsFor(parameter: Pick<Parameter, "required" | "requiredMessage">): unknown {
  return parameter.required ? { required: { message: parameter.requiredMessage ?? {} } } : {};
}

export function editorOf(raw: unknown): Parameter["editor"] {
  const editor = asRecord(raw);
  if (!editor || typeof editor.id !== "string") return undefined;
  return compact({
    key: editor.id,
    instructions: optionalText(editor.instructions),
    properties:
      editor.properties === undefined ? undefined : (editor.properties as Record<string, unknown> | null),
  });
}
export function editorFor(editor: Parameter["editor"]): unknown {
  if (!editor) return undefined;
  return { id: editor.key, instructions: editor.instructions ?? {}, properties: editor.properties ?? null };
}

export function guardOf(raw: unknown): Transition["guard"] {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  return {
    all: raw.map((item) => {
      const condition = asRecord(item) ?? {};
      return { field: String(condition.field), equals: condition.equalTo as Condition["equals"] };
    }),
  };
}
export function guardFor(guard: Transition["guard"]): unknown {
  return guard
    ? guard.all.map((condition) => ({ field: condition.field, equalTo: condition.equals }))
    : undefined;
}

export const stateColorOf = (raw: unknown) => (typeof raw === "string" && raw !== "" ? raw : undefined);

/** Events not invoked through `/workflow/events`: they fire through entry update and delete (CD key concepts). */
export const NOT_INVOKABLE = new Set(["sysUpdate", "sysDelete"]);

export function contensisOf(extensions: Workflow["extensions"] | undefined): Record<string, unknown> {
  return asRecord(extensions?.contensis) ?? {};
}

/** Whether a neutral state is Contensis's `sysWorkflow` system state rather than a state to write. */
export function isSysWorkflowState(state: State): boolean {
  if (state.kind !== "published") return false;
  const extension = asRecord(state.extensions?.contensis);
  return extension === undefined || extension.system === SYS_WORKFLOW;
}

/**
 * The definition with only the fields the Management API models (a server deserializes into its
 * model and drops the rest: ASSUMPTION, as the simulator does), for predicting a read-back.
 */
export function knownFieldsOnly(definition: ContensisWorkflowDefinition): ContensisWorkflowDefinition {
  const only = (raw: Record<string, unknown>, known: ReadonlySet<string>) =>
    Object.fromEntries(Object.entries(raw).filter(([field]) => known.has(field)));
  const out = only(definition, KNOWN_DEFINITION) as ContensisWorkflowDefinition;
  out.states = definition.states.map((state) => {
    const wireState = only(state, KNOWN_STATE) as WireState;
    wireState.events = (state.events ?? []).map((event) => {
      const wireEvent = only(event, KNOWN_EVENT) as WireEvent;
      if (event.parameters) {
        wireEvent.parameters = event.parameters.map(
          (parameter) => only(parameter, KNOWN_PARAMETER) as WireParameter,
        );
      }
      return wireEvent;
    });
    return wireState;
  });
  out.eventGroups = (definition.eventGroups ?? []).map((group) => only(group, KNOWN_GROUP) as WireEventGroup);
  return out;
}

/** Whether a neutral workflow is a Contensis system definition (read-only). */
export function isSystemWorkflow(workflow: Workflow): boolean {
  return isSystemId(workflow.key);
}

/** Whether an id is one of the predefined (system) definitions: never `isSystem` from a document. */
export function isSystemId(id: string): boolean {
  return (SYSTEM_WORKFLOW_IDS as readonly string[]).includes(id);
}
