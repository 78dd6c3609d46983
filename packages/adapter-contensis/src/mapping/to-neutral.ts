import type {
  EnvironmentSnapshot,
  Group,
  Loss,
  MappingResult,
  Parameter,
  Path,
  State,
  StateKind,
  Transition,
  Workflow,
} from "@workflow-sync/core";
import type { ContensisNative, ReadOptions } from "../read.ts";
import { grantsFromRoles, type RoleGrants, roleName } from "../roles.ts";
import { isReadOnlyDefinition, STATE_COLORS, SYS_WORKFLOW } from "../rules.ts";
import type {
  ContensisWorkflowDefinition,
  WireEvent,
  WireEventGroup,
  WireParameter,
  WireState,
} from "../wire.ts";
import {
  compact,
  DEFAULT_GROUP_ID,
  defaultOf,
  editorFor,
  editorOf,
  guardFor,
  guardOf,
  hasAction,
  isSystemId,
  KNOWN_DEFINITION,
  KNOWN_EVENT,
  KNOWN_GROUP,
  KNOWN_PARAMETER,
  KNOWN_STATE,
  keyFor,
  type LossSink,
  nameOf,
  nonEmpty,
  optionalText,
  PUBLISHED_KEY,
  pickLocale,
  put,
  Recorder,
  requiredOf,
  stateColorOf,
  typeOf,
  unknownFields,
  VENDOR,
  validationsFor,
} from "./context.ts";
import { eventRoles, workflowPermissions } from "./grants.ts";
import { addUnpublish } from "./unpublish.ts";

/* Contensis → neutral (the format: ./context.ts). */

export interface ToNeutralOptions {
  /** The locale of generated names (`{}` names, the `published` state); default: the definition name's first. */
  locale?: string;
  /** Content types whose `workflowId` is this definition: the neutral `scope.contentTypes`. */
  contentTypes?: readonly string[];
  /** Who may fire each event, from the environment's roles (`grantsFromRoles`). */
  roleGrants?: RoleGrants;
}

