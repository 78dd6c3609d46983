import {
  effectiveRoles,
  type Loss,
  type MappingResult,
  type Parameter,
  type Path,
  type State,
  type Transition,
  type Workflow,
} from "@workflow-sync/core";
import type { WorkflowGrants } from "../grants.ts";
import type { RoleGrants } from "../roles.ts";
import {
  BUTTON_COLORS,
  breaksRule,
  EVENT_ID_RULE,
  fitId,
  GROUP_ID_RULE,
  type IdRule,
  LEGACY_COLORS,
  PARAMETER_EDITORS,
  PARAMETER_ID_RULE,
  STATE_COLORS,
  STATE_ID_RULE,
  SYS_WORKFLOW,
  WORKFLOW_ID_RULE,
} from "../rules.ts";
import { extraScopes } from "../scopes.ts";
import type { ContensisWorkflowDefinition, Localized, WireEvent, WireState } from "../wire.ts";
import {
  asHints,
  asRecord,
  compact,
  contensisOf,
  DEFAULT_GROUP_ID,
  defaultOf,
  editorFor,
  editorOf,
  guardFor,
  guardOf,
  type Hints,
  hasAction,
  isSysWorkflowState,
  keyFor,
  type LossSink,
  optionalText,
  pick,
  pickLocale,
  put,
  requiredOf,
  stateColorOf,
  typeOf,
  VENDOR,
  validationsFor,
  wireName,
} from "./context.ts";
import {
  type GrantsWanted,
  grantEvent,
  grantsWanted,
  grantWorkflowActions,
  reportOpenToAnyone,
  restoreRoles,
} from "./grants.ts";
import { isUnpublishState, isUnpublishTransition } from "./unpublish.ts";

/* neutral → Contensis (the format: ./context.ts). */

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
  loss: LossSink,
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

/** The states of a neutral workflow as Contensis holds them. */
interface StatePlan {
  /** States written as definition states (the initial one first), with their index in `states`. */
  written: Array<{ state: State; index: number }>;
  /** Published states that become Contensis's system state `sysWorkflow`. */
  sysWorkflowKeys: Set<string>;
  /** Scheduled and archived states: Contensis has none, they are not written. */
  dropped: Set<string>;
  /** Contensis state id by neutral key (`sysWorkflow` for the system state). */
  stateIds: Map<string, string>;
}

/** The event groups written, and the id of the group of an event. */
interface GroupPlan {
  eventGroups: Array<{ id: string; name: Localized }>;
  groupIdOf: (key: string) => string;
  /** The id of the group given to events without one (created on first use). */
  defaultGroupId: () => string;
}

/** What mapping one workflow's transitions needs, and collects. */
interface MappingRun {
  workflow: Workflow;
  options: FromNeutralOptions;
  loss: LossSink;
  workflowId: string;
  states: StatePlan;
  groups: GroupPlan;
  grants: GrantsWanted;
  /** Event ids taken, by Contensis source state id (event ids are unique within their state). */
  takenEventIds: Map<string, Set<string>>;
}

/**
 * A neutral workflow as a Contensis workflow definition (without server-managed fields), and every
 * loss with its path in the neutral document.
 */
export function fromNeutral(workflow: Workflow, options: FromNeutralOptions = {}): ContensisMappingResult {
  const losses: Loss[] = [];
  const loss: LossSink = (code, path, message) => losses.push({ code, path, message, vendor: VENDOR });
  const extension = contensisOf(workflow.extensions);
  const hints = asHints(extension.hints);

  otherVendors(workflow.extensions, [], loss);
  const workflowId = idFor(workflow.key, WORKFLOW_ID_RULE, hints?.wire?.id, new Set(), ["key"], loss);
  scopeLosses(workflow, loss);
  const run: MappingRun = {
    workflow,
    options,
    loss,
    workflowId,
    states: planStates(workflow, loss),
    groups: planGroups(workflow, asRecord(extension.groups) ?? {}, loss),
    grants: grantsWanted(),
    takenEventIds: new Map(),
  };
  const eventsByState = new Map<string, WireEvent[]>();
  workflow.transitions.forEach((transition, index) => {
    const event = transitionToEventIn(run, transition, index);
    if (event) eventsByState.set(transition.from, [...(eventsByState.get(transition.from) ?? []), event]);
  });
  const states = run.states.written.map(({ state, index }) =>
    stateToWire(state, index, eventsByState.get(state.key) ?? [], run),
  );
  grantWorkflowActions(run.grants, workflow, workflowId, extension.permissions, options.grants);
  reportOpenToAnyone(run.grants, loss);

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
  const eventGroups = run.groups.eventGroups;
  put(
    definition,
    "eventGroups",
    pick(hints, "eventGroups", eventGroups, () => [], eventGroups),
  );
  Object.assign(definition, asRecord(extension.unknown) ?? {});
  return {
    value: definition as ContensisWorkflowDefinition,
    losses,
    grants: { workflowId, actions: run.grants.actions },
  };
}

