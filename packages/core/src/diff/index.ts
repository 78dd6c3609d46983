import { canonicalize, stableStringify } from "../canonical.ts";
import { WorkflowSyncError } from "../errors.ts";
import {
  type Extensions,
  type Group,
  type Guard,
  type LocalizedText,
  type Parameter,
  type Scope,
  type State,
  type StateKind,
  type Transition,
  VENDORS,
  type Vendor,
  type Workflow,
} from "../model.ts";

/*
 * Keyed diff of workflows: workflow key → state key → transition (from, key) → group key, never
 * array positions. The order of set-like arrays (roles, scope lists, parameters, guard conditions)
 * and of object keys is not a change: values are compared in their canonical form.
 *
 * Cost: each state and transition is turned into one canonical string (extensions aside) and
 * compared; only entities whose strings differ are compared field by field. Lookups go through
 * Maps, so a diff is linear in the size of the workflows.
 */

/** The version of the diff's JSON shape (`renderDiffJson`, `--json`). */
export const DIFF_FORMAT_VERSION = 1;

export type ChangeKind =
  | "workflow_added"
  | "workflow_removed"
  | "workflow_changed"
  | "state_added"
  | "state_removed"
  | "state_changed"
  | "transition_added"
  | "transition_removed"
  | "transition_changed"
  | "group_added"
  | "group_removed"
  | "group_changed";

/** A vendor's extension namespace: opaque data, compared as a whole. */
export type ExtensionValue = Record<string, unknown>;

/** The value of each field that a change can carry (`null`: the field is absent). */
export interface WorkflowFieldValues {
  name: LocalizedText;
  description: LocalizedText | null;
  scope: Scope;
  initial: string;
  extensions: ExtensionValue | null;
}
export interface StateFieldValues {
  name: LocalizedText;
  kind: StateKind;
  description: LocalizedText | null;
  color: string | null;
  editable: boolean;
  roles: string[];
  extensions: ExtensionValue | null;
}
export interface TransitionFieldValues {
  to: string | null;
  name: LocalizedText;
  description: LocalizedText | null;
  auditText: LocalizedText | null;
  group: string | null;
  roles: string[];
  parameters: Parameter[];
  guard: Guard | null;
  validate: boolean;
  extensions: ExtensionValue | null;
}
export interface GroupFieldValues {
  name: LocalizedText;
}

export type WorkflowField = keyof WorkflowFieldValues;
export type StateField = keyof StateFieldValues;
export type TransitionField = keyof TransitionFieldValues;
export type GroupField = keyof GroupFieldValues;

/** A transition is identified by its source state and its key (unique per source state). */
type TransitionId = { from: string; key: string };

interface ChangeBase {
  /**
   * Where, by keys: `["editorial"]`, `["editorial", "name"]`, `["editorial", "states", "draft", "color"]`,
   * `["editorial", "states", "draft", "transitions", "submit", "to"]`, `["editorial", "groups", "g", "name"]`;
   * an extension namespace ends with the vendor: `[..., "extensions", "kontent"]`.
   */
  path: string[];
  /** The workflow's key. */
  workflow: string;
}

/**
 * One field of one entity changed. `before`/`after` are the field's values in canonical form
 * (`null` where absent). For `extensions`, one change per vendor namespace, named in `vendor`.
 */
type FieldChange<K extends ChangeKind, Values, Extra> = {
  [F in keyof Values & string]: ChangeBase &
    Extra & {
      kind: K;
      field: F;
      before: Values[F];
      after: Values[F];
    } & (F extends "extensions" ? { vendor: Vendor } : { vendor?: undefined });
}[keyof Values & string];

export type WorkflowAdded = ChangeBase & { kind: "workflow_added"; before: null; after: Workflow };
export type WorkflowRemoved = ChangeBase & { kind: "workflow_removed"; before: Workflow; after: null };
export type WorkflowChanged = FieldChange<"workflow_changed", WorkflowFieldValues, object>;
export type StateAdded = ChangeBase & { kind: "state_added"; state: string; before: null; after: State };
export type StateRemoved = ChangeBase & { kind: "state_removed"; state: string; before: State; after: null };
export type StateChanged = FieldChange<"state_changed", StateFieldValues, { state: string }>;
/** Transitions carry `state` (= `transition.from`) so that a reader can group them under their state. */
export type TransitionAdded = ChangeBase & {
  kind: "transition_added";
  state: string;
  transition: TransitionId;
  before: null;
  after: Transition;
};
export type TransitionRemoved = ChangeBase & {
  kind: "transition_removed";
  state: string;
  transition: TransitionId;
  before: Transition;
  after: null;
};
export type TransitionChanged = FieldChange<
  "transition_changed",
  TransitionFieldValues,
  { state: string; transition: TransitionId }
