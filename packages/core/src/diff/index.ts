/*
 * Keyed diff of workflows: workflow key → state key → transition (from, key) → group key, never
 * array positions. The order of set-like arrays (roles, scope lists, parameters, guard conditions)
 * and of object keys is not a change: values are compared in their canonical form.
 *
 * Cost: each state and transition is turned into one canonical string (extensions aside) and
 * compared; only entities whose strings differ are compared field by field. Lookups go through
 * Maps, so a diff is linear in the size of the workflows.
 */

export { applyDiff } from "./apply.ts";
export {
  type Change,
  type ChangeKind,
  DIFF_FORMAT_VERSION,
  DiffConflictError,
  DiffInputError,
  type DiffOptions,
  type ExtensionValue,
  type GroupAdded,
  type GroupChanged,
  type GroupField,
  type GroupFieldValues,
  type GroupRemoved,
  type StateAdded,
  type StateChanged,
  type StateField,
  type StateFieldValues,
  type StateRemoved,
  type TransitionAdded,
  type TransitionChanged,
  type TransitionField,
  type TransitionFieldValues,
  type TransitionRemoved,
  type WorkflowAdded,
  type WorkflowChanged,
  type WorkflowDiff,
  type WorkflowField,
  type WorkflowFieldValues,
  type WorkflowRemoved,
} from "./changes.ts";
export { type DiffCounts, type DiffSummary, isEmptyDiff, summarizeDiff } from "./summary.ts";
export { diffWorkflow, diffWorkflows } from "./workflows.ts";