/** Data of other vendors (`extensions.kontent`, …) has no place in a Contensis definition. */
function otherVendors(extensions: Workflow["extensions"] | undefined, path: Path, loss: LossSink): void {
  for (const [vendor, data] of Object.entries(extensions ?? {})) {
    if (vendor === VENDOR || !data || Object.keys(data).length === 0) continue;
    loss(
      "unsupported_field",
      [...path, "extensions", vendor],
      `${vendor} extension data has no place in Contensis`,
    );
  }
}

/** Collections, and the scopes after the first (a Kontent.ai workflow's): one loss line per scope, naming it. */
function scopeLosses(workflow: Workflow, loss: LossSink): void {
  if (workflow.scope.collections.length > 0) {
    loss(
      "unsupported_field",
      ["scope", "collections"],
      `Contensis has no collections: the workflow applies to its content types only (${workflow.scope.collections.join(", ")} dropped)`,
    );
  }
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
}

// ---------------------------------------------------------------------------------------------
// States

/** Which states are written, which become sysWorkflow, which are dropped; and their ids. */
function planStates(workflow: Workflow, loss: LossSink): StatePlan {
  const plan: StatePlan = {
    written: [],
    sysWorkflowKeys: new Set(),
    dropped: new Set(),
    stateIds: new Map(),
  };
  workflow.states.forEach((state, index) => {
    otherVendors(state.extensions, ["states", index], loss);
    if (isUnpublishState(state)) {
      plan.dropped.add(state.key); // stands for sysUnpublish, not a state (unpublish.ts)
      return;
    }
    if (state.kind === "scheduled" || state.kind === "archived") {
      plan.dropped.add(state.key);
      loss(
        "unsupported_value",
        ["states", index, "kind"],
        state.kind === "scheduled"
          ? `Contensis has no scheduled state: an entry with a publishing schedule waits in sysWorkflow; state "${state.key}" is not written`
          : `Contensis has no archived state; state "${state.key}" is not written`,
      );
    } else if (isSysWorkflowState(state)) {
      plan.sysWorkflowKeys.add(state.key);
      sysWorkflowLosses(state, ["states", index], loss);
    } else {
      plan.written.push({ state, index });
    }
  });

  // The initial state goes first (Contensis: the first state is where entries start).
  const initialAt = plan.written.findIndex(({ state }) => state.key === workflow.initial);
  if (initialAt > 0) plan.written.unshift(...plan.written.splice(initialAt, 1));
  if (initialAt < 0) {
    loss(
      "structure",
      ["initial"],
      `the initial state "${workflow.initial}" cannot be written; entries start in the first state written`,
    );
  }

  const taken = new Set<string>();
  for (const { state, index } of plan.written) {
    const hinted = asHints(contensisOf(state.extensions).hints)?.wire?.id;
    plan.stateIds.set(
      state.key,
      idFor(state.key, STATE_ID_RULE, hinted, taken, ["states", index, "key"], loss),
    );
  }
  for (const key of plan.sysWorkflowKeys) plan.stateIds.set(key, SYS_WORKFLOW);
  return plan;
}

function sysWorkflowLosses(state: State, path: Path, loss: LossSink): void {
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
}

