import type { WorkflowDiff } from "./changes.ts";

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