/** The neutral keys of a definition's states and event groups. */
interface Keys {
  stateKeyOf: (id: string) => string;
  groupKeyOf: (id: string) => string;
  /** The key of the state `sysWorkflow` becomes. */
  publishedKey: string;
  /** States that an event's `publishEntry` exit action leads to. */
  publishedByAction: ReadonlySet<string>;
}

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
  const loss: LossSink = (code, path, message) => losses.push({ code, path, message, vendor: VENDOR });
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

  const { groups, groupExtensions, groupKeyOf } = groupsToNeutral(definition, locale);
  workflowHints.note("eventGroups", definition.eventGroups, definition.eventGroups ?? []);
  const keys: Keys = { ...stateKeys(definition), groupKeyOf };

  const states: State[] = [];
  const transitions: Transition[] = [];
  definition.states.forEach((state: WireState, stateIndex) => {
    states.push(stateToNeutral(state, stateIndex, keys, locale, loss));
    transitions.push(...eventsToTransitions(definition.id, state, stateIndex, keys, locale, options, loss));
  });
  if (definition.states.some((state) => (state.events ?? []).some((e) => e.transitionTo === SYS_WORKFLOW))) {
    states.push(publishedState(keys.publishedKey, locale));
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

  const extension = workflowExtension(definition, options, workflowHints, groupExtensions);

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

/** `extensions.contensis` of the workflow: what the neutral model cannot hold. */
function workflowExtension(
  definition: ContensisWorkflowDefinition,
  options: ToNeutralOptions,
  hints: Recorder,
  groupExtensions: Record<string, unknown>,
): Record<string, unknown> {
  const extension: Record<string, unknown> = {};
  // `isSystem` is the server's to say and only the predefined definitions are system ones: the
  // field is not trusted from a document (the docs' own custom example carries `isSystem: true`).
  if (isSystemId(definition.id)) extension.isSystem = true;
  if (options.roleGrants) extension.permissions = workflowPermissions(options.roleGrants, definition.id);
  put(extension, "unknown", unknownFields(definition, KNOWN_DEFINITION));
  put(extension, "hints", hints.done());
  if (Object.keys(groupExtensions).length > 0) extension.groups = groupExtensions;
  return extension;
}

function groupsToNeutral(
  definition: ContensisWorkflowDefinition,
  locale: string,
): { groups: Group[]; groupExtensions: Record<string, unknown>; groupKeyOf: (id: string) => string } {
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
  return { groups, groupExtensions, groupKeyOf: (id) => groupKeys.get(id) ?? keyFor(id, new Set()) };
}

function stateKeys(definition: ContensisWorkflowDefinition): Omit<Keys, "groupKeyOf"> {
  const keys = new Map<string, string>();
  const taken = new Set<string>();
  for (const state of definition.states) keys.set(state.id, keyFor(state.id, taken));
  const publishedKey = taken.has(PUBLISHED_KEY) ? keyFor(SYS_WORKFLOW, taken) : PUBLISHED_KEY;
  const publishedByAction = new Set<string>();
  for (const state of definition.states) {
    for (const event of state.events ?? []) {
      if (event.transitionTo && hasAction(event.exitActions, "publishEntry"))
        publishedByAction.add(event.transitionTo);
    }
  }
  return {
    stateKeyOf: (id) => (id === SYS_WORKFLOW ? publishedKey : (keys.get(id) ?? keyFor(id, new Set()))),
    publishedKey,
    publishedByAction,
  };
}

function stateToNeutral(
  state: WireState,
  stateIndex: number,
  keys: Keys,
  locale: string,
  loss: LossSink,
): State {
  const key = keys.stateKeyOf(state.id);
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
    stateIndex === 0 ? "initial" : keys.publishedByAction.has(state.id) ? "published" : "step";
  const extension: Record<string, unknown> = {};
  if (color !== undefined && !(STATE_COLORS as readonly string[]).includes(color)) extension.color = color;
  if (state.uiEditorView !== undefined) extension.uiEditorView = state.uiEditorView;
  if (state.entryActions !== undefined) extension.entryActions = state.entryActions;
  put(extension, "unknown", unknownFields(state, KNOWN_STATE));
  put(extension, "hints", hints.done());
  return compact({
    key,
    name: nameOf(state.name, state.id, locale),
    kind,
    color,
    editable,
    roles: [],
    extensions: Object.keys(extension).length > 0 ? { contensis: extension } : {},
  }) as State;
}

/** The state `sysWorkflow` becomes when an event leads to it. */
function publishedState(key: string, locale: string): State {
  return {
    key,
    name: { [locale]: "Published" },
    kind: "published",
    editable: true,
    roles: [],
    extensions: { contensis: { system: SYS_WORKFLOW } },
  };
}

interface EventContext {
  definitionId: string;
  stateId: string;
  from: string;
  key: string;
  locale: string;
  path: Path;
  keys: Keys;
  roleGrants: RoleGrants | undefined;
  loss: LossSink;
}

function eventsToTransitions(
  definitionId: string,
  state: WireState,
  stateIndex: number,
  keys: Keys,
  locale: string,
  options: ToNeutralOptions,
  loss: LossSink,
): Transition[] {
  const from = keys.stateKeyOf(state.id);
  const takenEvents = new Set<string>();
  return (state.events ?? []).map((event: WireEvent, eventIndex) =>
    eventToTransition(event, {
      definitionId,
      stateId: state.id,
      from,
      key: keyFor(event.id, takenEvents),
      locale,
      path: ["states", stateIndex, "events", eventIndex],
      keys,
      roleGrants: options.roleGrants,
      loss,
    }),
  );
}

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
  const to = event.transitionTo ? context.keys.stateKeyOf(event.transitionTo) : null;
  hints.note("transitionTo", event.transitionTo, event.transitionTo ? event.transitionTo : null);
  const group = event.groupId ? context.keys.groupKeyOf(event.groupId) : undefined;
  // absent or null: written back as they were, not as the default group a foreign event gets
  hints.note("groupId", event.groupId, event.groupId ? event.groupId : DEFAULT_GROUP_ID);
  const validate = event.validate ?? hasAction(event.exitActions, "validateEntry");
  hints.note("validate", event.validate, validate);
  const guard = guardOf(event.invokableWhen);
  hints.note("invokableWhen", event.invokableWhen, guardFor(guard));
  hints.note("parameters", event.parameters, event.parameters ?? []);
  const { parameters, parameterExtensions } = parametersToNeutral(event, locale, path, loss);

  const extension: Record<string, unknown> = {};
  let roles: string[] = [];
  if (context.roleGrants) {
    const action = { definitionId: context.definitionId, stateId: context.stateId, eventId: event.id };
    const granted = eventRoles(context.roleGrants, action, path, loss);
    roles = granted.roles;
    if (granted.limits) extension.grants = granted.limits;
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

function parametersToNeutral(
  event: WireEvent,
  locale: string,
  path: Path,
  loss: LossSink,
): { parameters: Parameter[]; parameterExtensions: Record<string, unknown> } {
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
  return { parameters, parameterExtensions };
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

/**
 * A snapshot in neutral form from native data (pure: `readContensis` without the requests): each
 * definition with the content types that use it and what the roles grant on it.
 */
export function snapshotFromNative(native: ContensisNative, options: ReadOptions = {}): EnvironmentSnapshot {
  const roleGrants = grantsFromRoles(native.roles, options.locale);
  const losses: Loss[] = [];
  const workflows = native.definitions.map((definition) => {
    const contentTypes = native.contentTypes
      .filter((contentType) => contentType.workflowId === definition.id)
      .map((contentType) => contentType.id);
    const mapped = toNeutral(definition, {
      contentTypes,
      roleGrants,
      ...(options.locale ? { locale: options.locale } : {}),
    });
    // Read losses point into the definition; the path starts with its id.
    for (const loss of mapped.losses) losses.push({ ...loss, path: [definition.id, ...loss.path] });
    return mapped.value;
  });
  return {
    vendor: "contensis",
    workflows,
    losses,
    roles: [...new Set(native.roles.map((role) => roleName(role, options.locale)))].sort(),
    contentTypes: native.contentTypes.map((contentType) => contentType.id).sort(),
    collections: [],
    readOnly: native.definitions.filter(isReadOnlyDefinition).map((definition) => definition.id),
    native,
  };
}
