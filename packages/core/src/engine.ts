import { WorkflowSyncError } from "./errors.ts";
import type { Condition, State, Transition, Workflow } from "./model.ts";
import { textOf } from "./model.ts";

/*
 * The workflow engine: which transitions an actor may fire, and firing one, checked locally before
 * any request reaches a vendor. Pure: it answers from the definition alone.
 *
 * Role semantics (docs/mapping-decisions.md, "Roles"): an actor may fire a transition when both
 * the source state's `roles` and the transition's `roles` are empty or share a role with the actor.
 * Empty means "no restriction".
 */

/** Who acts: role names, as in the workflow. */
export interface Actor {
  roles: readonly string[];
}

/** Facts about the content that guards test, e.g. `{ "isScheduledForPublish()": false }`. */
export type Facts = Readonly<Record<string, unknown>>;

const list = (values: readonly string[]) => (values.length === 0 ? "(none)" : values.join(", "));
const quoteList = (values: readonly string[]) =>
  values.length === 0 ? "none" : values.map((value) => `"${value}"`).join(", ");
const shares = (allowed: readonly string[], roles: readonly string[]) =>
  allowed.length === 0 || allowed.some((role) => roles.includes(role));
const actorText = (roles: readonly string[]) =>
  roles.length === 0 ? "an actor without roles" : `an actor with roles ${quoteList(roles)}`;

/** The state's roles and the transition's roles both allow `roles` (empty lists allow anyone). */
export function mayFire(state: State, transition: Transition, roles: readonly string[]): boolean {
  return shares(state.roles, roles) && shares(transition.roles, roles);
}

/** The state's roles allow `roles` to work with content in it (empty: anyone). */
export function mayWorkIn(state: State, roles: readonly string[]): boolean {
  return shares(state.roles, roles);
}

// ---------------------------------------------------------------------------------------------
// Errors: each a class with a stable `code`, so callers switch on `error.code`.

/** The state key names no state of the workflow. */
export class UnknownStateError extends WorkflowSyncError {
  declare readonly code: "unknown_state";
  readonly workflow: string;
  readonly state: string;
  readonly known: string[];
  constructor(workflow: Workflow, state: string) {
    const known = workflow.states.map((candidate) => candidate.key);
    super("unknown_state", `workflow "${workflow.key}" has no state "${state}" (states: ${list(known)})`);
    this.workflow = workflow.key;
    this.state = state;
    this.known = known;
  }
}

/** No transition with this key leaves the state; `available` lists the ones that do. */
export class UnknownTransitionError extends WorkflowSyncError {
  declare readonly code: "unknown_transition";
  readonly state: string;
  readonly transition: string;
  readonly available: string[];
  constructor(state: string, transition: string, available: readonly string[]) {
    super(
      "unknown_transition",
      available.length === 0
        ? `no transition "${transition}" leaves state "${state}": no transitions leave it`
        : `no transition "${transition}" leaves state "${state}"; available from "${state}": ${available.join(", ")}`,
    );
    this.state = state;
    this.transition = transition;
    this.available = [...available];
  }
}

/**
 * The actor's roles do not allow it. `stateRoles` (who may work in the state) and
 * `transitionRoles` (who may fire the transition) name the roles that may; an empty list there
 * means that side does not restrict.
 */
export class NotPermittedError extends WorkflowSyncError {
  declare readonly code: "not_permitted";
  readonly state: string;
  /** Absent when the actor was refused editing content (`checkEdit`). */
  readonly transition: string | undefined;
  readonly actorRoles: string[];
  readonly stateRoles: string[];
  readonly transitionRoles: string[];
  constructor(
    state: State,
    transition: Transition | undefined,
    actorRoles: readonly string[],
    locale?: string,
  ) {
    const needs: string[] = [];
    if (!shares(state.roles, actorRoles)) {
      needs.push(`one of the roles ${quoteList(state.roles)} of state "${state.key}"`);
    }
    if (transition && !shares(transition.roles, actorRoles)) {
      needs.push(`one of the roles ${quoteList(transition.roles)} of transition "${transition.key}"`);
    }
    const what = transition
      ? `fire "${transition.key}" (${textOf(transition.name, locale)}) from state "${state.key}"`
      : `edit content in state "${state.key}"`;
    super("not_permitted", `${actorText(actorRoles)} may not ${what}: it needs ${needs.join(" and ")}`);
    this.state = state.key;
    this.transition = transition?.key;
    this.actorRoles = [...actorRoles];
    this.stateRoles = [...state.roles];
    this.transitionRoles = transition ? [...transition.roles] : [];
  }
}

