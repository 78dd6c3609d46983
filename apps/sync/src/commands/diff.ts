import {
  diffWorkflows,
  formatPath,
  isEmptyDiff,
  type Loss,
  renderDiffJson,
  renderDiffMarkdown,
  renderDiffText,
  summarizeDiff,
  type Workflow,
} from "@workflow-sync/core";
import type { CommandResult, Context } from "../context.ts";
import { UsageError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { checkSelection, workflowPatterns, workflowSelector } from "../review/select.ts";
import { loadValidSource } from "../sources/source.ts";
import { applyMappingFile, readMappingFileAt } from "../sync/mapping-file.ts";
import { projectAll } from "../sync/unresolved.ts";
import type { ParsedArgs } from "./registry.ts";

const FORMATS = ["text", "json", "markdown"] as const;

export async function run(ctx: Context, args: ParsedArgs): Promise<CommandResult> {
  const [fromSpec, toSpec] = args.positionals as [string, string];
  const format = (args.flags.format as string | undefined) ?? "text";
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`diff: --format must be one of ${FORMATS.join(", ")}, not "${format}"`);
  }
  const [from, to] = await Promise.all([loadValidSource(ctx, fromSpec), loadValidSource(ctx, toSpec)]);
  const patterns = workflowPatterns(args.flags.workflow);
  if (patterns.length > 0) {
    checkSelection(
      patterns,
      [...from.workflows, ...to.workflows].map((workflow) => workflow.key),
    );
  }
  const selected = workflowSelector(patterns) ?? (() => true);
  let desired: Workflow[] = from.workflows.filter(
    (workflow) =>
      selected(workflow.key) && (!from.readOnly.includes(workflow.key) || from.vendor === to.vendor),
  );
  if (typeof args.flags.map === "string") {
    desired = (await applyMappingFile(desired, await readMappingFileAt(ctx.io.cwd, args.flags.map)))
      .workflows;
  }
  // Across vendors, <from> is first put in <to>'s terms (what a sync would write and read back), so
  // the diff shows what a sync would change; what cannot be carried is listed as losses.
  // Names the target lacks are found as plan finds them (one path), every kind listed at once.
  const losses: Array<Loss & { workflow: string }> = [];
  if (to.environment && to.snapshot) {
    const projected = projectAll(desired, to.environment, to.snapshot);
    if (to.vendor !== from.vendor) {
      desired = projected.workflows;
      losses.push(...projected.losses);
    }
  }
  // Changes read as what a sync from <from> to <to> would do to <to>: current = to, desired = from.
  // A read-only (system) workflow of <to> is left out unless <from> has it too (an exported folder
  // holds the system definitions it was exported with): then it is compared like any other.
  const desiredKeys = new Set(desired.map((workflow) => workflow.key));
  const current = to.workflows.filter(
    (workflow) =>
      selected(workflow.key) &&
      (!to.readOnly.includes(workflow.key) || from.vendor === to.vendor || desiredKeys.has(workflow.key)),
  );
  const diff = diffWorkflows(current, desired);
  const empty = isEmptyDiff(diff);

  if (!ctx.json) {
    if (format === "json") ctx.out(renderDiffJson(diff));
    else if (format === "markdown")
      ctx.out(
        renderDiffMarkdown(diff, { title: `${fromSpec} → ${toSpec}`, workflows: { current, desired } }),
      );
    else ctx.out(renderDiffText(diff, { color: ctx.color }));
    for (const loss of losses) ctx.err(`loss: ${loss.workflow}.${formatPath(loss.path)}: ${loss.message}`);
  }
  const exitCode = args.flags["detailed-exitcode"] && !empty ? ExitCode.changes : ExitCode.ok;
  return {
    exitCode,
    result: { from: fromSpec, to: toSpec, ...diff, summary: summarizeDiff(diff), losses },
  };
}
