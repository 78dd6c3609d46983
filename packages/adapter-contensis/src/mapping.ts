import type {
  Condition,
  Group,
  LocalizedText,
  Loss,
  LossCode,
  MappingResult,
  Parameter,
  Path,
  State,
  StateKind,
  Transition,
  Workflow,
} from "@workflow-sync/core";
import { effectiveRoles, NO_ROLE, stableStringify } from "@workflow-sync/core";
import { PARAMETER_EDITORS } from "./definition-rules.ts";
import type { WantedGrant, WorkflowGrants } from "./grants.ts";
import { type Grant, grantedRoles, type RoleGrants, WORKFLOW_ACTIONS } from "./roles.ts";
import { extraScopes } from "./scopes.ts";
import { addUnpublish, isUnpublishState, isUnpublishTransition, recordedUnpublish } from "./unpublish.ts";
import {
  BUTTON_COLORS,
  breaksRule,
  EVENT_ID_RULE,
  fitId,
  GROUP_ID_RULE,
  type IdRule,
  LEGACY_COLORS,
  PARAMETER_ID_RULE,
  STATE_COLORS,
  STATE_ID_RULE,
  SYS_WORKFLOW,
  SYSTEM_WORKFLOW_IDS,
  WORKFLOW_ID_RULE,
} from "./vendor-rules.ts";
import type {
  ContensisWorkflowDefinition,
  Localized,
  WireEvent,
  WireEventGroup,
  WireParameter,
  WireState,
} from "./wire.ts";

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

interface Hints {
  absent?: string[];
  wire?: Record<string, unknown>;
}

function same(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return stableStringify(a) === stableStringify(b);
}