/**
 * A required parameter was not given. The message is the parameter's own `requiredMessage` in the
 * requested locale (first locale otherwise), as the vendor's UI would show it.
 */
export class MissingParameterError extends WorkflowSyncError {
  declare readonly code: "missing_parameter";
  readonly state: string;
  readonly transition: string;
  /** The first missing parameter (the one whose message this error carries). */
  readonly parameter: string;
  /** Every missing required parameter, in definition order. */
  readonly missing: string[];
  constructor(state: string, transition: Transition, missing: readonly string[], locale?: string) {
    const first = missing[0] ?? "";
    const parameter = transition.parameters.find((candidate) => candidate.key === first);
    const own = textOf(parameter?.requiredMessage, locale);
    super(
      "missing_parameter",
      own !== ""
        ? own
        : `transition "${transition.key}" from "${state}" requires the parameter "${first}" (${textOf(parameter?.name, locale)})`,
    );
    this.state = state;
    this.transition = transition.key;
    this.parameter = first;
    this.missing = [...missing];
  }
}

/** A guard condition does not hold, or the fact it tests was not given. */
export class GuardFailedError extends WorkflowSyncError {
  declare readonly code: "guard_failed";
  readonly state: string;
  readonly transition: string;
  readonly condition: Condition;
  /** Whether the fact was missing (rather than different). */
  readonly factMissing: boolean;
  readonly actual: unknown;
  constructor(
    state: string,
    transition: string,
    condition: Condition,
    factMissing: boolean,
    actual?: unknown,
  ) {
    const want = `${condition.field} must equal ${JSON.stringify(condition.equals)}`;
    super(
      "guard_failed",
      factMissing
        ? `transition "${transition}" from "${state}" is guarded: ${want}, but no fact "${condition.field}" was given`
        : `transition "${transition}" from "${state}" is guarded: ${want}, but it is ${describe(actual)}`,
    );
    this.state = state;
    this.transition = transition;
    this.condition = condition;
    this.factMissing = factMissing;
    this.actual = actual;
  }
}

/** Content in this state cannot be edited (Contensis `allowUpdates: false`). */
export class StateNotEditableError extends WorkflowSyncError {
  declare readonly code: "state_not_editable";
  readonly state: string;
  constructor(state: State, locale?: string) {
    super(
      "state_not_editable",
      `content in state "${state.key}" (${textOf(state.name, locale)}) cannot be edited: the state has editable: false`,
    );
    this.state = state.key;
  }
}

/** Every error the engine returns, keyed by `code`. */
export type TransitionError =
  | UnknownStateError
  | UnknownTransitionError
  | NotPermittedError
  | MissingParameterError
  | GuardFailedError
  | StateNotEditableError;

function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

// ---------------------------------------------------------------------------------------------

/** The state with this key, or an `UnknownStateError` thrown. */
export function stateOf(workflow: Workflow, key: string): State {
  const state = workflow.states.find((candidate) => candidate.key === key);
  if (!state) throw new UnknownStateError(workflow, key);
  return state;
}

/** The transitions leaving `state`, in document order. */
export function transitionsFrom(workflow: Workflow, state: string): Transition[] {
  return workflow.transitions.filter((transition) => transition.from === state);
}

/**
 * The first guard condition that fails against `facts`, or `undefined` when the guard holds (or
 * there is none). A condition holds when its fact is given and strictly equal to `equals`; a
 * missing fact fails.
 */