>;
export type GroupAdded = ChangeBase & { kind: "group_added"; group: string; before: null; after: Group };
export type GroupRemoved = ChangeBase & { kind: "group_removed"; group: string; before: Group; after: null };
export type GroupChanged = FieldChange<"group_changed", GroupFieldValues, { group: string }>;

/** One change, keyed by `kind` (zod's shape), with its `path`, `before` and `after`. */
export type Change =
  | WorkflowAdded
  | WorkflowRemoved
  | WorkflowChanged
  | StateAdded
  | StateRemoved
  | StateChanged
  | TransitionAdded
  | TransitionRemoved
  | TransitionChanged
  | GroupAdded
  | GroupRemoved
  | GroupChanged;

export interface WorkflowDiff {
  formatVersion: typeof DIFF_FORMAT_VERSION;
  /** Sorted by path: deterministic whatever the order of the inputs. */
  changes: Change[];
}

export interface DiffOptions {
  /**
   * Which vendor extension namespaces to compare. `"shared"` (default): a namespace only when both
   * sides carry it, so that a cross-vendor diff does not report one vendor's data against the
   * other's absence. `"all"`: every namespace (a namespace present on one side only is a change).
   * `"none"`: extensions are ignored.
   */
  extensions?: "all" | "shared" | "none";
}

type ExtensionMode = NonNullable<DiffOptions["extensions"]>;

/** The two sides of a diff repeat a key (two workflows, states, transitions or groups share it). */
export class DiffInputError extends WorkflowSyncError {
  readonly path: string[];
  constructor(message: string, path: string[]) {
    super("diff_duplicate_key", message);
    this.path = path;
  }
}

/** A diff does not fit the workflows it is applied to (stale diff, or the wrong target). */
export class DiffConflictError extends WorkflowSyncError {
  readonly path: string[];
  constructor(message: string, path: string[]) {
    super("diff_conflict", `${path.join(".")}: ${message}`);
    this.path = path;
  }
}

// ---------------------------------------------------------------------------------------------
// Canonical pieces

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sortedSet = (values: readonly string[]): string[] => {
  if (values.length === 0) return [];
  if (values.length === 1) return [values[0] as string];
  return [...new Set(values)].sort(compare);
};

function canonicalParameters(parameters: readonly Parameter[]): Parameter[] {
  return parameters.length < 2 ? [...parameters] : [...parameters].sort((a, b) => compare(a.key, b.key));
}

function canonicalGuard(guard: Guard | undefined): Guard | null {
  if (!guard) return null;
  if (guard.all.length < 2) return { all: [...guard.all] };
  const keyed = guard.all.map((condition) => [stableStringify(condition), condition] as const);
  keyed.sort((a, b) => compare(a[0], b[0]));
  return { all: keyed.map(([, condition]) => condition) };
}

function canonicalScope(scope: Scope | undefined): Scope {
  return {
    contentTypes: sortedSet(scope?.contentTypes ?? []),
    collections: sortedSet(scope?.collections ?? []),
  };
}

/*
 * Fast equality of whole entities (extensions aside), the same relation as comparing canonical
 * JSON: no string is built unless an order-free collection is out of order.
 */

function sameText(a: LocalizedText | undefined, b: LocalizedText | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  let count = 0;
  for (const locale in a) {
    const value = a[locale];
    if (value === undefined) continue;
    if (b[locale] !== value) return false;
    count++;
  }
  for (const locale in b) if (b[locale] !== undefined) count--;
  return count === 0;
}

function sameRoles(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length === y.length) {
    let i = 0;
    while (i < x.length && x[i] === y[i]) i++;
    if (i === x.length) return true;
  }
  const sx = sortedSet(x);
  const sy = sortedSet(y);
  return sx.length === sy.length && sx.every((role, index) => role === sy[index]);
}

const orNull = <T>(value: T | undefined | null): T | null => (value === undefined ? null : value);

function sameState(a: State, b: State): boolean {
  return (
    a.kind === b.kind &&
    orNull(a.color) === orNull(b.color) &&
    (a.editable !== false) === (b.editable !== false) &&
    sameText(a.name, b.name) &&
    sameText(a.description, b.description) &&
    sameRoles(a.roles, b.roles)
  );
}

