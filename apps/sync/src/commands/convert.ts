import { formatPath, type Loss, VENDORS } from "@workflow-sync/core";
import type { CommandResult, Context } from "../context.ts";
import { UsageError } from "../errors.ts";
import { loadValidSource } from "../sources/source.ts";
import { workflowDocument } from "../sources/workflow-yaml.ts";
import { vendorAdapter } from "../vendors.ts";
import type { ParsedArgs } from "./registry.ts";

const TARGETS = ["neutral", ...VENDORS] as const;
type Target = (typeof TARGETS)[number];

/**
 * Offline conversion of a workflow file (neutral, or vendor-native JSON) to the neutral form or a
 * vendor's write format. Nothing is read from or written to any environment; every loss is listed.
 */
export async function run(ctx: Context, args: ParsedArgs): Promise<CommandResult> {
  if (typeof args.flags.locale === "string") ctx.locale = args.flags.locale;
  const file = args.positionals[0]!;
  const to = args.flags.to as string[] | string | undefined;
  const target = (Array.isArray(to) ? to[0] : to) as Target | undefined;
  if (!target || !(TARGETS as readonly string[]).includes(target)) {
    throw new UsageError(`convert: --to must be one of ${TARGETS.join(", ")}`);
  }
  const source = await loadValidSource(ctx, file);
  const losses: Array<Loss & { workflow: string }> = [
    ...(source.losses as Array<Loss & { workflow: string }>),
  ];
  const documents: unknown[] = [];
  const vendor = target === "neutral" ? undefined : await vendorAdapter(target);
  for (const workflow of source.workflows) {
    if (!vendor) {
      documents.push(workflowDocument(workflow));
      continue;
    }
    const mapped = vendor.writeDocument(workflow, ctx.locale ? { locale: ctx.locale } : {});
    documents.push(mapped.value);
    losses.push(...mapped.losses.map((loss) => ({ ...loss, workflow: workflow.key })));
  }
  const output = documents.length === 1 ? documents[0] : documents;
  if (!ctx.json) {
    ctx.io.stdout.write(ctx.redact(`${JSON.stringify(output, null, 2)}\n`));
    for (const loss of losses) ctx.err(`loss: ${loss.workflow}.${formatPath(loss.path)}: ${loss.message}`);
  }
  return {
    result: {
      to: target,
      document: output,
      losses: losses.map((loss) => ({ ...loss, path: [...loss.path] })),
    },
  };
}
