import type { CommandResult, Context } from "../context.ts";
import { openEnvironment } from "../environments/resolve.ts";
import { CliError, UsageError } from "../errors.ts";
import type { ParsedArgs } from "./registry.ts";

/** Invoke a workflow transition on one piece of content, checked locally before any request is sent. */
export async function run(ctx: Context, args: ParsedArgs): Promise<CommandResult> {
  const name = args.positionals[0]!;
  const item = args.flags.item as string | undefined;
  const language = args.flags.language as string | undefined;
  const event = args.flags.event as string | undefined;
  if (!item || !language || !event) {
    throw new UsageError("transition: --item, --language and --event are required", [
      "workflow-sync transition contensis-prod --item <entry id> --language en-GB --event draft.submit",
    ]);
  }
  const data: Record<string, string> = {};
  for (const pair of (args.flags.data as string[] | undefined) ?? []) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new UsageError(`transition: --data takes key=value, not "${pair}"`);
    data[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const roles = args.flags.role as string[] | undefined;
  const environment = await openEnvironment(ctx, name);
  if (environment.vendor === "files") {
    throw new CliError(
      "not_a_cms",
      `${name} is a folder of files: transitions are invoked on content in a CMS; nothing was written`,
    );
  }
  // It writes (it can publish or unpublish live content): the one write gate asks first.
  await ctx.gate.approve([{ environment, writes: 1 }], `Invoke ${event} on ${item} (${language}) in ${name}`);
  const { invokeTransitionIn } = await import("../environments/vendors.ts");
  const { from, to } = await invokeTransitionIn(environment, {
    item,
    language,
    transition: event,
    data,
    ...(roles ? { roles } : {}),
  });
  ctx.out(`${name}: ${item} (${language}): ${event}: ${from} → ${to}`);
  return { result: { environment: name, item, language, from, to, event } };
}