/** A written state, with the events that leave it. */
function stateToWire(state: State, index: number, events: WireEvent[], run: MappingRun): WireState {
  const path: Path = ["states", index];
  const stateExtension = contensisOf(state.extensions);
  const stateHints = asHints(stateExtension.hints);
  const id = run.states.stateIds.get(state.key) ?? state.key;
  if (state.roles.length > 0) {
    run.loss(
      "role_granularity",
      [...path, "roles"],
      run.options.grants
        ? `Contensis has no roles on a state: roles ${state.roles.join(", ")} of state "${state.key}" narrow the grants of the events leaving it (who may edit content in it is not written)`
        : `Contensis keeps permissions on roles, not on definitions: roles ${state.roles.join(", ")} of state "${state.key}" are not written`,
    );
  }
  if (state.description) {
    run.loss("unsupported_field", [...path, "description"], "a Contensis state has no description");
  }
  const color = stateColorIn(state.color, stateExtension.color, path, run.loss);
  const out: Record<string, unknown> = { id, name: wireName(state.name, stateHints, id) };
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
}

/** A state colour Contensis has: as it is, the nearest one, or none (the default); a loss when changed. */
function stateColorIn(
  color: string | undefined,
  asRead: unknown,
  path: Path,
  loss: LossSink,
): string | undefined {
  if (color === undefined || (STATE_COLORS as readonly string[]).includes(color) || color === asRead)
    return color;
  const nearest = NEAREST_STATE_COLOR[color.trim().toLowerCase()];
  loss(
    "unsupported_value",
    [...path, "color"],
    nearest
      ? `"${color}" is not a Contensis state colour; mapped to the nearest, "${nearest}"`
      : `"${color}" is not a Contensis state colour (${STATE_COLORS.join(", ")}); the default (cobalt) applies`,
  );
  return nearest;
}

// ---------------------------------------------------------------------------------------------
// Event groups

function planGroups(workflow: Workflow, groupExtensions: Record<string, unknown>, loss: LossSink): GroupPlan {
  const taken = new Set<string>();
  const groupIds = new Map<string, string>();
  const eventGroups = workflow.groups.map((group, index) => {
    const groupExtension = asRecord(groupExtensions[group.key]) ?? {};
    const groupHints = asHints(groupExtension.hints);
    const id = idFor(group.key, GROUP_ID_RULE, groupHints?.wire?.id, taken, ["groups", index, "key"], loss);
    groupIds.set(group.key, id);
    return { id, name: wireName(group.name, groupHints, id), ...(asRecord(groupExtension.unknown) ?? {}) };
  });
  let defaultGroup: string | undefined;
  const defaultGroupId = () => {
    if (defaultGroup === undefined) {
      defaultGroup = fitId(DEFAULT_GROUP_ID, GROUP_ID_RULE, taken);
      taken.add(defaultGroup);
      const locale = pickLocale(undefined, workflow.name);
      eventGroups.push({ id: defaultGroup, name: { [locale]: "Transitions" } });
    }
    return defaultGroup;
  };
  return { eventGroups, groupIdOf: (key) => groupIds.get(key) ?? fitId(key, GROUP_ID_RULE), defaultGroupId };
}

// ---------------------------------------------------------------------------------------------
// Transitions

/** One transition as an event of its source state, or undefined (with a loss) when it is not written. */
function transitionToEventIn(run: MappingRun, transition: Transition, index: number): WireEvent | undefined {
  const { workflow, loss, states } = run;
  const path: Path = ["transitions", index];
  const fromState = workflow.states.find((state) => state.key === transition.from);
  if (fromState?.kind === "published" && stateKind(workflow, transition.to) === "archived") {
    // Unpublishing: Contensis's built-in sysUnpublish, granted as {workflowId}.sysUnpublish.
    run.grants.unpublishRoles.push(effectiveRolesOf(fromState, transition));
  }
  if (isUnpublishTransition(transition)) return undefined; // granted as sysUnpublish, not an event (unpublish.ts)
  if (!writable(run, transition, path)) return undefined;
  const { target, roles: restoring } = archiveThenRestore(run, transition, path);
  if (target === transition.to && touchesDropped(run, transition, path)) return undefined;
  const from = states.stateIds.get(transition.from);
  if (!from) {
    loss(
      "structure",
      [...path, "from"],
      `transition "${transition.key}" leaves an unknown state "${transition.from}"`,
    );
    return undefined;
  }
  const transitionExtension = contensisOf(transition.extensions);
  const transitionHints = asHints(transitionExtension.hints);
  const taken = run.takenEventIds.get(from) ?? new Set<string>();
  run.takenEventIds.set(from, taken);
  const eventId = idFor(
    transition.key,
    EVENT_ID_RULE,
    transitionHints?.wire?.id,
    taken,
    [...path, "key"],
    loss,
  );
  const transitionTo = target === null ? null : (states.stateIds.get(target) ?? fitId(target, STATE_ID_RULE));

  // Roles: permissions live on roles in Contensis. An environment writes (or reports) them
  // from `grants`; a plain mapping reports what it cannot carry.
  const effective =
    restoring === "none"
      ? []
      : target !== transition.to
        ? restoring
        : effectiveRolesOf(fromState, transition);
  grantEvent(
    run.grants,
    { workflowId: run.workflowId, from, eventId, effective, limits: transitionExtension.grants },
    transition,
    run.options,
    path,
    loss,
  );
  return transitionToEvent(transition, transitionExtension, transitionHints, {
    eventId,
    defaultGroupId: run.groups.defaultGroupId,
    transitionTo,
    groupIdOf: run.groups.groupIdOf,
    path,
    loss,
  });
}

