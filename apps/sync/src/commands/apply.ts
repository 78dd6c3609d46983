import type { CommandResult, Context } from "../context.ts";
import { applyPlan, readPlan } from "../sync/orchestrate.ts";
import { renderPlanSummary, renderPlanText } from "../sync/render-plan.ts";
import { reportApplied } from "../sync/report-applied.ts";
import type { ParsedArgs } from "./registry.ts";

/** The same apply, unattended: what resumes it after Ctrl-C. */
function resumeCommand(file: string, args: ParsedArgs): string {
  const confirm = ((args.flags["confirm-env"] as string[] | undefined) ?? []).map(
    (env) => ` --confirm-env ${env}`,
  );
  return (
    `workflow-sync apply ${file} --yes${confirm.join("")}` +
    (args.flags["accept-loss"] ? " --accept-loss" : "") +
    (args.flags.prune ? " --prune" : "")
  );
}

export async function run(ctx: Context, args: ParsedArgs): Promise<CommandResult> {
  const file = args.positionals[0]!;
  const plan = await readPlan(ctx, file);
  // Without --yes the whole plan is shown before the question; with it, one line per target.
  const acceptLoss = Boolean(args.flags["accept-loss"]) || plan.options.acceptLoss;
  ctx.out(
    args.flags.yes
      ? renderPlanSummary(plan, { acceptLoss })
      : renderPlanText(plan, { color: ctx.color, verbose: ctx.verbose }),
  );
  const results = await applyPlan(ctx, plan, {
    acceptLoss: Boolean(args.flags["accept-loss"]),
    prune: Boolean(args.flags.prune),
    resume: resumeCommand(file, args),
  });
  return reportApplied(ctx, results, { plan: file });
}
