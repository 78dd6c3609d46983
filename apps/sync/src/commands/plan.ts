import { mkdir, stat } from "node:fs/promises";
import { dirname, isAbsolute, join } from "node:path";
import type { CommandResult, Context } from "../context.ts";
import { UsageError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { planOptionsOf, splitTargets, startPlanReads } from "../sync/plan-reads.ts";
import type { ParsedArgs } from "./registry.ts";

export async function run(ctx: Context, args: ParsedArgs): Promise<CommandResult> {
  if (typeof args.flags.locale === "string") ctx.locale = args.flags.locale;
  const [from, ...rest] = args.positionals as [string, ...string[]];
  const targets = splitTargets([...rest, ...((args.flags.to as string[] | undefined) ?? [])]);
  if (targets.length === 0)
    throw new UsageError("plan: name a target: workflow-sync plan <from> <to> --out plan.json");
  const out = args.flags.out as string | undefined;
  const path = out === undefined ? undefined : isAbsolute(out) ? out : join(ctx.io.cwd, out);
  if (out && path && (await stat(path).catch(() => undefined))?.isDirectory()) {
    throw new UsageError(
      `plan: --out ${out} is a folder; name the plan file (e.g. ${join(out, "plan.json")})`,
    );
  }
  // The reads go out first; the planning code loads while their answers are on their way.
  const reads = startPlanReads(ctx, from, targets);
  await reads.sent;
  const [{ makePlan }, { planFileText }, { planSummary, renderPlanText }, { writeAtomic }] =
    await Promise.all([
      import("../sync/orchestrate.ts"),
      import("../sync/plan-format.ts"),
      import("../sync/render-plan.ts"),
      import("../sync/state-dir.ts"),
    ]);
  const { plan } = await makePlan(ctx, from, targets, planOptionsOf(args.flags), reads);
  if (path) {
    await mkdir(dirname(path), { recursive: true });
    await writeAtomic(path, planFileText(plan));
  }
  ctx.out(renderPlanText(plan, { color: ctx.color, verbose: ctx.verbose }));
  if (out) ctx.out(`Plan written to ${out}. Apply it with: workflow-sync apply ${out}`);
  else ctx.out("No plan file written (add --out plan.json to keep it for apply).");
  const operations = plan.targets.reduce((sum, target) => sum + target.operations.length, 0);
  return {
    exitCode: args.flags["detailed-exitcode"] && operations > 0 ? ExitCode.changes : ExitCode.ok,
    result: {
      plan: out ?? null,
      id: plan.id,
      targets: planSummary(plan),
      losses: plan.targets.flatMap((t) => t.losses),
    },
  };
}