export function failedCondition(
  transition: Transition,
  facts: Facts,
): { condition: Condition; factMissing: boolean; actual?: unknown } | undefined {
  for (const condition of transition.guard?.all ?? []) {
    const given = Object.hasOwn(facts, condition.field) && facts[condition.field] !== undefined;
    if (!given) return { condition, factMissing: true };
    const actual = facts[condition.field];
    if (actual !== condition.equals) return { condition, factMissing: false, actual };
  }
  return undefined;
}

/**
 * The transitions `actor` may fire from `state`, in document order: permitted by roles and, when
 * `facts` are given, by their guards (without facts, guards are not judged).
 *
 * @throws UnknownStateError when `state` is not a state of the workflow.
 */
export function availableTransitions(
  workflow: Workflow,
  state: string,
  actor: Actor,
  facts?: Facts,
): Transition[] {
  const source = stateOf(workflow, state);
  return transitionsFrom(workflow, state).filter(
    (transition) =>
      mayFire(source, transition, actor.roles) &&
      (facts === undefined || failedCondition(transition, facts) === undefined),
  );
}

export interface FireRequest {
  /** The state the content is in. */
  state: string;
  /** The key of the transition to fire (unique among those leaving `state`). */
  transition: string;
  actor: Actor;
  /** Parameter values, by parameter key. */
  data?: Readonly<Record<string, unknown>>;
  /** Facts for guards. A guarded transition needs every fact it tests: absent facts fail. */
  facts?: Facts;
  /** The locale for messages (e.g. a missing parameter's `requiredMessage`). */
  locale?: string;
}

export type FireResult =
  | { ok: true; from: string; to: string; transition: Transition }
  | { ok: false; error: TransitionError };

/**
 * Fire a transition, checked in this order: the state exists, the transition leaves it, the
 * actor's roles permit it, its guard holds against `facts`, every required parameter is given.
 * A transition with `to: null` leaves the content where it is (`to` equals `from`).
 */
export function fireTransition(workflow: Workflow, request: FireRequest): FireResult {
  const source = workflow.states.find((candidate) => candidate.key === request.state);
  if (!source) return { ok: false, error: new UnknownStateError(workflow, request.state) };
  const leaving = transitionsFrom(workflow, source.key);
  const transition = leaving.find((candidate) => candidate.key === request.transition);
  if (!transition) {
    return {
      ok: false,
      error: new UnknownTransitionError(
        source.key,
        request.transition,
        leaving.map((candidate) => candidate.key),
      ),
    };
  }
  if (!mayFire(source, transition, request.actor.roles)) {
    return {
      ok: false,
      error: new NotPermittedError(source, transition, request.actor.roles, request.locale),
    };
  }
  const failed = failedCondition(transition, request.facts ?? {});
  if (failed) {
    return {
      ok: false,
      error: new GuardFailedError(
        source.key,
        transition.key,
        failed.condition,
        failed.factMissing,
        failed.actual,
      ),
    };
  }
  const data = request.data ?? {};
  const missing = transition.parameters
    .filter((parameter) => parameter.required && parameter.default === null && isBlank(data[parameter.key]))
    .map((parameter) => parameter.key);
  if (missing.length > 0) {
    return { ok: false, error: new MissingParameterError(source.key, transition, missing, request.locale) };
  }
  return { ok: true, from: source.key, to: transition.to ?? source.key, transition };
}

/** Not given: absent, `null`, or a string of only white space. */
function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

/**
 * Whether `actor` may edit content in `state`: `undefined` when it may, otherwise the reason
 * (`UnknownStateError`, `StateNotEditableError` for `editable: false`, `NotPermittedError` when
 * the state's roles exclude the actor).
 */
export function checkEdit(
  workflow: Workflow,
  state: string,
  actor: Actor,
  locale?: string,
): TransitionError | undefined {
  const found = workflow.states.find((candidate) => candidate.key === state);
  if (!found) return new UnknownStateError(workflow, state);
  if (!found.editable) return new StateNotEditableError(found, locale);
  if (!mayWorkIn(found, actor.roles)) return new NotPermittedError(found, undefined, actor.roles, locale);
  return undefined;
}
