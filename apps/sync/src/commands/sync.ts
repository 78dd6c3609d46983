import type { CommandResult, Context } from "../context.ts";
import { UsageError } from "../errors.ts";
import { planOptionsOf, splitTargets, startPlanReads } from "../sync/plan-reads.ts";
import type { ParsedArgs } from "./registry.ts";

export async function run(ctx: Context, args: ParsedArgs): Promise<CommandResult> {
  if (typeof args.flags.locale === "string") ctx.locale = args.flags.locale;
  const [from, ...rest] = args.positionals as [string, ...string[]];
  const targets = splitTargets([...rest, ...((args.flags.to as string[] | undefined) ?? [])]);
  if (targets.length === 0) throw new UsageError("sync: name a target: workflow-sync sync <from> <to>");
  // The reads go out first; the planning and apply code loads while their answers are on their way.
  const reads = startPlanReads(ctx, from, targets);
  await reads.sent;
  const [{ applyPlan, makePlan }, { planSummary, renderPlanText }, { reportApplied }] = await Promise.all([
    import("../sync/orchestrate.ts"),
    import("../sync/render-plan.ts"),
    import("../sync/report-applied.ts"),
  ]);
  const { plan, environments, snapshots } = await makePlan(
    ctx,
    from,
    targets,
    planOptionsOf(args.flags),
    reads,
  );
  ctx.out(renderPlanText(plan, { color: ctx.color, verbose: ctx.verbose }));
  const results = await applyPlan(
    ctx,
    plan,
    {
      acceptLoss: Boolean(args.flags["accept-loss"]),
      prune: Boolean(args.flags.prune),
      resume: "run the same sync again (it plans only what is left)",
    },
    environments,
    snapshots,
  );
  const reported = reportApplied(ctx, results, {});
  return { ...reported, result: { ...(reported.result as object), plan: planSummary(plan) } };
}
