import { formatPath, renderDiffText } from "@workflow-sync/core";
import type { Plan } from "./plan-format.ts";

const paint = (color: boolean, code: number, text: string) =>
  color ? `\u001b[${code}m${text}\u001b[0m` : text;

type TextOptions = { color: boolean; verbose?: boolean };
type Target = Plan["targets"][number];

/** A plan as a person reads it: per target, the operations with their changes, losses, skips and counts. */
export function renderPlanText(plan: Plan, options: TextOptions): string {
  const lines: string[] = [];
  for (const target of plan.targets) {
    lines.push(
      paint(options.color, 1, `${plan.source.environment} → ${target.environment} (${target.label})`),
      ...operationLines(target, options),
      ...skippedLines(target),
      ...lossLines(target, options),
      ...target.warnings.map(
        (warning) => `  warning: ${warning.workflow}.${formatPath(warning.path)}: ${warning.message}`,
      ),
      countLine(target),
      "",
    );
  }
  return lines.join("\n");
}

/** The changes the operations make, and the role writes by what each grants and takes back. */
function operationLines(target: Target, options: TextOptions): string[] {
  if (target.operations.length === 0) return ["  No changes: the target already matches."];
  const lines: string[] = [];
  const changes = target.operations.flatMap((operation) => operation.changes);
  const text = renderDiffText({ formatVersion: 1, changes }, { color: options.color });
  if (changes.length > 0) {
    lines.push(
      ...text
        .trimEnd()
        .split("\n")
        .map((line) => `  ${line}`),
    );
  }
  // Role writes: each one names what it grants and takes back (before → after in the plan file).
  for (const operation of target.operations) {
    if (operation.action !== "permissions") continue;
    for (const request of operation.requests) {
      lines.push(`  ${paint(options.color, 33, "~")} ${request.description}`);
    }
  }
  return lines;
}

/** What is not written, and why; the workflows only in the target on one line. */
function skippedLines(target: Target): string[] {
  const lines: string[] = [];
  const onlyInTarget = target.skipped.filter((skip) => skip.reason.startsWith("only in the target"));
  for (const skip of target.skipped) {
    if (!onlyInTarget.includes(skip)) lines.push(`  · ${skip.workflow}: ${skip.reason}`);
  }
  if (onlyInTarget.length > 0) {
    lines.push(
      `  · only in ${target.environment}, kept (--prune deletes them): ${onlyInTarget.map((skip) => skip.workflow).join(", ")}`,
    );
  }
  return lines;
}

/** The losses: by rule, with a count and one example each; --verbose lists every one. */
function lossLines(target: Target, options: TextOptions): string[] {
  if (target.losses.length === 0) return [];
  const lines = [
    paint(options.color, 33, `  ${target.losses.length} loss(es) on the way to ${target.vendor}:`),
  ];
  if (options.verbose) {
    for (const loss of target.losses) {
      lines.push(`    loss: ${loss.workflow}.${formatPath(loss.path)}: ${loss.message}`);
    }
    return lines;
  }
  const byCode = new Map<string, typeof target.losses>();
  for (const loss of target.losses) byCode.set(loss.code, [...(byCode.get(loss.code) ?? []), loss]);
  for (const [code, list] of [...byCode].sort(([, a], [, b]) => b.length - a.length)) {
    const first = list[0]!;
    lines.push(
      `    ${code} ×${list.length}, e.g. loss: ${first.workflow}.${formatPath(first.path)}: ${first.message}`,
    );
  }
  if (byCode.size < target.losses.length) lines.push("    (--verbose lists every loss)");
  return lines;
}

function countLine(target: Target): string {
  const count = (action: string) =>
    target.operations.filter((operation) => operation.action === action).length;
  const roleWrites = target.operations
    .filter((operation) => operation.action === "permissions")
    .reduce((sum, operation) => sum + operation.requests.length, 0);
  return (
    `  Plan: ${count("create")} to create, ${count("update")} to update, ${count("delete")} to delete` +
    (roleWrites > 0 ? `, ${roleWrites} role(s) to update` : "") +
    ` (${target.operations.reduce((sum, operation) => sum + operation.requests.length, 0)} requests).`
  );
}

/** The JSON summary of a plan for --json results. */
export function planSummary(plan: Plan) {
  return plan.targets.map((target) => ({
    environment: target.environment,
    vendor: target.vendor,
    create: target.operations.filter((operation) => operation.action === "create").length,
    update: target.operations.filter((operation) => operation.action === "update").length,
    delete: target.operations.filter((operation) => operation.action === "delete").length,
    roles: target.operations
      .filter((operation) => operation.action === "permissions")
      .reduce((sum, operation) => sum + operation.requests.length, 0),
    requests: target.operations.reduce((sum, operation) => sum + operation.requests.length, 0),
    losses: target.losses.length,
    skipped: target.skipped.length,
  }));
}

/**
 * One line per target: for `apply --yes` and summaries. Losses are called accepted only when they
 * are (the plan was made, or is applied, with --accept-loss); otherwise apply refuses them next.
 */
export function renderPlanSummary(plan: Plan, options: { acceptLoss: boolean }): string {
  return plan.targets
    .map((target) => {
      const count = (action: string) =>
        target.operations.filter((operation) => operation.action === action).length;
      return (
        `${plan.source.environment} → ${target.environment}: ${count("create")} to create, ${count("update")} to update, ` +
        `${count("delete")} to delete` +
        (target.losses.length
          ? `, ${target.losses.length} loss(es)${options.acceptLoss ? " accepted" : " (not accepted: --accept-loss)"}`
          : "")
      );
    })
    .join("\n");
}
