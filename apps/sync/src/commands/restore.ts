import type { CommandResult, Context } from "../context.ts";
import { openTarget } from "../environments/resolve.ts";
import { UsageError } from "../errors.ts";
import { reportApplied } from "../sync/report-applied.ts";
import { readBackup, restoreBackup } from "../sync/restore.ts";
import type { ParsedArgs } from "./registry.ts";

/** `restore <backup> --to <env>`: the environment back as the backup holds it (sync/restore.ts). */
export async function run(ctx: Context, args: ParsedArgs): Promise<CommandResult> {
  const file = args.positionals[0]!;
  const to = args.flags.to as string[] | undefined;
  if (to?.length !== 1) throw new UsageError("restore: name the environment with --to <env> (one)");
  const backup = await readBackup(ctx.io.cwd, file);
  const environment = await openTarget(ctx, to[0]!);
  const { results, fingerprint } = await restoreBackup(ctx, file, backup, environment);
  ctx.out(`${environment.name} holds exactly what ${file} holds (fingerprint ${fingerprint.slice(0, 12)}).`);
  return reportApplied(ctx, results, { backup: file, fingerprint });
}