function sameTransition(a: Transition, b: Transition): boolean {
  return (
    orNull(a.to) === orNull(b.to) &&
    orNull(a.group) === orNull(b.group) &&
    (a.validate === true) === (b.validate === true) &&
    sameText(a.name, b.name) &&
    sameText(a.description, b.description) &&
    sameText(a.auditText, b.auditText) &&
    sameRoles(a.roles, b.roles) &&
    sameParameters(a.parameters ?? [], b.parameters ?? []) &&
    sameGuard(a.guard, b.guard)
  );
}

/** `same` of the canonical parameter lists; a list of one is in canonical order already (no copy). */
function sameParameters(a: readonly Parameter[], b: readonly Parameter[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 0) return true;
  if (a.length === 1) return same(a[0], b[0]);
  return same(canonicalParameters(a), canonicalParameters(b));
}

/** `same` of the canonical guards; a guard of one condition is in canonical order already (no copy). */
function sameGuard(a: Guard | undefined, b: Guard | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.all.length === 1 && b.all.length === 1) return same(a.all[0], b.all[0]);
  return same(canonicalGuard(a), canonicalGuard(b));
}

function isEmptyObject(value: object | undefined): boolean {
  if (value === undefined) return true;
  for (const key in value) if ((value as Record<string, unknown>)[key] !== undefined) return false;
  return true;
}

/**
 * Whether two JSON-like values are equal as `stableStringify` sees them (object key order free,
 * `undefined` members absent), without building strings.
 */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    // only values that JSON writes alike although they differ: NaN, Infinity, undefined (all "null")
    return (
      (typeof a === "number" || typeof b === "number" || a === undefined || b === undefined) &&
      stableStringify(a) === stableStringify(b)
    );
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // own enumerable keys (as Object.keys, without building its arrays)
  let count = 0;
  for (const key in x) {
    if (!Object.hasOwn(x, key)) continue;
    const value = x[key];
    if (value === undefined) continue;
    if (!Object.hasOwn(y, key) || !same(value, y[key])) return false;
    count++;
  }
  for (const key in y) if (Object.hasOwn(y, key) && y[key] !== undefined) count--;
  return count === 0;
}

// ---------------------------------------------------------------------------------------------
// Field values in canonical form

function workflowFields(workflow: Workflow): { [F in WorkflowField]: () => WorkflowFieldValues[F] } {
  return {
    name: () => workflow.name,
    description: () => workflow.description ?? null,
    scope: () => canonicalScope(workflow.scope),
    initial: () => workflow.initial,
    extensions: () => null,
  };
}

function stateFields(state: State): { [F in StateField]: () => StateFieldValues[F] } {
  return {
    name: () => state.name,
    kind: () => state.kind,
    description: () => state.description ?? null,
    color: () => state.color ?? null,
    editable: () => state.editable !== false,
    roles: () => sortedSet(state.roles ?? []),
    extensions: () => null,
  };
}

function transitionFields(transition: Transition): {
  [F in TransitionField]: () => TransitionFieldValues[F];
} {
  return {
    to: () => transition.to ?? null,
    name: () => transition.name,
    description: () => transition.description ?? null,
    auditText: () => transition.auditText ?? null,
    group: () => transition.group ?? null,
    roles: () => sortedSet(transition.roles ?? []),
    parameters: () => canonicalParameters(transition.parameters ?? []),
    guard: () => canonicalGuard(transition.guard),
    validate: () => transition.validate === true,
    extensions: () => null,
  };
}

const WORKFLOW_FIELDS = ["name", "description", "scope", "initial"] as const;
const STATE_FIELDS = ["name", "kind", "description", "color", "editable", "roles"] as const;
const TRANSITION_FIELDS = [
  "to",
  "name",
  "description",
  "auditText",
  "group",
  "roles",
  "parameters",
  "guard",
  "validate",
] as const;

type ExtensionChange = { vendor: Vendor; before: ExtensionValue | null; after: ExtensionValue | null };
const NO_EXTENSION_CHANGES: readonly ExtensionChange[] = [];
/** The vendor namespaces in sorted order (the order of their changes). */
const VENDOR_ORDER: readonly string[] = [...VENDORS].sort(compare);
const KNOWN_VENDORS = new Set<string>(VENDORS);

/** Namespaces in both objects, sorted: the known vendors unless an unknown key shows up. */
function namespaces(a: Record<string, unknown>, b: Record<string, unknown>): readonly string[] {
  for (const key in a)
    if (!KNOWN_VENDORS.has(key)) return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compare);
  for (const key in b)
    if (!KNOWN_VENDORS.has(key)) return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compare);
  return VENDOR_ORDER;
}

