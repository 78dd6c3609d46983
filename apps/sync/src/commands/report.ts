import { mkdir, stat } from "node:fs/promises";
import { dirname, isAbsolute, join } from "node:path";
import { renderReportHtml } from "@workflow-sync/core";
import type { CommandResult, Context } from "../context.ts";
import { UsageError } from "../errors.ts";
import { reportOfPlan } from "../review/report-model.ts";
import { workflowPatterns } from "../review/select.ts";
import { makePlan, readPlan } from "../sync/orchestrate.ts";
import { writeAtomic } from "../sync/state-dir.ts";
import type { ParsedArgs } from "./registry.ts";

/**
 * `report <plan.json>` or `report <from> <to>`: the plan (read, or made now exactly as `plan` makes
 * it, writing nothing to any environment) as one self-contained HTML page.
 */
export async function run(ctx: Context, args: ParsedArgs): Promise<CommandResult> {
  const [first, second] = args.positionals as [string, string | undefined];
  const out = args.flags.out as string | undefined;
  const plan =
    second === undefined
      ? await readPlan(ctx, first)
      : (
          await makePlan(ctx, first, [second], {
            prune: Boolean(args.flags.prune),
            acceptLoss: Boolean(args.flags["accept-loss"]),
            ...(typeof args.flags.map === "string" ? { map: args.flags.map } : {}),
            workflows: workflowPatterns(args.flags.workflow),
          })
        ).plan;
  const html = renderReportHtml(reportOfPlan(plan));
  if (!out) {
    if (ctx.json) throw new UsageError("report: with --json, name the page with --out report.html");
    ctx.io.stdout.write(html);
    return { result: { bytes: Buffer.byteLength(html) } };
  }
  const path = isAbsolute(out) ? out : join(ctx.io.cwd, out);
  if ((await stat(path).catch(() => undefined))?.isDirectory()) {
    throw new UsageError(
      `report: --out ${out} is a folder; name the page (e.g. ${join(out, "report.html")})`,
    );
  }
  await mkdir(dirname(path), { recursive: true });
  await writeAtomic(path, html);
  const operations = plan.targets.reduce((sum, target) => sum + target.operations.length, 0);
  ctx.out(`Report written to ${out} (${operations} workflow change(s)); open it in a browser.`);
  return { result: { out, plan: plan.id, operations, bytes: Buffer.byteLength(html) } };
}
