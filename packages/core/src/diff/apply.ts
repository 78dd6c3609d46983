import { canonicalize, stableStringify } from "../canonical.ts";
import { WorkflowSyncError } from "../errors.ts";
import type { Group, State, Transition, Workflow } from "../model.ts";
import {
  type Change,
  DIFF_FORMAT_VERSION,
  DiffConflictError,
  type GroupChanged,
  type StateChanged,
  type TransitionAdded,
  type TransitionChanged,
  type TransitionRemoved,
  type WorkflowAdded,
  type WorkflowChanged,
  type WorkflowDiff,
  type WorkflowRemoved,
} from "./changes.ts";
import { transitionId } from "./keyed.ts";
import { same } from "./same.ts";
import {
  canonicalState,
  canonicalTransition,
  stateFields,
  transitionFields,
  workflowFields,
} from "./values.ts";

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
  const workflows = new EditableSet(current);
  for (const change of diff.changes) applyChange(workflows, change);
  return workflows.build();
}

/** The workflows by key; a workflow is taken apart (`Editable`) only when a change reaches inside it. */
class EditableSet {
  readonly #byKey: Map<string, Workflow | Editable>;
  constructor(current: readonly Workflow[]) {
    this.#byKey = new Map(current.map((w) => [w.key, w]));
  }
  editable(change: Change): Editable {
    const entry = this.#byKey.get(change.workflow);
    if (!entry) throw new DiffConflictError("the workflow does not exist", [change.workflow]);
    if (entry instanceof Editable) return entry;
    const edit = new Editable(entry);
    this.#byKey.set(change.workflow, edit);
    return edit;
  }
  add(change: WorkflowAdded): void {
    if (this.#byKey.has(change.workflow))
      throw new DiffConflictError("the workflow already exists", change.path);
    this.#byKey.set(change.workflow, copy(change.after));
  }
  /** Remove a workflow, which must still be what the diff saw. */
  remove(change: WorkflowRemoved): void {
    const entry = this.#byKey.get(change.workflow);
    if (!entry) throw new DiffConflictError("the workflow does not exist", change.path);
    const workflow = entry instanceof Editable ? entry.build() : entry;
    if (!same(canonicalize(workflow), change.before)) {
      throw new DiffConflictError("the workflow to remove has changed since the diff was made", change.path);
    }
    this.#byKey.delete(change.workflow);
  }
  build(): Workflow[] {
    return [...this.#byKey.values()].map((entry) => (entry instanceof Editable ? entry.build() : entry));
  }
}

/** One change, checked against what it replaces (`DiffConflictError` when it does not fit). */
function applyChange(workflows: EditableSet, change: Change): void {
  switch (change.kind) {
    case "workflow_added":
      workflows.add(change);
      break;
    case "workflow_removed":
      workflows.remove(change);
      break;
    case "workflow_changed": {
      const edit = workflows.editable(change);
      checkBefore(edit.workflow, change);
      setField(edit.workflow, change);
      break;
    }
    case "state_added":
      addTo(workflows.editable(change).states, change.state, change.after, change.path, "state");
      break;
    case "state_removed":
      removeFrom(workflows.editable(change).states, change.state, change, "state", canonicalState);
      break;
    case "state_changed":
      applyField(workflows.editable(change).states, change.state, change, "state");
      break;
    case "transition_added":
    case "transition_removed":
    case "transition_changed":
      applyToTransition(workflows.editable(change).transitions, change);
      break;
    case "group_added":
      addTo(workflows.editable(change).groups, change.group, change.after, change.path, "group");
      break;
    case "group_removed":
      removeFrom(workflows.editable(change).groups, change.group, change, "group", (group) => group);
      break;
    case "group_changed":
      applyField(workflows.editable(change).groups, change.group, change, "group");
      break;
    default: {
      const unknown = change as { kind?: unknown; path?: string[] };
      throw new DiffConflictError(`unknown change kind ${String(unknown.kind)}`, unknown.path ?? []);
    }
  }
}

function applyToTransition(
  transitions: Map<string, Transition>,
  change: TransitionAdded | TransitionRemoved | TransitionChanged,
): void {
  const id = transitionId(change.transition.from, change.transition.key);
  if (change.kind === "transition_added") addTo(transitions, id, change.after, change.path, "transition");
  else if (change.kind === "transition_removed")
    removeFrom(transitions, id, change, "transition", canonicalTransition);
  else applyField(transitions, id, change, "transition");
}
