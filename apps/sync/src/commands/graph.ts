import { renderMermaid } from "@workflow-sync/core";
import type { CommandResult, Context } from "../context.ts";
import { CliError } from "../errors.ts";
import { loadValidSource } from "../sources/source.ts";
import type { ParsedArgs } from "./registry.ts";

export async function run(ctx: Context, args: ParsedArgs): Promise<CommandResult> {
  const spec = args.positionals[0]!;
  const only = args.flags.workflow as string | undefined;
  const locale = args.flags.locale as string | undefined;
  const source = await loadValidSource(ctx, spec);
  const workflows = only ? source.workflows.filter((workflow) => workflow.key === only) : source.workflows;
  if (only && workflows.length === 0) {
    throw new CliError("unknown_workflow", `${spec}: no workflow with key "${only}"`, {
      suggestions: [`keys here: ${source.workflows.map((workflow) => workflow.key).join(", ") || "(none)"}`],
    });
  }
  const graphs = workflows.map((workflow) => ({
    workflow: workflow.key,
    mermaid: renderMermaid(workflow, locale ? { locale } : {}),
  }));
  for (const graph of graphs) {
    if (graphs.length > 1) ctx.out(`%% ${graph.workflow}`);
    ctx.out(graph.mermaid);
  }
  return { result: { graphs } };
}
