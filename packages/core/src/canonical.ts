import { createHash } from "node:crypto";
import type { Condition, State, Transition, Workflow } from "./model.ts";

/*
 * Canonical form: the same JSON for the same meaning, whatever the order of object keys and of
 * set-like arrays. Keyed collections are sorted by key, role and scope lists are sorted and
 * de-duplicated, `$schema` is dropped and absent optional fields stay absent.
 *
 * Note: `node:crypto` is a pure computation here (no I/O); it is the only Node built-in core uses.
 */

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byKey = <T extends { key: string }>(a: T, b: T) => compare(a.key, b.key);
const byFromThenKey = (a: Transition, b: Transition) => compare(a.from, b.from) || compare(a.key, b.key);
const byCondition = (a: Condition, b: Condition) => compare(stableStringify(a), stableStringify(b));

/*
 * canonicalize runs for every document of a large set, and the lists it orders are short (a few
 * roles, a few dozen states, a hundred-odd transitions) and usually out of order: calling
 * `Array.prototype.sort`'s comparator about a thousand times per document was most of its cost.
 * Lists of up to SMALL_SORT items are ordered with the comparisons written inline instead (roles
 * by insertion, states by binary insertion, transitions by counting them into one bucket per source
 * state); longer lists use `sort`. These orders are stable like `sort`, so the result is the same:
 * canonical.test.ts compares canonicalize with the plain `sort` version.
 */
const SMALL_SORT = 256;

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

/** Sorted and de-duplicated (a new array unless it already is). */
function sortedSet(values: readonly string[]): string[] {
  if (isSortedSet(values)) return values as string[];
  if (values.length > SMALL_SORT) return [...new Set(values)].sort(compare);
  const out = values.slice();
  for (let index = 1; index < out.length; index++) {
    const value = out[index]!;
    let at = index;
    for (; at > 0 && value < out[at - 1]!; at--) out[at] = out[at - 1]!;
    out[at] = value;
  }
  // drop repeats (now side by side)
  let length = 1;
  for (let index = 1; index < out.length; index++)
    if (out[index] !== out[length - 1]) out[length++] = out[index]!;
  if (length < out.length) out.length = length;
  return out;
}

const sortedBy = <T>(values: readonly T[], order: (a: T, b: T) => number): T[] =>
  isSorted(values, order) ? (values as T[]) : [...values].sort(order);

/** `items` (a fresh array) sorted in place by key, stably. */
function sortByKey<T extends { key: string }>(items: T[]): T[] {
  if (items.length > SMALL_SORT) return items.sort(byKey);
  for (let index = 1; index < items.length; index++) {
    const item = items[index]!;
    const key = item.key;
    if (!(key < items[index - 1]!.key)) continue;
    // the first position whose key is greater (after equal keys: stable)
    let low = 0;
    let high = index - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (key < items[middle]!.key) high = middle;
      else low = middle + 1;
    }
    for (let at = index; at > low; at--) items[at] = items[at - 1]!;
    items[low] = item;
  }
  return items;
}

/**
 * `items` (a fresh array) ordered by from, then key, stably. A transition's `from` is normally a
 * state key, and `rank` gives each state key its position in key order: the transitions are counted
 * into one bucket per source state (no string comparison), then each bucket, a handful of
 * transitions, is sorted by key. A `from` that is no state key falls back to `sort`.
 */
function sortByFromThenKey(
  items: Transition[],
  rank: ReadonlyMap<string, number>,
  ranks: number,
): Transition[] {
  const count = items.length;
  if (count > SMALL_SORT) return items.sort(byFromThenKey);
  const bucketOf: number[] = [];
  const start: number[] = new Array(ranks + 1).fill(0);
  for (let index = 0; index < count; index++) {
    const bucket = rank.get(items[index]!.from);
    if (bucket === undefined) return items.sort(byFromThenKey);
    bucketOf.push(bucket);
    start[bucket + 1]!++;
  }
  for (let bucket = 0; bucket < ranks; bucket++) start[bucket + 1]! += start[bucket]!;
  const out: Transition[] = new Array(count);
  for (let index = 0; index < count; index++) out[start[bucketOf[index]!]!++] = items[index]!;
  // by key within each bucket (insertion: stable)
  for (let index = 1; index < count; index++) {
    const item = out[index]!;
    let at = index;
    for (; at > 0 && out[at - 1]!.from === item.from && item.key < out[at - 1]!.key; at--)
      out[at] = out[at - 1]!;
    out[at] = item;
  }
  return out;
}

