import type { Change, ChangeKind, WorkflowDiff } from "./changes.ts";

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
    const effects: (typeof EFFECTS)[ChangeKind] | undefined = EFFECTS[change.kind];
    if (effects === undefined) continue; // a kind this version does not know (a plan from a newer one)
    const [entity, effect] = effects;
    // anything added, removed or changed inside a workflow changes that workflow
    if (entity !== "workflows") changed.workflows.add(change.workflow);
    if (effect === "added") added[entity]++;
    else if (effect === "removed") removed[entity]++;
    else changed[entity].add(entityId(change));
  }
  const counts = (what: Entity): DiffCounts => ({
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

type Entity = keyof DiffSummary;

/** What each kind of change does to which kind of entity. */
const EFFECTS: Record<ChangeKind, readonly [Entity, keyof DiffCounts]> = {
  workflow_added: ["workflows", "added"],
  workflow_removed: ["workflows", "removed"],
  workflow_changed: ["workflows", "changed"],
  state_added: ["states", "added"],
  state_removed: ["states", "removed"],
  state_changed: ["states", "changed"],
  transition_added: ["transitions", "added"],
  transition_removed: ["transitions", "removed"],
  transition_changed: ["transitions", "changed"],
  group_added: ["groups", "added"],
  group_removed: ["groups", "removed"],
  group_changed: ["groups", "changed"],
};

/** The changed entity's identity within the diff (a state with three field changes is one state). */
function entityId(change: Change): string {
  switch (change.kind) {
    case "state_changed":
      return `${change.workflow}\u0000${change.state}`;
    case "transition_changed":
      return `${change.workflow}\u0000${change.transition.from}\u0000${change.transition.key}`;
    case "group_changed":
      return `${change.workflow}\u0000${change.group}`;
    default:
      return change.workflow;
  }
}