/** Whether a transition leaves or enters a state that is not written (a loss says so). */
function touchesDropped(run: MappingRun, transition: Transition, path: Path): boolean {
  const { dropped } = run.states;
  if (!dropped.has(transition.from) && (transition.to === null || !dropped.has(transition.to))) return false;
  run.loss(
    "structure",
    path,
    `transition "${transition.key}" (${transition.from} → ${transition.to}) is not written: state "${dropped.has(transition.from) ? transition.from : transition.to}" is not written`,
  );
  return true;
}

function stateKind(workflow: Workflow, key: string | null): State["kind"] | undefined {
  return workflow.states.find((state) => state.key === key)?.kind;
}

function effectiveRolesOf(fromState: State | undefined, transition: Transition): string[] | undefined {
  return effectiveRoles(fromState?.roles ?? [], transition.roles);
}

/** Whether a transition can be an event at all (a loss says why not). */
function writable(run: MappingRun, transition: Transition, path: Path): boolean {
  if (asRecord(transition.extensions?.kontent)?.implicit === true) {
    run.loss(
      "implicit_transition",
      path,
      `transition "${transition.key}" (${transition.from} → ${transition.to ?? transition.from}) is not written: ${IMPLICIT_REASONS[transition.key] ?? "Contensis has no such transition"}`,
    );
    return false;
  }
  otherVendors(transition.extensions, path, run.loss);
  if (run.states.sysWorkflowKeys.has(transition.from)) {
    run.loss(
      "structure",
      path,
      `transition "${transition.key}" leaves the published state; Contensis's sysWorkflow is a system state with no events of its own`,
    );
    return false;
  }
  return true;
}

/**
 * Archive, then restore (Kontent.ai: archived content goes back to the first step): Contensis
 * has no archived state, so the path becomes one event to where restoring leads, granted to
 * the roles that may do both (narrowed, never widened). Otherwise the transition's own target.
 */
function archiveThenRestore(
  run: MappingRun,
  transition: Transition,
  path: Path,
): { target: string | null; roles: string[] | undefined | "none" } {
  const { workflow, states } = run;
  const archived = workflow.states.find((state) => state.key === transition.to && state.kind === "archived");
  if (states.dropped.has(transition.from) || !archived || !states.dropped.has(archived.key)) {
    return { target: transition.to, roles: undefined };
  }
  const restore = workflow.transitions.find(
    (candidate) =>
      candidate.from === archived.key &&
      candidate.to !== null &&
      !states.dropped.has(candidate.to) &&
      states.stateIds.has(candidate.to),
  );
  if (!restore?.to) return { target: transition.to, roles: undefined };
  const fromState = workflow.states.find((state) => state.key === transition.from);
  const roles = restoreRoles(fromState, transition, archived, restore);
  run.loss(
    "structure",
    path,
    `transition "${transition.key}" (${transition.from} → ${transition.to}): Contensis has no archived state; archiving and then restoring ("${restore.key}") becomes one event back to "${restore.to}", granted to ${roles === undefined ? "whoever may fire it" : roles === "none" ? "no role (no role may both archive and restore)" : `the roles that may both archive and restore: ${roles.join(", ")}`}`,
  );
  return { target: restore.to, roles };
}