class Recorder {
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
function pick(
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

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function asHints(value: unknown): Hints | undefined {
  const record = asRecord(value);
  if (!record) return undefined;
  const hints: Hints = {};
  if (Array.isArray(record.absent)) hints.absent = record.absent.filter((item) => typeof item === "string");
  const wire = asRecord(record.wire);
  if (wire) hints.wire = wire;
  return hints;
}

/** Sets `target[field] = value` unless value is undefined. */
function put(target: Record<string, unknown>, field: string, value: unknown): void {
  if (value !== undefined) target[field] = value;
}

function compact<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}

// ---------------------------------------------------------------------------------------------
// Localized text

const LOCALE_PATTERN = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;

function nonEmpty(text: Localized | null | undefined): text is Localized {
  return !!text && Object.keys(text).length > 0;
}

function optionalText(raw: unknown): LocalizedText | undefined {
  const record = asRecord(raw) as Localized | undefined;
  return nonEmpty(record) ? { ...record } : undefined;
}

/** A name the neutral model accepts: the text itself, or `{ [locale]: id }` when it is `{}`. */
function nameOf(raw: Localized, id: string, locale: string): LocalizedText {
  return nonEmpty(raw) ? { ...raw } : { [locale]: id };
}

function isPlaceholder(name: LocalizedText, id: string): boolean {
  const values = Object.values(name);
  return values.length === 1 && values[0] === id;
}

/** The wire name: the `{}` as read while the neutral name is still its placeholder. */
function wireName(name: LocalizedText, hints: Hints | undefined, wireId: string): Localized {
  const raw = hints?.wire?.name;
  if (raw !== undefined && !nonEmpty(asRecord(raw) as Localized) && isPlaceholder(name, wireId)) {
    return (asRecord(raw) as Localized) ?? {};
  }
  return { ...name };
}

function pickLocale(option: string | undefined, name: Localized): string {
  if (option && LOCALE_PATTERN.test(option)) return option;
  const first = Object.keys(name).find((locale) => LOCALE_PATTERN.test(locale));
  return first ?? "en-GB";
}

// ---------------------------------------------------------------------------------------------
// Keys

/** A neutral key for a Contensis id (ids that are not keys are changed; the original is hinted). */
function keyFor(id: string, taken: Set<string>): string {
  let key = id.replace(/[^A-Za-z0-9_]/g, "_");
  if (!/^[A-Za-z_]/.test(key)) key = `_${key}`;
  key = key.slice(0, 100);
  let candidate = key;
  for (let n = 2; taken.has(candidate); n++) candidate = `${key.slice(0, 100 - String(n).length - 1)}_${n}`;
  taken.add(candidate);
  return candidate;
}

const KNOWN_DEFINITION = new Set([
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
const KNOWN_STATE = new Set([
  "id",
  "name",
  "events",
  "color",
  "uiEditorView",
  "allowUpdates",
  "entryActions",
]);
const KNOWN_EVENT = new Set([
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
const KNOWN_PARAMETER = new Set([
  "id",
  "name",
  "description",
  "dataType",
  "dataFormat",
  "default",
  "validations",
  "editor",
]);
const KNOWN_GROUP = new Set(["id", "name"]);

function unknownFields(
  raw: Record<string, unknown>,
  known: ReadonlySet<string>,
): Record<string, unknown> | undefined {
  const extra: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(raw)) if (!known.has(field)) extra[field] = value;
  return Object.keys(extra).length > 0 ? extra : undefined;
}

function hasAction(actions: unknown, name: string): boolean {
  return Array.isArray(actions) && actions.some((action) => asRecord(action)?.invokeAction === name);
}

// ---------------------------------------------------------------------------------------------
// Contensis → neutral

export interface ToNeutralOptions {
  /** The locale of generated names (`{}` names, the `published` state); default: the definition name's first. */
  locale?: string;
  /** Content types whose `workflowId` is this definition: the neutral `scope.contentTypes`. */
  contentTypes?: readonly string[];
  /** Who may fire each event, from the environment's roles (`grantsFromRoles`). */
  roleGrants?: RoleGrants;
}

const PARAMETER_TYPES = new Set(["string", "number", "boolean"]);
const typeOf = (raw: unknown): Parameter["type"] =>
  typeof raw === "string" && PARAMETER_TYPES.has(raw) ? (raw as Parameter["type"]) : "string";
const defaultOf = (raw: unknown): Parameter["default"] =>
  raw === undefined || raw === null
    ? null
    : typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean"
      ? raw
      : null;

function requiredOf(raw: unknown): { required: boolean; requiredMessage?: LocalizedText } {
  const required = asRecord(asRecord(raw)?.required);
  if (!required) return { required: false };
  const message = optionalText(required.message);
  return message ? { required: true, requiredMessage: message } : { required: true };
}
function validationsFor(parameter: Pick<Parameter, "required" | "requiredMessage">): unknown {
  return parameter.required ? { required: { message: parameter.requiredMessage ?? {} } } : {};
}

function editorOf(raw: unknown): Parameter["editor"] {
  const editor = asRecord(raw);
  if (!editor || typeof editor.id !== "string") return undefined;
  return compact({
    key: editor.id,
    instructions: optionalText(editor.instructions),
    properties:
      editor.properties === undefined ? undefined : (editor.properties as Record<string, unknown> | null),
  });
}
function editorFor(editor: Parameter["editor"]): unknown {
  if (!editor) return undefined;
  return { id: editor.key, instructions: editor.instructions ?? {}, properties: editor.properties ?? null };
}

function guardOf(raw: unknown): Transition["guard"] {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  return {
    all: raw.map((item) => {
      const condition = asRecord(item) ?? {};
      return { field: String(condition.field), equals: condition.equalTo as Condition["equals"] };
    }),
  };
}
function guardFor(guard: Transition["guard"]): unknown {
  return guard
    ? guard.all.map((condition) => ({ field: condition.field, equalTo: condition.equals }))
    : undefined;
}

/**
 * The nearest Contensis state colour (red, green, orange, blue, gray, violet, charcoal, cobalt, pink,
 * ruby, teal, yellow) for each Kontent.ai step colour (SDK `WorkflowColor`) and a few common names.
 * ASSUMPTION: judged by name and hue; neither vendor publishes colour values.
 */
const NEAREST_STATE_COLOR: Readonly<Record<string, string>> = {
  grey: "gray",
  rose: "ruby",
  "light-purple": "violet",
  "dark-purple": "violet",
  purple: "violet",
  "dark-blue": "cobalt",
  "light-blue": "blue",
  "sky-blue": "blue",
  cyan: "blue",
  "mint-green": "teal",
  "persian-green": "teal",
  "dark-green": "green",
  "light-green": "green",
  brown: "orange",
  black: "charcoal",
  white: "gray",
};

/** Button colours, and the legacy ones the DMH examples (and so the system definitions) use. */
function isButtonColor(color: string): boolean {
  return (
    (BUTTON_COLORS as readonly string[]).includes(color) ||
    (LEGACY_COLORS as readonly string[]).includes(color)
  );
}

const stateColorOf = (raw: unknown) => (typeof raw === "string" && raw !== "" ? raw : undefined);

/**
 * A Contensis workflow definition in the neutral model. Losses (paths into the Contensis
 * definition) are rare: ids that are not neutral keys, role grants narrower than the neutral model
 * can say, events no role grants.
 */
export function toNeutral(
  definition: ContensisWorkflowDefinition,
  options: ToNeutralOptions = {},
): MappingResult<Workflow> {
  const losses: Loss[] = [];
  const loss = (code: LossCode, path: Path, message: string) =>
    losses.push({ code, path, message, vendor: VENDOR });
  const locale = pickLocale(options.locale, definition.name);
  const workflowHints = new Recorder();

  const workflowKey = keyFor(definition.id, new Set());
  workflowHints.note("id", definition.id, workflowKey);
  if (workflowKey !== definition.id) {
    loss(
      "invalid_key",
      ["id"],
      `"${definition.id}" is not a neutral key; it is "${workflowKey}" (the id is kept for Contensis)`,
    );
  }
  if (!nonEmpty(definition.name)) workflowHints.keep("name", definition.name);
  const description = optionalText(definition.description);
  workflowHints.note("description", definition.description, description);

  // Event groups.
  const groupKeys = new Map<string, string>();
  const takenGroups = new Set<string>();
  const groupExtensions: Record<string, unknown> = {};
  const groups: Group[] = (definition.eventGroups ?? []).map((group: WireEventGroup) => {
    const key = keyFor(group.id, takenGroups);
    groupKeys.set(group.id, key);
    const hints = new Recorder();
    hints.note("id", group.id, key);
    if (!nonEmpty(group.name)) hints.keep("name", group.name);
    const unknown = unknownFields(group, KNOWN_GROUP);
    const done = hints.done();
    if (unknown || done) groupExtensions[key] = compact({ unknown, hints: done });
    return { key, name: nameOf(group.name, group.id, locale) };
  });
  workflowHints.note("eventGroups", definition.eventGroups, definition.eventGroups ?? []);
  const groupKeyOf = (id: string) => groupKeys.get(id) ?? keyFor(id, new Set());

  // States.
  const stateKeys = new Map<string, string>();
  const takenStates = new Set<string>();
  for (const state of definition.states) stateKeys.set(state.id, keyFor(state.id, takenStates));
  const usesSysWorkflow = definition.states.some((state) =>
    (state.events ?? []).some((event) => event.transitionTo === SYS_WORKFLOW),
  );
  const publishedKey = takenStates.has(PUBLISHED_KEY) ? keyFor(SYS_WORKFLOW, takenStates) : PUBLISHED_KEY;
  const stateKeyOf = (id: string) =>
    id === SYS_WORKFLOW ? publishedKey : (stateKeys.get(id) ?? keyFor(id, new Set()));
  const publishedByAction = new Set<string>();
  for (const state of definition.states) {
    for (const event of state.events ?? []) {
      if (event.transitionTo && hasAction(event.exitActions, "publishEntry"))
        publishedByAction.add(event.transitionTo);
    }
  }

  const states: State[] = [];
  const transitions: Transition[] = [];
  definition.states.forEach((state: WireState, stateIndex) => {
    const key = stateKeyOf(state.id);
    const hints = new Recorder();
    hints.note("id", state.id, key);
    if (key !== state.id) {
      loss("invalid_key", ["states", stateIndex, "id"], `"${state.id}" is not a neutral key; it is "${key}"`);
    }
    if (!nonEmpty(state.name)) hints.keep("name", state.name);
    const color = stateColorOf(state.color);
    hints.note("color", state.color, color);
    const editable = state.allowUpdates ?? true;
    hints.note("allowUpdates", state.allowUpdates, editable);
    hints.note("events", state.events, state.events ?? []);
    const kind: StateKind =
      stateIndex === 0 ? "initial" : publishedByAction.has(state.id) ? "published" : "step";
    const extension: Record<string, unknown> = {};
    if (color !== undefined && !(STATE_COLORS as readonly string[]).includes(color)) extension.color = color;
    if (state.uiEditorView !== undefined) extension.uiEditorView = state.uiEditorView;
    if (state.entryActions !== undefined) extension.entryActions = state.entryActions;
    put(extension, "unknown", unknownFields(state, KNOWN_STATE));
    put(extension, "hints", hints.done());
    states.push(
      compact({
        key,
        name: nameOf(state.name, state.id, locale),
        kind,
        color,
        editable,
        roles: [],
        extensions: Object.keys(extension).length > 0 ? { contensis: extension } : {},
      }) as State,
    );

    const takenEvents = new Set<string>();
    (state.events ?? []).forEach((event: WireEvent, eventIndex) => {
      const path: Path = ["states", stateIndex, "events", eventIndex];
      transitions.push(
        eventToTransition(event, {
          definitionId: definition.id,
          stateId: state.id,
          from: key,
          key: keyFor(event.id, takenEvents),
          locale,
          path,
          stateKeyOf,
          groupKeyOf,
          roleGrants: options.roleGrants,
          loss,
        }),
      );
    });
  });

  if (usesSysWorkflow) {
    states.push({
      key: publishedKey,
      name: { [locale]: "Published" },
      kind: "published",
      editable: true,
      roles: [],
      extensions: { contensis: { system: SYS_WORKFLOW } },
    });
  }
  // Who may unpublish: a published → archived transition, as Kontent.ai's mapping says it (unpublish.ts).
  if (options.roleGrants)
    addUnpublish(states, transitions, options.roleGrants(definition.id, undefined, "sysUnpublish"), {
      workflowId: definition.id,
      locale,
      loss,
    });
  if (definition.states.length === 0) {
    loss("structure", ["states"], "the definition has no states; the neutral model needs at least one");
  }

  const extension: Record<string, unknown> = {};
  // `isSystem` is the server's to say and only the predefined definitions are system ones: the
  // field is not trusted from a document (the docs' own custom example carries `isSystem: true`).
  if (isSystemId(definition.id)) extension.isSystem = true;
  if (options.roleGrants) {
    // Who may create entries and who may unpublish: workflow-level actions, not events of a state.
    const permissions: Record<string, unknown> = {};
    for (const action of WORKFLOW_ACTIONS) {
      permissions[action] = grantRecord(options.roleGrants(definition.id, undefined, action));
    }
    extension.permissions = permissions;
  }
  put(extension, "unknown", unknownFields(definition, KNOWN_DEFINITION));
  put(extension, "hints", workflowHints.done());
  if (Object.keys(groupExtensions).length > 0) extension.groups = groupExtensions;

  const workflow = compact({
    key: workflowKey,
    name: nameOf(definition.name, definition.id, locale),
    description,
    scope: { contentTypes: [...(options.contentTypes ?? [])], collections: [] },
    initial: states[0]?.key ?? "",
    states,
    transitions,
    groups,
    extensions: Object.keys(extension).length > 0 ? { contensis: extension } : {},
  }) as Workflow;
  return { value: workflow, losses };
}

/**
 * Grants in neutral form: the role names, and (only when some grant is narrower than every
 * content type and language) where each role may act. Kept in `extensions.contensis` so that a
 * Contensis → Contensis sync writes the same limits.
 */
export interface GrantRecord {
  roles: string[];
  limits?: Record<string, { contentTypes?: string[] | undefined; languages?: string[] | undefined }>;
}

function grantRecord(grants: readonly Grant[]): GrantRecord {
  const limits: NonNullable<GrantRecord["limits"]> = {};
  for (const grant of grants) {
    if (!grant.contentTypes && !grant.languages) continue;
    limits[grant.role] = compact({ contentTypes: grant.contentTypes, languages: grant.languages });
  }
  const roles = grants.map((grant) => grant.role);
  return Object.keys(limits).length > 0 ? { roles, limits } : { roles };
}

interface EventContext {
  definitionId: string;
  stateId: string;
  from: string;
  key: string;
  locale: string;
  path: Path;
  stateKeyOf: (id: string) => string;
  groupKeyOf: (id: string) => string;
  roleGrants: RoleGrants | undefined;
  loss: (code: LossCode, path: Path, message: string) => void;
}

/** Events not invoked through `/workflow/events`: they fire through entry update and delete (CD key concepts). */
const NOT_INVOKABLE = new Set(["sysUpdate", "sysDelete"]);

function eventToTransition(event: WireEvent, context: EventContext): Transition {
  const { key, locale, path, loss } = context;
  const hints = new Recorder();
  hints.note("id", event.id, key);
  if (key !== event.id)
    loss("invalid_key", [...path, "id"], `"${event.id}" is not a neutral key; it is "${key}"`);
  if (!nonEmpty(event.name)) hints.keep("name", event.name);
  const description = optionalText(event.description);
  hints.note("description", event.description, description);
  const auditText = optionalText(event.auditText);
  hints.note("auditText", event.auditText, auditText);
  const to = event.transitionTo ? context.stateKeyOf(event.transitionTo) : null;
  hints.note("transitionTo", event.transitionTo, event.transitionTo ? event.transitionTo : null);
  const group = event.groupId ? context.groupKeyOf(event.groupId) : undefined;
  // absent or null: written back as they were, not as the default group a foreign event gets
  hints.note("groupId", event.groupId, event.groupId ? event.groupId : DEFAULT_GROUP_ID);
  const validate = event.validate ?? hasAction(event.exitActions, "validateEntry");
  hints.note("validate", event.validate, validate);
  const guard = guardOf(event.invokableWhen);
  hints.note("invokableWhen", event.invokableWhen, guardFor(guard));
  hints.note("parameters", event.parameters, event.parameters ?? []);

  const takenParameters = new Set<string>();
  const parameterExtensions: Record<string, unknown> = {};
  const parameters = (event.parameters ?? []).map((parameter: WireParameter, index) => {
    const parameterKey = keyFor(parameter.id, takenParameters);
    const { value, extension } = parameterToNeutral(parameter, parameterKey, locale);
    if (parameterKey !== parameter.id) {
      loss(
        "invalid_key",
        [...path, "parameters", index, "id"],
        `"${parameter.id}" is not a neutral key; it is "${parameterKey}"`,
      );
    }
    if (extension) parameterExtensions[parameterKey] = extension;
    return value;
  });

  let roles: string[] = [];
  if (context.roleGrants) {
    const grants = context.roleGrants(context.definitionId, context.stateId, event.id);
    roles = grants.map((grant) => grant.role);
    for (const grant of grants) {
      const limits = [
        grant.contentTypes ? `content types ${grant.contentTypes.join(", ")}` : "",
        grant.languages ? `languages ${grant.languages.join(", ")}` : "",
      ].filter(Boolean);
      if (limits.length > 0) {
        loss(
          "role_granularity",
          path,
          `role "${grant.role}" may fire "${context.definitionId}.${context.stateId}.${event.id}" only for ${limits.join(" and ")}; kept for Contensis (extensions.contensis.grants), other vendors get the role without that limit`,
        );
      }
    }
    // Granted to no role: nobody may fire it (an empty list would mean anyone).
    if (roles.length === 0) roles = [NO_ROLE];
  }

  const extension: Record<string, unknown> = {};
  if (context.roleGrants) {
    const grants = context.roleGrants(context.definitionId, context.stateId, event.id);
    const limited = grantRecord(grants).limits;
    if (limited) extension.grants = limited;
  }
  if (event.color !== undefined) extension.color = event.color;
  if (event.uiAction !== undefined) extension.uiAction = event.uiAction;
  if (event.exitActions !== undefined) extension.exitActions = event.exitActions;
  put(extension, "unknown", unknownFields(event, KNOWN_EVENT));
  put(extension, "hints", hints.done());
  if (Object.keys(parameterExtensions).length > 0) extension.parameters = parameterExtensions;

  return compact({
    key,
    from: context.from,
    to,
    name: nameOf(event.name, event.id, locale),
    description,
    auditText,
    group,
    roles,
    parameters,
    guard,
    validate,
    extensions: Object.keys(extension).length > 0 ? { contensis: extension } : {},
  }) as Transition;
}

function parameterToNeutral(
  parameter: WireParameter,
  key: string,
  locale: string,
): { value: Parameter; extension: Record<string, unknown> | undefined } {
  const hints = new Recorder();
  hints.note("id", parameter.id, key);
  if (!nonEmpty(parameter.name)) hints.keep("name", parameter.name);
  const description = optionalText(parameter.description);
  hints.note("description", parameter.description, description);
  const type = typeOf(parameter.dataType);
  hints.note("dataType", parameter.dataType, type);
  const defaultValue = defaultOf(parameter.default);
  hints.note("default", parameter.default, defaultValue);
  const required = requiredOf(parameter.validations);
  hints.note("validations", parameter.validations, validationsFor(required));
  const editor = editorOf(parameter.editor);
  hints.note("editor", parameter.editor, editorFor(editor));
  // `dataFormat: null` (every docs example) means no format: absent in neutral, as a neutral file
  // writes it; the null is hinted so that a round trip writes it back.
  const format = parameter.dataFormat ?? undefined;
  hints.note("dataFormat", parameter.dataFormat, format);
  const value = compact({
    key,
    name: nameOf(parameter.name, parameter.id, locale),
    description,
    type,
    format,
    required: required.required,
    requiredMessage: required.requiredMessage,
    default: defaultValue,
    editor,
  }) as Parameter;
  const extension = compact({ unknown: unknownFields(parameter, KNOWN_PARAMETER), hints: hints.done() });
  return { value, extension: Object.keys(extension).length > 0 ? extension : undefined };
}

// ---------------------------------------------------------------------------------------------
// neutral → Contensis

export interface FromNeutralOptions {
  /**
   * What the target environment's roles grant (`grantsFromRoles`). With it, transition roles that
   * the target already grants exactly are not a loss; without it every non-empty role list is one
   * (this tool does not write role permissions).
   */
  roleGrants?: RoleGrants;
  /**
   * Set by an environment that plans role writes (`"write"`) or reports grant differences without
   * writing them (`"report"`): role differences are then not losses of the definition; the
   * environment plans (or reports) them from the `grants` of the result.
   */
  grants?: "write" | "report";
}

/** What a workflow wants granted on roles, besides the definition (see `grants.ts`). */
export interface ContensisMappingResult extends MappingResult<ContensisWorkflowDefinition> {
  grants: WorkflowGrants;
}

function limitsOf(value: unknown): NonNullable<GrantRecord["limits"]> {
  const record = asRecord(value) ?? {};
  const out: NonNullable<GrantRecord["limits"]> = {};
  for (const [role, raw] of Object.entries(record)) {
    const limit = asRecord(raw) ?? {};
    const list = (v: unknown) =>
      Array.isArray(v) && v.every((item) => typeof item === "string") ? [...(v as string[])] : undefined;
    out[role] = compact({ contentTypes: list(limit.contentTypes), languages: list(limit.languages) });
  }
  return out;
}

function wantedOf(roles: readonly string[], limits: unknown): WantedGrant[] {
  const byRole = limitsOf(limits);
  return [...new Set(roles)].sort().map((role) => ({ role, ...(byRole[role] ?? {}) }));
}

function contensisOf(extensions: Workflow["extensions"] | undefined): Record<string, unknown> {
  return asRecord(extensions?.contensis) ?? {};
}

/** Whether a neutral state is Contensis's `sysWorkflow` system state rather than a state to write. */
export function isSysWorkflowState(state: State): boolean {
  if (state.kind !== "published") return false;
  const extension = asRecord(state.extensions?.contensis);
  return extension === undefined || extension.system === SYS_WORKFLOW;
}

const IMPLICIT_REASONS: Record<string, string> = {
  unpublish:
    "Contensis unpublishes with its built-in sysUnpublish event, not with a defined transition; who may unpublish is granted {workflowId}.sysUnpublish on roles instead",
  create_new_version:
    "Contensis starts a new version by itself: saving a published entry (sysUpdate) moves it back to the first state",
  restore: "Contensis has no archived state to restore from",
};

function idFor(
  key: string,
  rule: IdRule,
  hintedId: unknown,
  taken: Set<string>,
  path: Path,
  loss: (code: LossCode, path: Path, message: string) => void,
): string {
  // The id as read from Contensis, while the key is still the one it became.
  if (typeof hintedId === "string" && keyFor(hintedId, new Set()) === key && !taken.has(hintedId)) {
    taken.add(hintedId);
    return hintedId;
  }
  const broken = breaksRule(key, rule);
  if (!broken && !taken.has(key)) {
    taken.add(key);
    return key;
  }
  const id = fitId(key, rule, taken);
  taken.add(id);
  loss(
    broken ?? "invalid_key",
    path,
    broken
      ? `${rule.text}: "${key}" becomes "${id}"`
      : `"${key}" is taken: it becomes "${id}" (${rule.text})`,
  );
  return id;
}

/**
 * A neutral workflow as a Contensis workflow definition (without server-managed fields), and every
 * loss with its path in the neutral document.
 */
export function fromNeutral(workflow: Workflow, options: FromNeutralOptions = {}): ContensisMappingResult {
  const losses: Loss[] = [];
  const loss = (code: LossCode, path: Path, message: string) =>
    losses.push({ code, path, message, vendor: VENDOR });
  const extension = contensisOf(workflow.extensions);
  const hints = asHints(extension.hints);

  const otherVendors = (extensions: Workflow["extensions"] | undefined, path: Path) => {
    for (const [vendor, data] of Object.entries(extensions ?? {})) {
      if (vendor === VENDOR || !data || Object.keys(data).length === 0) continue;
      loss(
        "unsupported_field",
        [...path, "extensions", vendor],
        `${vendor} extension data has no place in Contensis`,
      );
    }
  };
  otherVendors(workflow.extensions, []);

  const workflowId = idFor(workflow.key, WORKFLOW_ID_RULE, hints?.wire?.id, new Set(), ["key"], loss);

  if (workflow.scope.collections.length > 0) {
    loss(
      "unsupported_field",
      ["scope", "collections"],
      `Contensis has no collections: the workflow applies to its content types only (${workflow.scope.collections.join(", ")} dropped)`,
    );
  }
  // The scopes after the first (a Kontent.ai workflow's): one loss line per scope, naming it.
  for (const scope of extraScopes(workflow)) {
    const parts = [
      scope.contentTypes.length > 0
        ? `its content types ${scope.contentTypes.join(", ")} are assigned to this workflow`
        : "it has no content types to assign",
      scope.collections.length > 0 ? `collections ${scope.collections.join(", ")} dropped` : "",
    ].filter(Boolean);
    loss(
      "structure",
      ["extensions", "kontent", "scopes", scope.index],
      `Kontent.ai scope ${scope.index + 2} (content types: ${scope.contentTypes.join(", ") || "any"}; collections: ${scope.collections.join(", ") || "any"}): Contensis has one scope per workflow and no collections: ${parts.join("; ")}`,
    );
  }

  // Which states are written, which become sysWorkflow, which are dropped.
  const written: Array<{ state: State; index: number }> = [];
  const sysWorkflowKeys = new Set<string>();
  const dropped = new Set<string>();
  workflow.states.forEach((state, index) => {
    const path: Path = ["states", index];
    otherVendors(state.extensions, path);
    if (isUnpublishState(state)) {
      dropped.add(state.key); // stands for sysUnpublish, not a state (unpublish.ts)
      return;
    }
    if (state.kind === "scheduled" || state.kind === "archived") {
      dropped.add(state.key);
      loss(
        "unsupported_value",
        [...path, "kind"],
        state.kind === "scheduled"
          ? `Contensis has no scheduled state: an entry with a publishing schedule waits in sysWorkflow; state "${state.key}" is not written`
          : `Contensis has no archived state; state "${state.key}" is not written`,
      );
      return;
    }
    if (isSysWorkflowState(state)) {
      sysWorkflowKeys.add(state.key);
      if (!contensisOf(state.extensions).system) {
        loss(
          "structure",
          path,
          `state "${state.key}" becomes Contensis's system state sysWorkflow (published, or scheduled when a publishing schedule is set); ${state.color ? "its name and colour are" : "its name is"} not kept`,
        );
      }
      if (state.roles.length > 0) {
        loss(
          "role_granularity",
          [...path, "roles"],
          `Contensis keeps permissions on roles, not on definitions: roles ${state.roles.join(", ")} of state "${state.key}" are not written`,
        );
      }
      return;
    }
    written.push({ state, index });
  });

  // The initial state goes first (Contensis: the first state is where entries start).
  const initialAt = written.findIndex(({ state }) => state.key === workflow.initial);
  if (initialAt > 0) written.unshift(...written.splice(initialAt, 1));
  if (initialAt < 0) {
    loss(
      "structure",
      ["initial"],
      `the initial state "${workflow.initial}" cannot be written; entries start in the first state written`,
    );
  }

  const takenStateIds = new Set<string>();
  const stateIds = new Map<string, string>();
  for (const { state, index } of written) {
    const stateHints = asHints(contensisOf(state.extensions).hints);
    stateIds.set(
      state.key,
      idFor(state.key, STATE_ID_RULE, stateHints?.wire?.id, takenStateIds, ["states", index, "key"], loss),
    );
  }
  for (const key of sysWorkflowKeys) stateIds.set(key, SYS_WORKFLOW);

  // Event groups.
  const groupExtensions = asRecord(extension.groups) ?? {};
  const takenGroupIds = new Set<string>();
  const groupIds = new Map<string, string>();
  const eventGroups = workflow.groups.map((group, index) => {
    const groupExtension = asRecord(groupExtensions[group.key]) ?? {};
    const groupHints = asHints(groupExtension.hints);
    const id = idFor(
      group.key,
      GROUP_ID_RULE,
      groupHints?.wire?.id,
      takenGroupIds,
      ["groups", index, "key"],
      loss,
    );
    groupIds.set(group.key, id);
    return { id, name: wireName(group.name, groupHints, id), ...(asRecord(groupExtension.unknown) ?? {}) };
  });
  const groupIdOf = (key: string) => groupIds.get(key) ?? fitId(key, GROUP_ID_RULE);
  let defaultGroup: string | undefined;
  const defaultGroupId = () => {
    if (defaultGroup === undefined) {
      defaultGroup = fitId(DEFAULT_GROUP_ID, GROUP_ID_RULE, takenGroupIds);
      takenGroupIds.add(defaultGroup);
      const locale = pickLocale(undefined, workflow.name);
      eventGroups.push({ id: defaultGroup, name: { [locale]: "Transitions" } });
    }
    return defaultGroup;
  };

  // Transitions, by source state.
  const grantActions = new Map<string, WantedGrant[]>();
  /** Actions anyone may do in the source: Contensis grants to roles, so nobody is granted them. */
  const openToAnyone: string[] = [];
  /** Roles of neutral transitions Contensis has as workflow-level actions (published → archived: unpublish). */
  const unpublishRoles: Array<string[] | undefined> = [];
  const eventsByState = new Map<string, WireEvent[]>();
  const takenEventIds = new Map<string, Set<string>>();
  workflow.transitions.forEach((transition, index) => {
    const path: Path = ["transitions", index];
    const transitionExtension = contensisOf(transition.extensions);
    const kontent = asRecord(transition.extensions?.kontent);
    const fromKind = workflow.states.find((state) => state.key === transition.from)?.kind;
    const toKind = workflow.states.find((state) => state.key === transition.to)?.kind;
    if (fromKind === "published" && toKind === "archived") {
      // Unpublishing: Contensis's built-in sysUnpublish, granted as {workflowId}.sysUnpublish.
      const fromState = workflow.states.find((state) => state.key === transition.from);
      unpublishRoles.push(effectiveRoles(fromState?.roles ?? [], transition.roles));
    }
    if (isUnpublishTransition(transition)) return; // granted as sysUnpublish, not an event (unpublish.ts)
    if (kontent?.implicit === true) {
      loss(
        "implicit_transition",
        path,
        `transition "${transition.key}" (${transition.from} → ${transition.to ?? transition.from}) is not written: ${IMPLICIT_REASONS[transition.key] ?? "Contensis has no such transition"}`,
      );
      return;
    }
    otherVendors(transition.extensions, path);
    if (sysWorkflowKeys.has(transition.from)) {
      loss(
        "structure",
        path,
        `transition "${transition.key}" leaves the published state; Contensis's sysWorkflow is a system state with no events of its own`,
      );
      return;
    }
    // Archive, then restore (Kontent.ai: archived content goes back to the first step): Contensis
    // has no archived state, so the path becomes one event to where restoring leads, granted to
    // the roles that may do both (narrowed, never widened).
    let target = transition.to;
    let restoreRoles: string[] | undefined | "none";
    const archived = workflow.states.find(
      (state) => state.key === transition.to && state.kind === "archived",
    );
    if (!dropped.has(transition.from) && archived && dropped.has(archived.key)) {
      const restore = workflow.transitions.find(
        (candidate) =>
          candidate.from === archived.key &&
          candidate.to !== null &&
          !dropped.has(candidate.to) &&
          stateIds.has(candidate.to),
      );
      if (restore?.to) {
        target = restore.to;
        const archiving = effectiveRoles(
          workflow.states.find((state) => state.key === transition.from)?.roles ?? [],
          transition.roles,
        );
        const restoring = effectiveRoles(archived.roles, restore.roles);
        const both =
          archiving === undefined
            ? restoring
            : restoring === undefined
              ? archiving
              : archiving.filter((role) => restoring.includes(role));
        restoreRoles = both === undefined ? undefined : both.length === 0 ? "none" : both;
        loss(
          "structure",
          path,
          `transition "${transition.key}" (${transition.from} → ${transition.to}): Contensis has no archived state; archiving and then restoring ("${restore.key}") becomes one event back to "${restore.to}", granted to ${restoreRoles === undefined ? "whoever may fire it" : restoreRoles === "none" ? "no role (no role may both archive and restore)" : `the roles that may both archive and restore: ${restoreRoles.join(", ")}`}`,
        );
      }
    }
    if (
      target === transition.to &&
      (dropped.has(transition.from) || (transition.to !== null && dropped.has(transition.to)))
    ) {
      loss(
        "structure",
        path,
        `transition "${transition.key}" (${transition.from} → ${transition.to}) is not written: state "${dropped.has(transition.from) ? transition.from : transition.to}" is not written`,
      );
      return;
    }
    const from = stateIds.get(transition.from);
    if (!from) {
      loss(
        "structure",
        [...path, "from"],
        `transition "${transition.key}" leaves an unknown state "${transition.from}"`,
      );
      return;
    }
    const transitionHints = asHints(transitionExtension.hints);
    let taken = takenEventIds.get(from);
    if (!taken) {
      taken = new Set();
      takenEventIds.set(from, taken);
    }
    const eventId = idFor(
      transition.key,
      EVENT_ID_RULE,
      transitionHints?.wire?.id,
      taken,
      [...path, "key"],
      loss,
    );
    const transitionTo = target === null ? null : (stateIds.get(target) ?? fitId(target, STATE_ID_RULE));

    // Roles: permissions live on roles in Contensis. An environment writes (or reports) them
    // from `grants`; a plain mapping reports what it cannot carry.
    const fromState = workflow.states.find((state) => state.key === transition.from);
    const effective =
      restoreRoles === "none"
        ? []
        : target !== transition.to
          ? restoreRoles
          : effectiveRoles(fromState?.roles ?? [], transition.roles);
    const action = `${workflowId}.${from}.${eventId}`;
    grantActions.set(action, effective ? wantedOf(effective, transitionExtension.grants) : []);
    if (options.grants) {
      if (options.grants === "write" && !effective && !NOT_INVOKABLE.has(eventId)) {
        openToAnyone.push(action);
      }
    } else if (options.roleGrants) {
      const granted = grantedRoles(options.roleGrants, workflowId, from, eventId);
      const wanted = [...new Set(transition.roles)].sort();
      if (!same(granted, wanted)) {
        const missing = wanted.filter((role) => !granted.includes(role));
        const extra = granted.filter((role) => !wanted.includes(role));
        loss(
          "role_granularity",
          [...path, "roles"],
          `the target's roles do not grant "${workflowId}.${from}.${eventId}" as wanted and this tool does not write role permissions${missing.length > 0 ? `; grant it to ${missing.join(", ")}` : ""}${extra.length > 0 ? `; ${extra.join(", ")} may fire it too` : ""}`,
        );
      }
    } else if (transition.roles.length > 0) {
      loss(
        "role_granularity",
        [...path, "roles"],
        `Contensis keeps permissions on roles and this tool does not write them: grant "${workflowId}.${from}.${eventId}" to ${transition.roles.join(", ")}`,
      );
    }

    const event = transitionToEvent(transition, transitionExtension, transitionHints, {
      eventId,
      defaultGroupId,
      transitionTo,
      groupIdOf,
      path,
      loss,
    });
    const list = eventsByState.get(transition.from) ?? [];
    list.push(event);
    eventsByState.set(transition.from, list);
  });

  const states: WireState[] = written.map(({ state, index }) => {
    const path: Path = ["states", index];
    const stateExtension = contensisOf(state.extensions);
    const stateHints = asHints(stateExtension.hints);
    const id = stateIds.get(state.key) ?? state.key;
    if (state.roles.length > 0) {
      loss(
        "role_granularity",
        [...path, "roles"],
        options.grants
          ? `Contensis has no roles on a state: roles ${state.roles.join(", ")} of state "${state.key}" narrow the grants of the events leaving it (who may edit content in it is not written)`
          : `Contensis keeps permissions on roles, not on definitions: roles ${state.roles.join(", ")} of state "${state.key}" are not written`,
      );
    }
    if (state.description) {
      loss("unsupported_field", [...path, "description"], "a Contensis state has no description");
    }
    let color: string | undefined = state.color;
    if (
      color !== undefined &&
      !(STATE_COLORS as readonly string[]).includes(color) &&
      color !== stateExtension.color
    ) {
      const nearest = NEAREST_STATE_COLOR[color.trim().toLowerCase()];
      loss(
        "unsupported_value",
        [...path, "color"],
        nearest
          ? `"${color}" is not a Contensis state colour; mapped to the nearest, "${nearest}"`
          : `"${color}" is not a Contensis state colour (${STATE_COLORS.join(", ")}); the default (cobalt) applies`,
      );
      color = nearest;
    }
    const out: Record<string, unknown> = { id, name: wireName(state.name, stateHints, id) };
    const events = eventsByState.get(state.key) ?? [];
    put(
      out,
      "events",
      pick(stateHints, "events", events, () => [], events),
    );
    put(out, "color", pick(stateHints, "color", state.color, stateColorOf, color));
    if (Object.hasOwn(stateExtension, "uiEditorView")) out.uiEditorView = stateExtension.uiEditorView;
    put(
      out,
      "allowUpdates",
      pick(stateHints, "allowUpdates", state.editable, (raw) => raw ?? true, state.editable),
    );
    if (Object.hasOwn(stateExtension, "entryActions")) out.entryActions = stateExtension.entryActions;
    Object.assign(out, asRecord(stateExtension.unknown) ?? {});
    return out as WireState;
  });

  // Workflow-level actions: as read from Contensis (extensions.contensis.permissions), otherwise
  // from the neutral structure: who may work in the initial state creates, who may move content
  // from published to archived unpublishes. Anyone (an empty list): no role is granted (a loss).
  const permissions = asRecord(extension.permissions);
  for (const action of WORKFLOW_ACTIONS) {
    const recorded =
      action === "sysUnpublish"
        ? recordedUnpublish(asRecord(permissions?.[action]), unpublishRoles)
        : asRecord(permissions?.[action]);
    let wanted: WantedGrant[] | undefined;
    if (recorded && Array.isArray(recorded.roles)) {
      wanted = wantedOf(
        recorded.roles.filter((role): role is string => typeof role === "string"),
        recorded.limits,
      );
    } else if (action === "sysCreate") {
      const initial = workflow.states.find((state) => state.key === workflow.initial);
      if (initial && initial.roles.length > 0) wanted = wantedOf(initial.roles, undefined);
    } else if (unpublishRoles.length > 0 && unpublishRoles.every((roles) => roles !== undefined)) {
      wanted = wantedOf([...new Set(unpublishRoles.flat() as string[])], undefined);
    }
    if (!wanted && options.grants === "write") openToAnyone.push(`${workflowId}.${action}`);
    grantActions.set(`${workflowId}.${action}`, wanted ?? []);
  }
  if (openToAnyone.length > 0) {
    // Narrowed, never widened: "anyone" has no Contensis form but granting it to every role.
    loss(
      "role_granularity",
      ["transitions"],
      `anyone may do ${openToAnyone.join(", ")} in the source; Contensis grants actions to roles, so no role is granted ${openToAnyone.length === 1 ? "it" : "them"} (name the roles in the source, on the transitions or their states, or grant them in the target)`,
    );
  }

  const definition: Record<string, unknown> = {
    id: workflowId,
    name: wireName(workflow.name, hints, workflowId),
  };
  put(
    definition,
    "description",
    pick(hints, "description", workflow.description, optionalText, workflow.description),
  );
  definition.states = states;
  put(
    definition,
    "eventGroups",
    pick(hints, "eventGroups", eventGroups, () => [], eventGroups),
  );
  Object.assign(definition, asRecord(extension.unknown) ?? {});
  return {
    value: definition as ContensisWorkflowDefinition,
    losses,
    grants: { workflowId, actions: grantActions },
  };
}

interface EventOutContext {
  eventId: string;
  /** The id of the group given to events without one (created on first use). */
  defaultGroupId: () => string;
  transitionTo: string | null;
  groupIdOf: (key: string) => string;
  path: Path;
  loss: (code: LossCode, path: Path, message: string) => void;
}

function transitionToEvent(
  transition: Transition,
  extension: Record<string, unknown>,
  hints: Hints | undefined,
  context: EventOutContext,
): WireEvent {
  const out: Record<string, unknown> = {
    id: context.eventId,
    name: wireName(transition.name, hints, context.eventId),
  };
  put(
    out,
    "description",
    pick(hints, "description", transition.description, optionalText, transition.description),
  );
  put(out, "auditText", pick(hints, "auditText", transition.auditText, optionalText, transition.auditText));
  put(
    out,
    "transitionTo",
    pick(hints, "transitionTo", context.transitionTo, (raw) => (raw ? raw : null), context.transitionTo),
  );
  if (Object.hasOwn(extension, "exitActions")) out.exitActions = extension.exitActions;
  if (Object.hasOwn(extension, "color")) {
    const color = extension.color;
    if (typeof color !== "string" || !isButtonColor(color)) {
      context.loss(
        "unsupported_value",
        [...context.path, "extensions", "contensis", "color"],
        `"${typeof color === "string" ? color : JSON.stringify(color)}" is not a Contensis event button colour (${BUTTON_COLORS.join(", ")}); the default (white) applies`,
      );
    } else {
      out.color = color;
    }
  }
  const groupId = transition.group === undefined ? undefined : context.groupIdOf(transition.group);
  let groupIdOut = pick(
    hints,
    "groupId",
    transition.group,
    (raw) => (typeof raw === "string" && raw ? keyFor(raw, new Set()) : undefined),
    groupId,
  );
  // Contensis needs a group on every event (DMH create "Validations": groupId names an event group).
  if (groupIdOut === undefined && !hints?.absent?.includes("groupId")) groupIdOut = context.defaultGroupId();
  put(out, "groupId", groupIdOut);
  if (Object.hasOwn(extension, "uiAction")) out.uiAction = extension.uiAction;
  put(
    out,
    "validate",
    pick(
      hints,
      "validate",
      transition.validate,
      (raw) => raw ?? hasAction(extension.exitActions, "validateEntry"),
      transition.validate,
    ),
  );

  // Contensis has one parameter editor (`multiline`, DMH model/workflow-definitions/editor.md).
  const editorIn = (parameter: Parameter, index: number): Parameter["editor"] => {
    if (!parameter.editor || (PARAMETER_EDITORS as readonly string[]).includes(parameter.editor.key))
      return parameter.editor;
    context.loss(
      "unsupported_value",
      [...context.path, "parameters", index, "editor", "key"],
      `Contensis has one parameter editor (${PARAMETER_EDITORS.join(", ")}); "${parameter.editor.key}" of "${parameter.key}" becomes ${PARAMETER_EDITORS[0]}`,
    );
    return { ...parameter.editor, key: PARAMETER_EDITORS[0] };
  };
  const parameterExtensions = asRecord(extension.parameters) ?? {};
  const takenParameters = new Set<string>();
  const parameters = transition.parameters.map((parameter, index) => {
    const parameterExtension = asRecord(parameterExtensions[parameter.key]) ?? {};
    const parameterHints = asHints(parameterExtension.hints);
    const id = idFor(
      parameter.key,
      PARAMETER_ID_RULE,
      parameterHints?.wire?.id,
      takenParameters,
      [...context.path, "parameters", index, "key"],
      context.loss,
    );
    const wire: Record<string, unknown> = { id, name: wireName(parameter.name, parameterHints, id) };
    let dataType: string = parameter.type;
    if (dataType !== "string" && !parameterHints?.wire?.dataType) {
      context.loss(
        "unsupported_value",
        [...context.path, "parameters", index, "type"],
        `Contensis event parameters are strings (dataType "string"); "${parameter.key}" was ${parameter.type}`,
      );
      dataType = "string";
    }
    put(wire, "dataType", pick(parameterHints, "dataType", parameter.type, typeOf, dataType));
    put(
      wire,
      "dataFormat",
      pick(
        parameterHints,
        "dataFormat",
        parameter.format ?? undefined,
        (raw) => raw ?? undefined,
        parameter.format,
      ),
    );
    put(
      wire,
      "description",
      pick(parameterHints, "description", parameter.description, optionalText, parameter.description),
    );
    put(wire, "default", pick(parameterHints, "default", parameter.default, defaultOf, parameter.default));
    put(
      wire,
      "validations",
      pick(
        parameterHints,
        "validations",
        compact({ required: parameter.required, requiredMessage: parameter.requiredMessage }),
        (raw) => compact({ ...requiredOf(raw) }),
        validationsFor(parameter),
      ),
    );
    put(
      wire,
      "editor",
      pick(parameterHints, "editor", parameter.editor, editorOf, editorFor(editorIn(parameter, index))),
    );
    Object.assign(wire, asRecord(parameterExtension.unknown) ?? {});
    return wire;
  });
  put(
    out,
    "parameters",
    pick(hints, "parameters", parameters, () => [], parameters),
  );
  put(
    out,
    "invokableWhen",
    pick(hints, "invokableWhen", transition.guard, guardOf, guardFor(transition.guard)),
  );
  Object.assign(out, asRecord(extension.unknown) ?? {});
  return out as WireEvent;
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
