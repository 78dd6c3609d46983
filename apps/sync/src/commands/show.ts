import { formatPath, renderDiffMarkdown, type Workflow } from "@workflow-sync/core";
import type { CommandResult, Context } from "../context.ts";
import { UsageError } from "../errors.ts";
import { sidesOf } from "../review/report-model.ts";
import { readPlan } from "../sync/orchestrate.ts";
import type { Plan } from "../sync/plan-format.ts";
import { planSummary, renderPlanText } from "../sync/render-plan.ts";
import type { ParsedArgs } from "./registry.ts";

const FORMATS = ["text", "markdown", "json"] as const;

/** `show <plan.json>`: the plan for a reviewer, offline (no environment is read). */
export async function run(ctx: Context, args: ParsedArgs): Promise<CommandResult> {
  const file = args.positionals[0]!;
  const format = (args.flags.format as string | undefined) ?? "text";
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`show: --format must be one of ${FORMATS.join(", ")}, not "${format}"`);
  }
  const plan = await readPlan(ctx, file);
  if (format === "json") ctx.out(JSON.stringify(plan, null, 2));
  else if (format === "markdown") ctx.out(renderPlanMarkdown(plan));
  else ctx.out(renderPlanText(plan, { color: ctx.color, verbose: ctx.verbose }));
  return { result: { plan: file, id: plan.id, checksum: plan.checksum, targets: planSummary(plan) } };
}

/** A plan as a pull-request comment: per target its changes with Mermaid diagrams, losses by rule. */
export function renderPlanMarkdown(plan: Plan): string {
  const parts: string[] = [];
  for (const target of plan.targets) {
    const current: Workflow[] = [];
    const desired: Workflow[] = [];
    for (const operation of target.operations) {
      const sides = sidesOf(operation, target);
      if (sides.before) current.push(sides.before);
      if (sides.after) desired.push(sides.after);
    }
    const changes = target.operations.flatMap((operation) => operation.changes);
    parts.push(
      renderDiffMarkdown(
        { formatVersion: 1, changes },
        { title: `${plan.source.environment} → ${target.environment}`, workflows: { current, desired } },
      ).trimEnd(),
    );
    const count = (action: string) => target.operations.filter((o) => o.action === action).length;
    const requests = target.operations.reduce((sum, operation) => sum + operation.requests.length, 0);
    parts.push(
      "",
      `Plan \`${plan.id}\` · ${count("create")} to create, ${count("update")} to update, ${count("delete")} to delete · ${requests} requests · checksum \`${plan.checksum.slice(0, 12)}…\``,
    );
    if (target.losses.length > 0) {
      const byCode = new Map<string, typeof target.losses>();
      for (const loss of target.losses) byCode.set(loss.code, [...(byCode.get(loss.code) ?? []), loss]);
      parts.push("", `#### ${target.losses.length} loss(es) on the way to ${target.vendor}`, "");
      parts.push("| Rule | Count | Example |", "| --- | ---: | --- |");
      for (const [code, list] of byCode) {
        const first = list[0]!;
        const example = `${first.workflow}.${formatPath(first.path)}: ${first.message}`.replace(/\|/g, "\\|");
        parts.push(`| \`${code}\` | ${list.length} | ${example.replace(/[\r\n]+/g, " ")} |`);
      }
    }
    const skipped = target.skipped.map((skip) => `- \`${skip.workflow}\`: ${skip.reason}`);
    if (skipped.length > 0) parts.push("", "Not written:", "", ...skipped);
    parts.push("");
  }
  return parts.join("\n");
}