interface EventOutContext {
  eventId: string;
  /** The id of the group given to events without one (created on first use). */
  defaultGroupId: () => string;
  transitionTo: string | null;
  groupIdOf: (key: string) => string;
  path: Path;
  loss: LossSink;
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
  if (Object.hasOwn(extension, "color")) put(out, "color", buttonColorIn(extension.color, context));
  put(out, "groupId", groupIdIn(transition, hints, context));
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
  const parameterExtensions = asRecord(extension.parameters) ?? {};
  const takenParameters = new Set<string>();
  const parameters = transition.parameters.map((parameter, index) =>
    parameterToWire(
      parameter,
      index,
      asRecord(parameterExtensions[parameter.key]) ?? {},
      takenParameters,
      context,
    ),
  );
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

/** An event button colour as read (the extension), or undefined with a loss when Contensis has no such colour. */
function buttonColorIn(color: unknown, context: EventOutContext): string | undefined {
  if (typeof color === "string" && isButtonColor(color)) return color;
  context.loss(
    "unsupported_value",
    [...context.path, "extensions", "contensis", "color"],
    `"${typeof color === "string" ? color : JSON.stringify(color)}" is not a Contensis event button colour (${BUTTON_COLORS.join(", ")}); the default (white) applies`,
  );
  return undefined;
}

function groupIdIn(transition: Transition, hints: Hints | undefined, context: EventOutContext): unknown {
  const groupId = transition.group === undefined ? undefined : context.groupIdOf(transition.group);
  const out = pick(
    hints,
    "groupId",
    transition.group,
    (raw) => (typeof raw === "string" && raw ? keyFor(raw, new Set()) : undefined),
    groupId,
  );
  // Contensis needs a group on every event (DMH create "Validations": groupId names an event group).
  if (out === undefined && !hints?.absent?.includes("groupId")) return context.defaultGroupId();
  return out;
}

function parameterToWire(
  parameter: Parameter,
  index: number,
  parameterExtension: Record<string, unknown>,
  taken: Set<string>,
  context: EventOutContext,
): Record<string, unknown> {
  const at: Path = [...context.path, "parameters", index];
  const parameterHints = asHints(parameterExtension.hints);
  const id = idFor(
    parameter.key,
    PARAMETER_ID_RULE,
    parameterHints?.wire?.id,
    taken,
    [...at, "key"],
    context.loss,
  );
  const wire: Record<string, unknown> = { id, name: wireName(parameter.name, parameterHints, id) };
  put(wire, "dataType", dataTypeIn(parameter, parameterHints, at, context.loss));
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
    pick(
      parameterHints,
      "editor",
      parameter.editor,
      editorOf,
      editorFor(editorIn(parameter, at, context.loss)),
    ),
  );
  Object.assign(wire, asRecord(parameterExtension.unknown) ?? {});
  return wire;
}

/** Contensis event parameters are strings: another type is a loss, unless it was read that way (hinted). */
function dataTypeIn(parameter: Parameter, hints: Hints | undefined, at: Path, loss: LossSink): unknown {
  let dataType: string = parameter.type;
  if (dataType !== "string" && !hints?.wire?.dataType) {
    loss(
      "unsupported_value",
      [...at, "type"],
      `Contensis event parameters are strings (dataType "string"); "${parameter.key}" was ${parameter.type}`,
    );
    dataType = "string";
  }
  return pick(hints, "dataType", parameter.type, typeOf, dataType);
}

/** Contensis has one parameter editor (`multiline`, DMH model/workflow-definitions/editor.md). */
function editorIn(parameter: Parameter, at: Path, loss: LossSink): Parameter["editor"] {
  if (!parameter.editor || (PARAMETER_EDITORS as readonly string[]).includes(parameter.editor.key))
    return parameter.editor;
  loss(
    "unsupported_value",
    [...at, "editor", "key"],
    `Contensis has one parameter editor (${PARAMETER_EDITORS.join(", ")}); "${parameter.editor.key}" of "${parameter.key}" becomes ${PARAMETER_EDITORS[0]}`,
  );
  return { ...parameter.editor, key: PARAMETER_EDITORS[0] };
}
