import {
  applyDiff,
  type Change,
  type ReportInput,
  type ReportTarget,
  type ReportWorkflow,
  textOf,
  type Workflow,
} from "@workflow-sync/core";
import type { Operation, Plan, TargetPlan } from "../sync/plan-format.ts";
import { workflowSelector } from "./select.ts";

/*
 * A plan as the report model of core's `renderReportHtml` (and of `show`): per operation the
 * workflow before and after, its changes and its requests. Works offline from the plan file alone:
 * a create carries the new workflow, a delete the removed one, an update the target's workflow as
 * planned (`current`) with the changes that turn it into the desired one.
 */

function changesOf(operation: Operation): Change[] {
  return operation.changes;
}

/** The workflow before and after one operation. */
export function sidesOf(
  operation: Operation,
  target: TargetPlan,
): { before: Workflow | null; after: Workflow | null } {
  const changes = changesOf(operation);
  if (operation.action === "create") {
    const added = changes.find((change) => change.kind === "workflow_added");
    return { before: null, after: added?.kind === "workflow_added" ? added.after : null };
  }
  if (operation.action === "delete") {
    const removed = changes.find((change) => change.kind === "workflow_removed");
    return { before: removed?.kind === "workflow_removed" ? removed.before : null, after: null };
  }
  const before = operation.current ?? null;
  if (before) {
    try {
      const [after] = applyDiff([before], { formatVersion: 1, changes });
      return { before, after: after ?? null };
    } catch {
      // fall through: show the desired workflow alone
    }
  }
  const desired = target.desired.find(
    (workflow) => workflow.key === (operation.source ?? operation.workflow),
  );
  return { before, after: desired ?? null };
}

/** Workflows of the target that the plan leaves as they are. */
export function unchangedOf(target: TargetPlan): Array<{ key: string; name?: string }> {
  const touched = new Set([
    ...target.operations.map((operation) => operation.workflow),
    ...target.skipped.map((skip) => skip.workflow),
  ]);
  return Object.keys(target.workflows)
    .filter((key) => !touched.has(key))
    .sort()
    .map((key) => {
      const desired = target.desired.find((workflow) => workflow.key === key);
      return desired ? { key, name: textOf(desired.name) } : { key };
    });
}

export function reportTarget(target: TargetPlan, select?: (key: string) => boolean): ReportTarget {
  const workflows: ReportWorkflow[] = target.operations.map((operation) => ({
    key: operation.workflow,
    action: operation.action,
    ...sidesOf(operation, target),
    changes: changesOf(operation),
    requests: operation.requests.map((request) => ({
      method: request.method,
      path: request.path,
      description: request.description,
      ...(request.body !== undefined ? { body: request.body } : {}),
    })),
  }));
  return {
    environment: target.environment,
    vendor: target.vendor,
    label: target.label,
    fingerprint: target.fingerprint,
    workflows,
    unchanged: unchangedOf(target).filter((workflow) => !select || select(workflow.key)),
    skipped: target.skipped,
    losses: target.losses,
    warnings: target.warnings,
    roles: target.mappings.roles,
  };
}

export function reportOfPlan(plan: Plan): ReportInput {
  return {
    source: {
      environment: plan.source.environment,
      vendor: plan.source.vendor,
      fingerprint: plan.source.fingerprint,
    },
    plan: {
      id: plan.id,
      createdAt: plan.createdAt,
      checksum: plan.checksum,
      tool: `${plan.tool.name} ${plan.tool.version}`,
      options: plan.options,
    },
    targets: plan.targets.map((target) =>
      reportTarget(target, workflowSelector(plan.options.workflows ?? [])),
    ),
    footer: `Made by ${plan.tool.name} ${plan.tool.version}. Self-contained: no script, nothing loaded from elsewhere.`,
  };
}
