import { isAbsolute, join } from "node:path";
import { diffWorkflow, fingerprint, fromZodIssues } from "@workflow-sync/core";
import type { Context } from "../context.ts";
import type { Environment, Snapshot } from "../environments/types.ts";
import { CliError, RefusedError } from "../errors.ts";
import { issueLines } from "../sources/documents.ts";
import { readInputText } from "../sources/input-file.ts";
import type { ApplyTargetResult } from "./apply.ts";
import { Backup } from "./backup.ts";
import { applyPlan } from "./orchestrate.ts";
import { newPlan, type Operation, type Plan } from "./plan-format.ts";
import { planTarget } from "./planner.ts";
import { renderPlanText } from "./render-plan.ts";

/*
 * `restore`: put an environment back exactly as a backup holds it (its workflows, the content type
 * assignments of its read-only ones, and the role permissions), re-reading and re-planning between
 * rounds, and refuse to call it done unless the environment's fingerprint is the backup's.
 */

/** A backup file given on the command line (relative to the working folder), checked against its fingerprint. */
export async function readBackup(cwd: string, file: string): Promise<Backup> {
  const path = isAbsolute(file) ? file : join(cwd, file);
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

/** What a restore did: the applies of its rounds, and the environment's fingerprint at the end. */
export interface RestoreResult {
  results: ApplyTargetResult[];
  fingerprint: string;
}

/**
 * Restore `backup` (read from `file`) to `environment`, which must be the environment it was taken
 * of. Each round re-reads and re-plans (at most three): on Contensis a workflow can be deleted only
 * once its content types use another one again, which the round before gives back.
 */
export async function restoreBackup(
  ctx: Context,
  file: string,
  backup: Backup,
  environment: Environment,
): Promise<RestoreResult> {
  refuseOtherEnvironment(file, backup, environment);
  const results: ApplyTargetResult[] = [];
  let snapshot = await environment.read();
  let after = fingerprint(snapshot.workflows);
  const rolesBack = (current: Snapshot) => permissionsBack(backup, environment, current);
  for (
    let round = 1;
    round <= 3 && (after !== backup.fingerprint || rolesBack(snapshot).length > 0);
    round++
  ) {
    const plan = planRound(file, backup, environment, snapshot);
    if (round > 1 && plan.targets[0]!.operations.length === 0) break;
    ctx.out(renderPlanText(plan, { color: ctx.color }));
    const applied = await applyPlan(
      ctx,
      plan,
      { acceptLoss: true, prune: true },
      new Map([[environment.name, environment]]),
      new Map([[environment.name, snapshot]]),
    );
    results.push(...applied);
    snapshot = await environment.read();
    after = fingerprint(snapshot.workflows);
  }
  if (after !== backup.fingerprint) {
    throw new CliError(
      "restore_incomplete",
      `${environment.name}: restored, but its fingerprint ${after.slice(0, 12)} differs from the backup's ${backup.fingerprint.slice(0, 12)}`,
    );
  }
  return { results, fingerprint: after };
}

/** A backup is restored only to the environment it was taken of (name, vendor and label). */
function refuseOtherEnvironment(file: string, backup: Backup, environment: Environment): void {
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
}

/** One round's plan: the backup's workflows, the scopes of its read-only ones, its roles whole. */
function planRound(file: string, backup: Backup, environment: Environment, snapshot: Snapshot): Plan {
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
    ...permissionsBack(backup, environment, snapshot),
  ];
  return newPlan({
    source: { environment: file, vendor: backup.vendor, fingerprint: backup.fingerprint },
    options: { prune: true, acceptLoss: true },
    targets: [target],
  });
}

/** Roles (Contensis permissions) are put back whole as the backup holds them, after the workflows. */
function permissionsBack(backup: Backup, environment: Environment, snapshot: Snapshot): Operation[] {
  const requests = environment.planPermissionsRestore?.(backup.native, snapshot) ?? [];
  return requests.length === 0
    ? []
    : [{ id: "roles:permissions", action: "permissions", workflow: "(roles)", changes: [], requests }];
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