/** Per vendor namespace: the namespaces that differ, under the extension mode. Allocates only for changes. */
function extensionChanges(
  before: Extensions | undefined,
  after: Extensions | undefined,
  mode: ExtensionMode,
): readonly ExtensionChange[] {
  if (mode === "none" || (isEmptyObject(before) && isEmptyObject(after))) return NO_EXTENSION_CHANGES;
  const a = (before ?? {}) as Record<string, ExtensionValue | undefined>;
  const b = (after ?? {}) as Record<string, ExtensionValue | undefined>;
  let out: ExtensionChange[] | undefined;
  for (const vendor of namespaces(a, b)) {
    const x = a[vendor];
    const y = b[vendor];
    if (x === undefined && y === undefined) continue;
    if (mode === "shared" && (x === undefined || y === undefined)) continue;
    if (x !== undefined && y !== undefined && same(x, y)) continue;
    out ??= [];
    out.push({ vendor: vendor as Vendor, before: x ?? null, after: y ?? null });
  }
  return out ?? NO_EXTENSION_CHANGES;
}

// ---------------------------------------------------------------------------------------------
// Diff

const transitionId = (from: string, key: string) => `${from}\u0000${key}`;

const duplicate = (path: string[]) =>
  new DiffInputError(`${path.join(".")} appears twice: a keyed diff needs unique keys`, path);

/** Items by id; ids must be unique, and not among `taken` (ids already seen on both sides). */
function indexBy<T>(
  items: readonly T[],
  id: (item: T) => string,
  what: (item: T) => string[],
  taken?: { has(id: string): boolean },
): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const key = id(item);
    if (map.has(key) || taken?.has(key)) throw duplicate(what(item));
    map.set(key, item);
  }
  return map;
}

function pushFieldChanges<F extends string>(
  out: Change[],
  fields: readonly F[],
  beforeValues: Record<F, () => unknown>,
  afterValues: Record<F, () => unknown>,
  base: Record<string, unknown> & { path: string[] },
  kind: ChangeKind,
): void {
  for (const field of fields) {
    const before = beforeValues[field]();
    const after = afterValues[field]();
    if (same(before, after)) continue;
    out.push({ ...base, kind, path: [...base.path, field], field, before, after } as unknown as Change);
  }
}

function pushExtensionChanges(
  out: Change[],
  changes: readonly ExtensionChange[],
  base: Record<string, unknown> & { path: string[] },
  kind: ChangeKind,
): void {
  for (const change of changes) {
    out.push({
      ...base,
      kind,
      path: [...base.path, "extensions", change.vendor],
      field: "extensions",
      vendor: change.vendor,
      before: change.before,
      after: change.after,
    } as unknown as Change);
  }
}

function canonicalState(state: State): State {
  return { ...state, roles: sortedSet(state.roles ?? []) };
}

function canonicalTransition(transition: Transition): Transition {
  const guard = canonicalGuard(transition.guard);
  return {
    ...transition,
    roles: sortedSet(transition.roles ?? []),
    parameters: canonicalParameters(transition.parameters ?? []),
    ...(guard ? { guard } : {}),
  };
}

function diffInto(out: Change[], current: Workflow, desired: Workflow, mode: ExtensionMode): void {
  const workflow = desired.key;
  pushFieldChanges(
    out,
    WORKFLOW_FIELDS,
    workflowFields(current),
    workflowFields(desired),
    { path: [workflow], workflow },
    "workflow_changed",
  );
  pushExtensionChanges(
    out,
    extensionChanges(current.extensions, desired.extensions, mode),
    { path: [workflow], workflow },
    "workflow_changed",
  );
  diffStates(out, workflow, current.states, desired.states, mode);
  diffTransitions(out, workflow, current.transitions ?? [], desired.transitions ?? [], mode);
  diffGroups(out, workflow, current.groups ?? [], desired.groups ?? []);
}

/*
 * Each collection is walked in step while both sides hold the same keys at the same positions (the
 * usual case: two reads of one source keep its order), then the rest is matched through Maps.
 */

function compareState(
  out: Change[],
  workflow: string,
  before: State,
  after: State,
  mode: ExtensionMode,
): void {
  const differs = !sameState(before, after);
  const extensions = extensionChanges(before.extensions, after.extensions, mode);
  if (!differs && extensions.length === 0) return;
  const base = { path: [workflow, "states", after.key], workflow, state: after.key };
  if (differs)
    pushFieldChanges(out, STATE_FIELDS, stateFields(before), stateFields(after), base, "state_changed");
  pushExtensionChanges(out, extensions, base, "state_changed");
}