function canonicalState(state: State): State {
  return isSortedSet(state.roles) ? state : { ...state, roles: sortedSet(state.roles) };
}

function canonicalTransition(transition: Transition): Transition {
  const { roles: inRoles, parameters: inParameters, guard } = transition;
  const roles = sortedSet(inRoles);
  const parameters = inParameters.length < 2 ? inParameters : sortedBy(inParameters, byKey);
  const all = guard ? (guard.all.length < 2 ? guard.all : sortedBy(guard.all, byCondition)) : undefined;
  if (roles === inRoles && parameters === inParameters && all === guard?.all) return transition;
  const copy = { ...transition, roles, parameters };
  if (guard) copy.guard = { all: all! };
  return copy;
}

/**
 * The workflow with every set-like array in a fixed order. Parts already in canonical order are
 * shared with the input rather than copied (treat both as read-only); the input is never changed.
 */
export function canonicalize(workflow: Workflow): Workflow {
  const contentTypes = sortedSet(workflow.scope.contentTypes);
  const collections = sortedSet(workflow.scope.collections);
  const scope =
    contentTypes === workflow.scope.contentTypes && collections === workflow.scope.collections
      ? workflow.scope
      : { contentTypes, collections };
  const states = sortByKey(workflow.states.map(canonicalState));
  // each state key's position in key order (a repeated key keeps one of its positions)
  const rank = new Map<string, number>();
  for (let index = 0; index < states.length; index++) rank.set(states[index]!.key, index);
  const transitions = sortByFromThenKey(workflow.transitions.map(canonicalTransition), rank, states.length);
  const groups = sortedBy(workflow.groups, byKey);
  // `$schema` is dropped (a rest copy is slower: only when there is one)
  if (!("$schema" in workflow)) return { ...workflow, scope, states, transitions, groups };
  const { $schema: _schema, ...rest } = workflow;
  return { ...rest, scope, states, transitions, groups };
}

/** JSON with object keys sorted at every level and `undefined` members left out. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") {
    return value === undefined ? "null" : JSON.stringify(value);
  }
  // Plain loops and one join per level: this runs over whole plans (the checksum) and every workflow
  // of a set (fingerprints). Arrays of [key, member] entries per object dominated the time, and
  // appending to one growing string (a rope) doubled the peak memory once the result is hashed.
  if (Array.isArray(value)) {
    const items = new Array<string>(value.length);
    for (let index = 0; index < value.length; index++) items[index] = stableStringify(value[index]);
    return `[${items.join(",")}]`;
  }
  const record = value as Record<string, unknown>;
  // The default sort orders strings by UTF-16 code units, as `compare` does.
  const keys = Object.keys(record).sort();
  const members: string[] = [];
  for (const key of keys) {
    const member = record[key];
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${stableStringify(member)}`);
  }
  return `{${members.join(",")}}`;
}

/** The canonical JSON of one workflow. */
export function canonicalJson(workflow: Workflow): string {
  return stableStringify(canonicalize(workflow));
}

/** sha256 (hex) of the canonical JSON of a workflow, or of a set of workflows (order free). */
export function fingerprint(input: Workflow | readonly Workflow[]): string {
  if (Array.isArray(input)) return setDigest(input as readonly Workflow[], canonicalJson);
  return sha256(canonicalJson(input as Workflow));
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The set's fingerprint: sha256 of its workflows' canonical JSON, ordered by key. */
function setDigest(workflows: readonly Workflow[], json: (workflow: Workflow) => string): string {
  return sha256(`[${[...workflows].sort(byKey).map(json).join(",")}]`);
}

/**
 * The fingerprint of a set (as `fingerprint(workflows)`) and of each of its workflows by key (as
 * `fingerprint(workflow)`), canonicalising every workflow once instead of twice.
 */
export function fingerprints(workflows: readonly Workflow[]): { set: string; each: Record<string, string> } {
  const json = new Map<Workflow, string>();
  for (const workflow of workflows) json.set(workflow, canonicalJson(workflow));
  const each: Record<string, string> = {};
  for (const workflow of workflows) each[workflow.key] = sha256(json.get(workflow)!);
  return { set: setDigest(workflows, (workflow) => json.get(workflow)!), each };
}

/** Whether two workflows mean the same. */
export function sameWorkflow(a: Workflow, b: Workflow): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
