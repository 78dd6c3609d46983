import { createHash } from "node:crypto";
import type { Condition, State, Transition, Workflow } from "./model.ts";

/*
 * Canonical form: the same JSON for the same meaning, whatever the order of object keys and of
 * set-like arrays. Keyed collections are sorted by key, role and scope lists are sorted and
 * de-duplicated, `$schema` is dropped and absent optional fields stay absent.
 *
 * Note: `node:crypto` is a pure computation here (no I/O); it is the only Node built-in core uses.
 */

const byKey = <T extends { key: string }>(a: T, b: T) => compare(a.key, b.key);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byFromThenKey = (a: Transition, b: Transition) => compare(a.from, b.from) || compare(a.key, b.key);
const byCondition = (a: Condition, b: Condition) => compare(stableStringify(a), stableStringify(b));

/** Whether a list already is in canonical order (strictly increasing: sorted and without duplicates). */
function isSortedSet(values: readonly string[]): boolean {
  for (let index = 1; index < values.length; index++)
    if (!(values[index - 1]! < values[index]!)) return false;
  return true;
}
function isSorted<T>(values: readonly T[], order: (a: T, b: T) => number): boolean {
  for (let index = 1; index < values.length; index++)
    if (order(values[index - 1]!, values[index]!) > 0) return false;
  return true;
}

const sortedSet = (values: readonly string[]): string[] =>
  isSortedSet(values) ? (values as string[]) : [...new Set(values)].sort(compare);
const sortedBy = <T>(values: readonly T[], order: (a: T, b: T) => number): T[] =>
  isSorted(values, order) ? (values as T[]) : [...values].sort(order);

function canonicalState(state: State): State {
  return isSortedSet(state.roles) ? state : { ...state, roles: sortedSet(state.roles) };
}

function canonicalTransition(transition: Transition): Transition {
  const roles = sortedSet(transition.roles);
  const parameters = sortedBy(transition.parameters, byKey);
  const all = transition.guard ? sortedBy(transition.guard.all, byCondition) : undefined;
  if (roles === transition.roles && parameters === transition.parameters && all === transition.guard?.all) {
    return transition;
  }
  return { ...transition, roles, parameters, ...(transition.guard ? { guard: { all: all! } } : {}) };
}

/**
 * The workflow with every set-like array in a fixed order. Parts already in canonical order are
 * shared with the input rather than copied (treat both as read-only); the input is never changed.
 */
export function canonicalize(workflow: Workflow): Workflow {
  const { $schema: _schema, ...rest } = workflow;
  const contentTypes = sortedSet(workflow.scope.contentTypes);
  const collections = sortedSet(workflow.scope.collections);
  return {
    ...rest,
    scope:
      contentTypes === workflow.scope.contentTypes && collections === workflow.scope.collections
        ? workflow.scope
        : { contentTypes, collections },
    states: sortedBy(workflow.states.map(canonicalState), byKey),
    transitions: sortedBy(workflow.transitions.map(canonicalTransition), byFromThenKey),
    groups: sortedBy(workflow.groups, byKey),
  };
}

/** JSON with object keys sorted at every level and `undefined` members left out. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") {
    return value === undefined ? "null" : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => stableStringify(item)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => compare(a, b));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${stableStringify(member)}`).join(",")}}`;
}

/** The canonical JSON of one workflow. */
export function canonicalJson(workflow: Workflow): string {
  return stableStringify(canonicalize(workflow));
}

/** sha256 (hex) of the canonical JSON of a workflow, or of a set of workflows (order free). */
export function fingerprint(input: Workflow | readonly Workflow[]): string {
  const hash = createHash("sha256");
  if (Array.isArray(input)) {
    const sorted = [...(input as readonly Workflow[])].sort(byKey);
    hash.update(`[${sorted.map(canonicalJson).join(",")}]`);
  } else {
    hash.update(canonicalJson(input as Workflow));
  }
  return hash.digest("hex");
}

/** Whether two workflows mean the same. */
export function sameWorkflow(a: Workflow, b: Workflow): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