function diffStates(
  out: Change[],
  workflow: string,
  current: readonly State[],
  desired: readonly State[],
  mode: ExtensionMode,
): void {
  const n = Math.min(current.length, desired.length);
  let i = 0;
  for (; i < n; i++) {
    const before = current[i] as State;
    const after = desired[i] as State;
    if (before.key !== after.key) break;
    compareState(out, workflow, before, after, mode);
  }
  const key = (s: State) => s.key;
  const where = (s: State) => [workflow, "states", s.key];
  // keys must be unique (a paired prefix holds the same keys on both sides: one side is checked)
  const prefix = indexBy(desired.slice(0, i), key, where);
  if (i === current.length && i === desired.length) return;
  const currentRest = indexBy(current.slice(i), key, where, prefix);
  const desiredRest = indexBy(desired.slice(i), key, where, prefix);
  for (const [key, after] of desiredRest) {
    const before = currentRest.get(key);
    if (before) compareState(out, workflow, before, after, mode);
    else {
      out.push({
        kind: "state_added",
        path: [workflow, "states", key],
        workflow,
        state: key,
        before: null,
        after: canonicalState(after),
      });
    }
  }
  for (const [key, before] of currentRest) {
    if (desiredRest.has(key)) continue;
    out.push({
      kind: "state_removed",
      path: [workflow, "states", key],
      workflow,
      state: key,
      before: canonicalState(before),
      after: null,
    });
  }
}

function compareTransition(
  out: Change[],
  workflow: string,
  before: Transition,
  after: Transition,
  mode: ExtensionMode,
): void {
  const differs = !sameTransition(before, after);
  const extensions = extensionChanges(before.extensions, after.extensions, mode);
  if (!differs && extensions.length === 0) return;
  const base = {
    path: [workflow, "states", after.from, "transitions", after.key],
    workflow,
    state: after.from,
    transition: { from: after.from, key: after.key },
  };
  if (differs) {
    pushFieldChanges(
      out,
      TRANSITION_FIELDS,
      transitionFields(before),
      transitionFields(after),
      base,
      "transition_changed",
    );
  }
  pushExtensionChanges(out, extensions, base, "transition_changed");
}

/**
 * Transitions indexed by key, then by source state: no composite string is built per transition
 * (this runs for every transition of every workflow). Usually one transition per key.
 */
class TransitionIndex {
  /** A key's one transition, or several when the key leaves more than one state. */
  readonly #byKey = new Map<string, Transition | Transition[]>();
  readonly order: Transition[] = [];
  get(from: string, key: string): Transition | undefined {
    const found = this.#byKey.get(key);
    if (found === undefined) return undefined;
    if (!Array.isArray(found)) return found.from === from ? found : undefined;
    for (const transition of found) if (transition.from === from) return transition;
    return undefined;
  }
  /** Adds it, or returns false when a transition with the same from and key is already here. */
  add(transition: Transition): boolean {
    const found = this.#byKey.get(transition.key);
    if (found === undefined) this.#byKey.set(transition.key, transition);
    else if (!Array.isArray(found)) {
      if (found.from === transition.from) return false;
      this.#byKey.set(transition.key, [found, transition]);
    } else {
      for (const other of found) if (other.from === transition.from) return false;
      found.push(transition);
    }
    this.order.push(transition);
    return true;
  }
}

function diffTransitions(
  out: Change[],
  workflow: string,
  current: readonly Transition[],
  desired: readonly Transition[],
  mode: ExtensionMode,
): void {
  const n = Math.min(current.length, desired.length);
  const where = (t: Transition) => [workflow, "states", t.from, "transitions", t.key];
  // A paired prefix (same from and key at the same position) holds the same ids on both sides.
  const prefix = new TransitionIndex();
  let i = 0;
  for (; i < n; i++) {
    const before = current[i] as Transition;
    const after = desired[i] as Transition;
    if (before.key !== after.key || before.from !== after.from) break;
    if (!prefix.add(after)) throw duplicate(where(after));
    compareTransition(out, workflow, before, after, mode);
  }
  if (i === current.length && i === desired.length) return;
  const rest = (items: readonly Transition[]) => {
    const index = new TransitionIndex();
    for (let position = i; position < items.length; position++) {
      const item = items[position]!;
      if (prefix.get(item.from, item.key) || !index.add(item)) throw duplicate(where(item));
    }
    return index;
  };
  const currentRest = rest(current);
  const desiredRest = rest(desired);
  for (const after of desiredRest.order) {
    const before = currentRest.get(after.from, after.key);
    if (before) compareTransition(out, workflow, before, after, mode);
    else {
      out.push({
        kind: "transition_added",
        path: where(after),
        workflow,
        state: after.from,
        transition: { from: after.from, key: after.key },
        before: null,
        after: canonicalTransition(after),
      });
    }
  }
  for (const before of currentRest.order) {
    if (desiredRest.get(before.from, before.key)) continue;
    out.push({
      kind: "transition_removed",
      path: where(before),
      workflow,
      state: before.from,
      transition: { from: before.from, key: before.key },
      before: canonicalTransition(before),
      after: null,
    });
  }
}

