import type { CommandResult, Context } from "../context.ts";
import type { ApplyTargetResult } from "./apply.ts";

/** One summary at the end of an apply (apply, sync, restore), for every target. */
export function reportApplied(
  ctx: Context,
  results: ApplyTargetResult[],
  extra: Record<string, unknown>,
): CommandResult {
  for (const result of results) {
    const stats = result.stats;
    ctx.out(
      `${result.environment}: ${result.status}` +
        (result.operations.length ? ` (${result.operations.length} operation(s))` : "") +
        ` · ${stats.requests} requests · ${stats.throttled} rate-limited · ${stats.retries} retries` +
        (result.backup ? ` · backup ${result.backup}` : ""),
    );
  }
  return { result: { ...extra, targets: results } };
}
