import {
  diffWorkflows,
  isEmptyDiff,
  renderDiffJson,
  renderDiffMarkdown,
  renderDiffText,
  summarizeDiff,
} from "@workflow-sync/core";
import type { CommandResult, Context } from "../context.ts";
import { UsageError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { loadValidSource } from "../sources/source.ts";
import type { ParsedArgs } from "./registry.ts";

const FORMATS = ["text", "json", "markdown"] as const;

export async function run(ctx: Context, args: ParsedArgs): Promise<CommandResult> {
  const [fromSpec, toSpec] = args.positionals as [string, string];
  const format = (args.flags.format as string | undefined) ?? "text";
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`diff: --format must be one of ${FORMATS.join(", ")}, not "${format}"`);
  }
  const [from, to] = await Promise.all([loadValidSource(ctx, fromSpec), loadValidSource(ctx, toSpec)]);
  // Changes read as what a sync from <from> to <to> would do to <to>: current = to, desired = from.
  const diff = diffWorkflows(to.workflows, from.workflows);
  const empty = isEmptyDiff(diff);

  if (!ctx.json) {
    if (format === "json") ctx.out(renderDiffJson(diff));
    else if (format === "markdown") ctx.out(renderDiffMarkdown(diff, { title: `${fromSpec} → ${toSpec}` }));
    else ctx.out(renderDiffText(diff, { color: ctx.color }));
  }
  const exitCode = args.flags["detailed-exitcode"] && !empty ? ExitCode.changes : ExitCode.ok;
  return {
    exitCode,
    result: { from: fromSpec, to: toSpec, ...diff, summary: summarizeDiff(diff) },
  };
}