function diffGroups(
  out: Change[],
  workflow: string,
  current: readonly Group[],
  desired: readonly Group[],
): void {
  if (current.length === 0 && desired.length === 0) return;
  const where = (g: Group) => [workflow, "groups", g.key];
  const currentGroups = indexBy(current, (g) => g.key, where);
  const desiredGroups = indexBy(desired, (g) => g.key, where);
  for (const [key, after] of desiredGroups) {
    const before = currentGroups.get(key);
    if (!before) {
      out.push({ kind: "group_added", path: where(after), workflow, group: key, before: null, after });
    } else if (!sameText(before.name, after.name)) {
      out.push({
        kind: "group_changed",
        path: [...where(after), "name"],
        workflow,
        group: key,
        field: "name",
        before: before.name,
        after: after.name,
      });
    }
  }
  for (const [key, before] of currentGroups) {
    if (desiredGroups.has(key)) continue;
    out.push({ kind: "group_removed", path: where(before), workflow, group: key, before, after: null });
  }
}

function comparePaths(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

const sortChanges = (changes: Change[]) => changes.sort((a, b) => comparePaths(a.path, b.path));

/**
 * The changes that turn `current` into `desired`, two versions of the same workflow (same key).
 * Sorted by path.
 */
export function diffWorkflow(current: Workflow, desired: Workflow, options: DiffOptions = {}): Change[] {
  if (current.key !== desired.key) {
    throw new DiffInputError(
      `cannot diff workflow "${current.key}" against "${desired.key}": a diff compares two versions of one workflow (use diffWorkflows for sets)`,
      [current.key],
    );
  }
  const out: Change[] = [];
  diffInto(out, current, desired, options.extensions ?? "shared");
  return sortChanges(out);
}

/**
 * The changes that turn the set `current` into the set `desired`, keyed by workflow key. A workflow
 * only in `desired` is one `workflow_added` change carrying the whole workflow (canonical form).
 */
export function diffWorkflows(
  current: readonly Workflow[],
  desired: readonly Workflow[],
  options: DiffOptions = {},
): WorkflowDiff {
  const mode = options.extensions ?? "shared";
  const currentByKey = indexBy(
    current,
    (w) => w.key,
    (w) => [w.key],
  );
  const desiredByKey = indexBy(
    desired,
    (w) => w.key,
    (w) => [w.key],
  );
  const out: Change[] = [];
  for (const [key, after] of desiredByKey) {
    const before = currentByKey.get(key);
    if (before) diffInto(out, before, after, mode);
    else
      out.push({
        kind: "workflow_added",
        path: [key],
        workflow: key,
        before: null,
        after: canonicalize(after),
      });
  }
  for (const [key, before] of currentByKey) {
    if (desiredByKey.has(key)) continue;
    out.push({
      kind: "workflow_removed",
      path: [key],
      workflow: key,
      before: canonicalize(before),
      after: null,
    });
  }
  return { formatVersion: DIFF_FORMAT_VERSION, changes: sortChanges(out) };
}

export function isEmptyDiff(diff: WorkflowDiff): boolean {
  return diff.changes.length === 0;
}

export interface DiffCounts {
  added: number;
  changed: number;
  removed: number;
}

export interface DiffSummary {
  workflows: DiffCounts;
  states: DiffCounts;
  transitions: DiffCounts;
  groups: DiffCounts;
}

/**
 * How many entities each change kind touches. `changed` counts entities (a state with three field
 * changes is one changed state); a workflow is changed when anything inside it changed. The states
 * and transitions of an added or removed workflow are not counted again below it.
 */
export function summarizeDiff(diff: WorkflowDiff): DiffSummary {
  const added = { workflows: 0, states: 0, transitions: 0, groups: 0 };
  const removed = { workflows: 0, states: 0, transitions: 0, groups: 0 };
  const changed = {
    workflows: new Set<string>(),
    states: new Set<string>(),
    transitions: new Set<string>(),
    groups: new Set<string>(),
  };
  for (const change of diff.changes) {
    switch (change.kind) {
      case "workflow_added":
        added.workflows++;
        break;
      case "workflow_removed":
        removed.workflows++;
        break;
      case "workflow_changed":
        changed.workflows.add(change.workflow);
        break;
      case "state_added":
        added.states++;
        changed.workflows.add(change.workflow);
        break;
      case "state_removed":
        removed.states++;
        changed.workflows.add(change.workflow);
        break;
      case "state_changed":
        changed.states.add(`${change.workflow}\u0000${change.state}`);
        changed.workflows.add(change.workflow);
        break;
      case "transition_added":
        added.transitions++;
        changed.workflows.add(change.workflow);
        break;
      case "transition_removed":
        removed.transitions++;
        changed.workflows.add(change.workflow);
        break;
      case "transition_changed":
        changed.transitions.add(
          `${change.workflow}\u0000${change.transition.from}\u0000${change.transition.key}`,
        );
        changed.workflows.add(change.workflow);
        break;
      case "group_added":
        added.groups++;
        changed.workflows.add(change.workflow);
        break;
      case "group_removed":
        removed.groups++;
        changed.workflows.add(change.workflow);
        break;
      case "group_changed":
        changed.groups.add(`${change.workflow}\u0000${change.group}`);
        changed.workflows.add(change.workflow);
        break;
    }
  }
  const counts = (what: keyof typeof added): DiffCounts => ({
    added: added[what],
    changed: changed[what].size,
    removed: removed[what],
  });
  return {
    workflows: counts("workflows"),
    states: counts("states"),
    transitions: counts("transitions"),
    groups: counts("groups"),
  };
}

// ---------------------------------------------------------------------------------------------
// Apply

type FieldChangeAny = WorkflowChanged | StateChanged | TransitionChanged | GroupChanged;

const copy = <T>(value: T): T =>
  value === null || typeof value !== "object" ? value : structuredClone(value);

/** Fields that are absent (rather than `null`) when a change's value is `null`. */
const OPTIONAL_FIELDS = new Set(["description", "color", "auditText", "group", "guard"]);

function setField(target: Record<string, unknown>, change: FieldChangeAny): void {
  if (change.field === "extensions") {
    const vendor = change.vendor as string;
    const extensions: Record<string, unknown> = { ...((target.extensions as object | undefined) ?? {}) };
    if (change.after === null) delete extensions[vendor];
    else extensions[vendor] = copy(change.after);
    target.extensions = extensions;
    return;
  }
  if (change.after === null && OPTIONAL_FIELDS.has(change.field)) delete target[change.field];
  else target[change.field] = copy(change.after);
}

function currentValue(target: object, change: FieldChangeAny): unknown {
  if (change.field === "extensions") {
    const extensions = (target as { extensions?: Record<string, unknown> }).extensions ?? {};
    return extensions[change.vendor as string] ?? null;
  }
  switch (change.kind) {
    case "workflow_changed":
      return workflowFields(target as Workflow)[change.field]();
    case "state_changed":
      return stateFields(target as State)[change.field]();
    case "transition_changed":
      return transitionFields(target as Transition)[change.field]();
    default:
      return (target as Group).name;
  }
}

/** A workflow taken apart by key, to apply changes to; rebuilt keeping the current order. */
class Editable {
  readonly workflow: Record<string, unknown>;
  readonly states: Map<string, State>;
  readonly transitions: Map<string, Transition>;
  readonly groups: Map<string, Group>;
  constructor(source: Workflow) {
    this.workflow = { ...source };
    this.states = new Map(source.states.map((state) => [state.key, state]));
    this.transitions = new Map((source.transitions ?? []).map((t) => [transitionId(t.from, t.key), t]));
    this.groups = new Map((source.groups ?? []).map((group) => [group.key, group]));
  }
  build(): Workflow {
    return {
      ...this.workflow,
      states: [...this.states.values()],
      transitions: [...this.transitions.values()],
      groups: [...this.groups.values()],
    } as Workflow;
  }
}

function applyField<T extends object>(
  map: Map<string, T>,
  id: string,
  change: FieldChangeAny,
  what: string,
): void {
  const target = map.get(id);
  if (!target) throw new DiffConflictError(`the ${what} does not exist`, change.path);
  checkBefore(target, change);
  const next = { ...target } as Record<string, unknown>;
  setField(next, change);
  map.set(id, next as T);
}

function checkBefore(target: object, change: FieldChangeAny): void {
  if (!same(currentValue(target, change), change.before)) {
    throw new DiffConflictError(
      `expected ${stableStringify(change.before)}, found ${stableStringify(currentValue(target, change))}`,
      change.path,
    );
  }
}

function addTo<T>(map: Map<string, T>, id: string, value: T, path: string[], what: string): void {
  if (map.has(id)) throw new DiffConflictError(`the ${what} already exists`, path);
  map.set(id, copy(value));
}

/** Remove an entity, which must still be what the diff saw (`canonical(current)` equals `before`). */
function removeFrom<T>(
  map: Map<string, T>,
  id: string,
  change: { path: string[]; before: unknown },
  what: string,
  canonical: (value: T) => unknown,
): void {
  const current = map.get(id);
  if (current === undefined) throw new DiffConflictError(`the ${what} does not exist`, change.path);
  if (!same(canonical(current), change.before)) {
    throw new DiffConflictError(`the ${what} to remove has changed since the diff was made`, change.path);
  }
  map.delete(id);
}

/**
 * `current` with `diff` applied: `applyDiff(current, diffWorkflows(current, desired))` means the
 * same as `desired` (canonical equality). Entities keep the current order; added ones come last.
 * Throws `DiffConflictError` when the diff does not fit (a change's `before` differs from the
 * current value, an entity to change or remove is missing, one to add exists already).
 * Workflows the diff does not touch are returned as they are (same objects).
 */
export function applyDiff(current: readonly Workflow[], diff: WorkflowDiff): Workflow[] {
  if (diff.formatVersion !== DIFF_FORMAT_VERSION) {
    throw new WorkflowSyncError(
      "diff_format",
      `unsupported diff format version ${String(diff.formatVersion)} (this version reads ${DIFF_FORMAT_VERSION})`,
    );
  }
  const byKey = new Map<string, Workflow | Editable>(current.map((w) => [w.key, w]));
  const editable = (change: Change): Editable => {
    const entry = byKey.get(change.workflow);
    if (!entry) throw new DiffConflictError("the workflow does not exist", [change.workflow]);
    if (entry instanceof Editable) return entry;
    const edit = new Editable(entry);
    byKey.set(change.workflow, edit);
    return edit;
  };

  for (const change of diff.changes) {
    switch (change.kind) {
      case "workflow_added":
        if (byKey.has(change.workflow)) {
          throw new DiffConflictError("the workflow already exists", change.path);
        }
        byKey.set(change.workflow, copy(change.after));
        break;
      case "workflow_removed": {
        const entry = byKey.get(change.workflow);
        if (!entry) throw new DiffConflictError("the workflow does not exist", change.path);
        const workflow = entry instanceof Editable ? entry.build() : entry;
        if (!same(canonicalize(workflow), change.before)) {
          throw new DiffConflictError(
            "the workflow to remove has changed since the diff was made",
            change.path,
          );
        }
        byKey.delete(change.workflow);
        break;
      }
      case "workflow_changed": {
        const edit = editable(change);
        checkBefore(edit.workflow, change);
        setField(edit.workflow, change);
        break;
      }
      case "state_added":
        addTo(editable(change).states, change.state, change.after, change.path, "state");
        break;
      case "state_removed":
        removeFrom(editable(change).states, change.state, change, "state", canonicalState);
        break;
      case "state_changed":
        applyField(editable(change).states, change.state, change, "state");
        break;
      case "transition_added": {
        const id = transitionId(change.transition.from, change.transition.key);
        addTo(editable(change).transitions, id, change.after, change.path, "transition");
        break;
      }
      case "transition_removed": {
        const id = transitionId(change.transition.from, change.transition.key);
        removeFrom(editable(change).transitions, id, change, "transition", canonicalTransition);
        break;
      }
      case "transition_changed": {
        const id = transitionId(change.transition.from, change.transition.key);
        applyField(editable(change).transitions, id, change, "transition");
        break;
      }
      case "group_added":
        addTo(editable(change).groups, change.group, change.after, change.path, "group");
        break;
      case "group_removed":
        removeFrom(editable(change).groups, change.group, change, "group", (group) => group);
        break;
      case "group_changed":
        applyField(editable(change).groups, change.group, change, "group");
        break;
      default: {
        const unknown = change as { kind?: unknown; path?: string[] };
        throw new DiffConflictError(`unknown change kind ${String(unknown.kind)}`, unknown.path ?? []);
      }
    }
  }
  return [...byKey.values()].map((entry) => (entry instanceof Editable ? entry.build() : entry));
}
