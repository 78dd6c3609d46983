import { canonicalize } from "../canonical.ts";
import type { Workflow } from "../model.ts";
import {
  type Change,
  DIFF_FORMAT_VERSION,
  DiffInputError,
  type DiffOptions,
  type ExtensionMode,
  type WorkflowDiff,
} from "./changes.ts";
import { extensionChanges, pushExtensionChanges } from "./extensions.ts";
import { diffGroups } from "./groups.ts";
import { indexBy, pushFieldChanges } from "./keyed.ts";
import { diffStates } from "./states.ts";
import { diffTransitions } from "./transitions.ts";
import { WORKFLOW_FIELDS, workflowFields } from "./values.ts";

/** The changes between two versions of one workflow: its own fields, then its states, transitions and groups. */
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
