import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { formatPath } from "@workflow-sync/core";
import type { CommandResult, Context } from "../context.ts";
import { FilesEnvironment } from "../environments/files.ts";
import { UsageError } from "../errors.ts";
import { checkSelection, workflowPatterns, workflowSelector } from "../review/select.ts";
import { loadValidSource } from "../sources/source.ts";
import type { ParsedArgs } from "./registry.ts";

export async function run(ctx: Context, args: ParsedArgs): Promise<CommandResult> {
  const spec = args.positionals[0]!;
  const out = args.flags.out as string | undefined;
  if (!out) throw new UsageError("export: --out DIR is required");
  const loaded = await loadValidSource(ctx, spec);
  const patterns = workflowPatterns(args.flags.workflow);
  if (patterns.length > 0)
    checkSelection(
      patterns,
      loaded.workflows.map((workflow) => workflow.key),
    );
  const selected = workflowSelector(patterns);
  const source = selected
    ? { ...loaded, workflows: loaded.workflows.filter((workflow) => selected(workflow.key)) }
    : loaded;
  const folder = new FilesEnvironment({ name: "export", folder: out, cwd: ctx.io.cwd });
  const existing = await folder.read();
  const before = new Map(existing.workflows.map((workflow) => [workflow.key, workflow]));
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const workflow of source.workflows) {
    const [request] = folder.planCreate(workflow).value;
    // Unchanged bytes are not rewritten (a re-export of an unchanged source touches nothing).
    const current = before.has(workflow.key)
      ? await readFile(join(ctx.io.cwd, out, request!.path), "utf8").catch(() => undefined)
      : undefined;
    if (current === String(request!.body)) {
      unchanged.push(request!.path);
      continue;
    }
    await folder.execute(request!);
    written.push(request!.path);
  }
  const stale = existing.workflows.filter(
    (workflow) =>
      !source.workflows.some((entry) => entry.key === workflow.key) && (!selected || selected(workflow.key)),
  );
  for (const workflow of stale)
    ctx.err(`warning: ${out}: ${workflow.key} is not in ${spec} any more (left in place)`);
  for (const loss of source.losses) ctx.err(`loss: ${formatPath(loss.path)}: ${loss.message}`);
  ctx.out(`${spec} → ${out}: ${written.length} written, ${unchanged.length} unchanged`);
  return { result: { out, written, unchanged, stale: stale.map((workflow) => workflow.key) } };
}
