import { isAbsolute, join } from "node:path";
import { diffWorkflow, fingerprint, fromZodIssues } from "@workflow-sync/core";
import type { CommandResult, Context } from "../context.ts";
import { openTarget } from "../environments/resolve.ts";
import type { Environment, Snapshot } from "../environments/types.ts";
import { CliError, RefusedError, UsageError } from "../errors.ts";
import { issueLines } from "../sources/documents.ts";
import { readInputText } from "../sources/input-file.ts";
import type { ApplyTargetResult } from "../sync/apply.ts";
import { Backup } from "../sync/backup.ts";
import { applyPlan } from "../sync/orchestrate.ts";
import { newPlan, type Operation } from "../sync/plan-format.ts";
import { planTarget } from "../sync/planner.ts";
import { renderPlanText } from "../sync/render-plan.ts";
import type { ParsedArgs } from "./registry.ts";
import { reportApplied } from "./sync.ts";

export async function run(ctx: Context, args: ParsedArgs): Promise<CommandResult> {
  const file = args.positionals[0]!;
  const to = args.flags.to as string[] | undefined;
  if (to?.length !== 1) throw new UsageError("restore: name the environment with --to <env> (one)");
  const backup = await readBackup(ctx, file);
  const environment = await openTarget(ctx, to[0]!);
  if (
    backup.environment !== environment.name ||
    backup.vendor !== environment.vendor ||
    backup.label !== environment.label
  ) {
    throw new RefusedError(
      "backup_mismatch",
      `${file} is a backup of ${backup.environment} (${backup.vendor} ${backup.label}), not of ${environment.name} (${environment.vendor} ${environment.label}); nothing was written`,
    );
  }
  const results: ApplyTargetResult[] = [];
  let snapshot = await environment.read();
  let after = fingerprint(snapshot.workflows);
  // Each round re-reads and re-plans (at most three): on Contensis a workflow can be deleted only
  // once its content types use another one again, which the round before gives back.
  // Roles (Contensis permissions) are put back whole as the backup holds them, after the workflows.
  const rolesBack = (current: Snapshot): Operation[] => {
    const requests = environment.planPermissionsRestore?.(backup.native, current) ?? [];
    return requests.length === 0
      ? []
      : [{ id: "roles:permissions", action: "permissions", workflow: "(roles)", changes: [], requests }];
  };
  for (
    let round = 1;
    round <= 3 && (after !== backup.fingerprint || rolesBack(snapshot).length > 0);
    round++
  ) {
    const target = planTarget(
      backup.workflows.filter((workflow) => !backup.readOnly.includes(workflow.key)),
      environment,
      snapshot,
      { prune: true, sourceReadOnly: [] },
    );
    const deletes = target.operations.findIndex((operation) => operation.action === "delete");
    target.operations.splice(
      deletes < 0 ? target.operations.length : deletes,
      0,
      ...readOnlyScopes(backup, environment, snapshot),
    );
    // The exact roles of the backup replace the grants planned from its workflows.
    target.operations = [
      ...target.operations.filter((operation) => operation.action !== "permissions"),
      ...rolesBack(snapshot),
    ];
    if (round > 1 && target.operations.length === 0) break;
    const plan = newPlan({
      source: { environment: file, vendor: backup.vendor, fingerprint: backup.fingerprint },
      options: { prune: true, acceptLoss: true },
      targets: [target],
    });
    ctx.out(renderPlanText(plan, { color: ctx.color }));
    results.push(
      ...(await applyPlan(
        ctx,
        plan,
        {
          acceptLoss: true,
          prune: true,
        },
        new Map([[environment.name, environment]]),
        new Map([[environment.name, snapshot]]),
      )),
    );
    snapshot = await environment.read();
    after = fingerprint(snapshot.workflows);
  }
  if (after !== backup.fingerprint) {
    throw new CliError(
      "restore_incomplete",
      `${environment.name}: restored, but its fingerprint ${after.slice(0, 12)} differs from the backup's ${backup.fingerprint.slice(0, 12)}`,
    );
  }
  ctx.out(`${environment.name} holds exactly what ${file} holds (fingerprint ${after.slice(0, 12)}).`);
  return reportApplied(ctx, results, { backup: file, fingerprint: after });
}

/**
 * Read-only (system) workflows are never written, but a sync may have given their content types to
 * another workflow: the adapter plans giving them back (Contensis: content type assignments).
 */
function readOnlyScopes(backup: Backup, environment: Environment, snapshot: Snapshot): Operation[] {
  const operations: Operation[] = [];
  for (const wanted of backup.workflows) {
    if (!backup.readOnly.includes(wanted.key)) continue;
    const current = snapshot.workflows.find((workflow) => workflow.key === wanted.key);
    if (!current || fingerprint(current) === fingerprint(wanted)) continue;
    let requests: Operation["requests"];
    try {
      requests = environment.planUpdate(wanted, current, snapshot).value;
    } catch {
      continue; // what stays different is reported by the fingerprint check
    }
    if (requests.length === 0) continue;
    operations.push({
      id: `${wanted.key}:update`,
      action: "update",
      workflow: wanted.key,
      changes: diffWorkflow(current, wanted, { extensions: "shared" }),
      requests,
    });
  }
  return operations;
}

async function readBackup(ctx: Context, file: string) {
  const path = isAbsolute(file) ? file : join(ctx.io.cwd, file);
  const text = await readInputText(path, file, { missing: "no such backup file" });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError("invalid_backup", `${file}: not a JSON backup (${(error as Error).message})`);
  }
  const parsed = Backup.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const lines = issueLines(file, fromZodIssues(parsed.error.issues).slice(0, 10));
    throw new CliError("invalid_backup", `${file}: not a valid backup:\n${lines.join("\n")}`);
  }
  if (fingerprint(parsed.data.workflows) !== parsed.data.fingerprint) {
    throw new CliError(
      "invalid_backup",
      `${file}: the workflows do not match the backup's fingerprint (edited by hand?)`,
    );
  }
  return parsed.data;
}
