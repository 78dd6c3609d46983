import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { CommandResult, Context } from "../context.ts";
import { FilesEnvironment } from "../environments/files.ts";
import { UsageError } from "../errors.ts";
import { loadValidSource } from "../sources/source.ts";
import type { ParsedArgs } from "./registry.ts";

export async function run(ctx: Context, args: ParsedArgs): Promise<CommandResult> {
  const spec = args.positionals[0]!;
  const out = args.flags.out as string | undefined;
  if (!out) throw new UsageError("export: --out DIR is required");
  const source = await loadValidSource(ctx, spec);
  const folder = new FilesEnvironment({ name: "export", folder: out, cwd: ctx.io.cwd });
  const existing = await folder.read();
  const before = new Map(existing.workflows.map((workflow) => [workflow.key, workflow]));
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const workflow of source.workflows) {
    const [request] = folder.planCreate(workflow).value;
    const current = await readdir(join(ctx.io.cwd, out)).catch(() => [] as string[]);
    const same =
      before.has(workflow.key) &&
      current.includes(request!.path) &&
      (await sameText(join(ctx.io.cwd, out, request!.path), String(request!.body)));
    if (same) {
      unchanged.push(request!.path);
      continue;
    }
    await folder.execute(request!);
    written.push(request!.path);
  }
  const stale = existing.workflows.filter(
    (workflow) => !source.workflows.some((entry) => entry.key === workflow.key),
  );
  for (const workflow of stale)
    ctx.err(`warning: ${out}: ${workflow.key} is not in ${spec} any more (left in place)`);
  for (const loss of source.losses) ctx.err(`loss: ${loss.path.join(".")}: ${loss.message}`);
  ctx.out(`${spec} → ${out}: ${written.length} written, ${unchanged.length} unchanged`);
  return { result: { out, written, unchanged, stale: stale.map((workflow) => workflow.key) } };
}

async function sameText(path: string, text: string): Promise<boolean> {
  const { readFile } = await import("node:fs/promises");
  return (await readFile(path, "utf8").catch(() => undefined)) === text;
}
