import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { formatPath, type Workflow } from "@workflow-sync/core";
import type { CommandResult, Context } from "../context.ts";
import { FilesEnvironment } from "../environments/files.ts";
import { configuredFolderOf, openEnvironment } from "../environments/resolve.ts";
import { RefusedError, UsageError } from "../errors.ts";
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
  // The folder of a protected files environment is written only through the write gate (sync).
  const configured = await configuredFolderOf(ctx, out);
  if (configured && (await openEnvironment(ctx, configured)).protected) {
    throw new RefusedError(
      "protected_environment",
      `${out} is the folder of ${configured}, a protected environment: export does not write to it; nothing was written`,
      { suggestions: [`workflow-sync sync ${spec} ${configured} --confirm-env ${configured}`] },
    );
  }
  const folder = new FilesEnvironment({
    name: "export",
    folder: out,
    cwd: ctx.io.cwd,
    gate: ctx.gate,
    createIfMissing: true,
  });
  ctx.gate.approveOutput(folder);
  const existing = await folder.read();
  const { written, unchanged } = await writeChanged(folder, source.workflows, existing.workflows);
  const stale = existing.workflows.filter(
    (workflow) =>
      !source.workflows.some((entry) => entry.key === workflow.key) && (!selected || selected(workflow.key)),
  );
  for (const workflow of stale) {
    ctx.err(
      `warning: ${out}: ${workflow.key} is not in ${spec} any more; its file ${folder.fileOf(workflow.key)} was left in place`,
    );
  }
  for (const loss of source.losses) ctx.err(`loss: ${formatPath(loss.path)}: ${loss.message}`);
  ctx.out(`${spec} → ${folder.folder}: ${written.length} written, ${unchanged.length} unchanged`);
  return { result: { out, written, unchanged, stale: stale.map((workflow) => workflow.key) } };
}

/**
 * Write each workflow's file, unless it holds these bytes already (a re-export of an unchanged
 * source touches nothing). Every file is planned before the first is written: a file that holds
 * another workflow is refused (naming the file and both keys) before anything changes.
 */
async function writeChanged(
  folder: FilesEnvironment,
  workflows: readonly Workflow[],
  existing: readonly Workflow[],
): Promise<{ written: string[]; unchanged: string[] }> {
  const before = new Set(existing.map((workflow) => workflow.key));
  const requests = workflows.map((workflow) => ({
    workflow,
    request: folder.planCreate(workflow).value[0]!,
  }));
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const { workflow, request } of requests) {
    const current = before.has(workflow.key)
      ? await readFile(join(folder.folder, request.path), "utf8").catch(() => undefined)
      : undefined;
    if (current === String(request.body)) {
      unchanged.push(request.path);
      continue;
    }
    await folder.execute(request);
    written.push(request.path);
  }
  return { written, unchanged };
}
