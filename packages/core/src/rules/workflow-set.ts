import type { Issue } from "../issues.ts";
import type { Workflow } from "../model.ts";
import { error } from "./issue.ts";

/** Checks across a set of workflows (one environment or folder): duplicate workflow keys. Paths start with the index in the set. */
export function checkWorkflowSet(workflows: readonly Workflow[]): Issue[] {
  const issues: Issue[] = [];
  const first = new Map<string, number>();
  workflows.forEach((workflow, index) => {
    const seen = first.get(workflow.key);
    if (seen === undefined) first.set(workflow.key, index);
    else
      issues.push(
        error(
          "duplicate_key",
          [index, "key"],
          `workflow key "${workflow.key}" is already used by workflow [${seen}]; workflow keys must be unique in a set`,
        ),
      );
  });
  return issues;
}
