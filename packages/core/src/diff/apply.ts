import { canonicalize, stableStringify } from "../canonical.ts";
import { WorkflowSyncError } from "../errors.ts";
import type { Group, State, Transition, Workflow } from "../model.ts";
import {
  type Change,
  DIFF_FORMAT_VERSION,
  DiffConflictError,
  type GroupChanged,
  type StateChanged,
  type TransitionChanged,
  type WorkflowChanged,
  type WorkflowDiff,
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
