import { isAbsolute, join, resolve } from "node:path";
import { fingerprint, fromZodIssues, type Workflow } from "@workflow-sync/core";
import type { Context } from "../context.ts";
import { FilesEnvironment } from "../environments/files.ts";
import { configOf, openEnvironment } from "../environments/resolve.ts";
import type { Environment, Snapshot } from "../environments/types.ts";
import { CliError, RefusedError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { checkSelection, workflowSelector } from "../review/select.ts";
import { issueLines } from "../sources/documents.ts";
import { readInputText } from "../sources/input-file.ts";
import { type ApplyTargetResult, applyTarget } from "./apply.ts";
import { InterruptWatch } from "./interrupt.ts";
import { applyMappingFile, readMappingFileAt } from "./mapping-file.ts";
import { newPlan, PLAN_FORMAT_VERSION, Plan, planChecksum, type TargetPlan } from "./plan-format.ts";
import { type PlanReads, startPlanReads } from "./plan-reads.ts";
import { planTarget } from "./planner.ts";
import { ProgressReporter } from "./progress.ts";
import { StateDir } from "./state-dir.ts";

export interface PlanOptions {
  prune: boolean;
  acceptLoss: boolean;
  /** --allow-empty-source: a source without workflows may be planned with --prune (deleting everything). */
  allowEmptySource?: boolean;
  map?: string;
  /** `--workflow` patterns: only these workflows are planned (and pruned). */
  workflows?: readonly string[];
}

/**
 * Read the source and every target (side by side), and plan each target. Writes nothing. `reads`:
 * the reads of `startPlanReads(ctx, fromSpec, targetSpecs)` when the caller started them already.
 */
export async function makePlan(
  ctx: Context,
  fromSpec: string,
  targetSpecs: readonly string[],
  options: PlanOptions,
  reads: PlanReads = startPlanReads(ctx, fromSpec, targetSpecs),
): Promise<{ plan: Plan; environments: Map<string, Environment>; snapshots: Map<string, Snapshot> }> {
  const [source, opened] = await Promise.all([reads.source, reads.targets]);
  refuseEmptySource(source, fromSpec, targetSpecs, options);
  const select = workflowSelector(options.workflows ?? []);
  if (options.workflows?.length) {
    checkSelection(options.workflows, [
      ...source.workflows.map((workflow) => workflow.key),
      ...opened.flatMap(({ snapshot }) => snapshot.workflows.map((workflow) => workflow.key)),
    ]);
  }
  const selected = select ? source.workflows.filter((workflow) => select(workflow.key)) : source.workflows;
  const { desired, roleRenames } = await mappedWorkflows(ctx, selected, fromSpec, options);
  const environments = new Map<string, Environment>();
  const snapshots = new Map<string, Snapshot>();
  const targets: TargetPlan[] = opened.map(({ environment, snapshot }) => {
    if (source.environment && environment.name === source.environment.name) {
      throw new CliError(
        "same_environment",
        `${environment.name}: the source and the target are the same environment`,
      );
    }
    environments.set(environment.name, environment);
    snapshots.set(environment.name, snapshot);
    return planTarget(desired, environment, snapshot, {
      prune: options.prune,
      sourceReadOnly: source.readOnly,
      roleRenames,
      ...(select ? { select } : {}),
    });
  });
  await preflightTargets(targets, environments, snapshots);
  const plan = newPlan({
    source: { environment: fromSpec, vendor: source.vendor, fingerprint: fingerprint(source.workflows) },
    options: {
      prune: options.prune,
      acceptLoss: options.acceptLoss,
      ...(options.map ? { map: options.map } : {}),
      ...(options.workflows?.length ? { workflows: [...options.workflows] } : {}),
    },
    targets,
  });
  return { plan, environments, snapshots };
}

/**
 * An empty source with --prune deletes every workflow of the target: a mistyped or empty folder
 * must not do that unseen. It takes an explicit --allow-empty-source.
 */
function refuseEmptySource(
  source: { workflows: readonly Workflow[]; readOnly: readonly string[] },
  fromSpec: string,
  targetSpecs: readonly string[],
  options: PlanOptions,
): void {
  const writable = source.workflows.filter((workflow) => !source.readOnly.includes(workflow.key));
  if (!options.prune || writable.length > 0 || options.allowEmptySource) return;
  throw new RefusedError(
    "empty_source",
    `${fromSpec} holds no workflow${source.workflows.length ? " that can be written" : ""}: with --prune this would delete every workflow of ${targetSpecs.join(", ")}; nothing was planned or written`,
    {
      suggestions: [
        "check the source (a files environment's path is absolute or relative to the config file)",
        "to empty the target on purpose, add --allow-empty-source",
      ],
      details: { source: fromSpec },
    },
  );
}

/** The selected workflows with the renames of `--map` applied (unused entries are warned about). */
async function mappedWorkflows(
  ctx: Context,
  selected: Workflow[],
  fromSpec: string,
  options: PlanOptions,
): Promise<{ desired: Workflow[]; roleRenames: Record<string, string> }> {
  if (!options.map) return { desired: selected, roleRenames: {} };
  const mapping = await readMappingFileAt(ctx.io.cwd, options.map);
  const mapped = await applyMappingFile(selected, mapping);
  for (const unused of mapped.unused)
    ctx.err(`warning: ${options.map}: ${unused} is not used by any workflow of ${fromSpec}`);
  return { desired: mapped.workflows, roleRenames: mapping.roles };
}

/** What the vendors would refuse half-way (e.g. a removed step that content is in) is refused now. */
async function preflightTargets(
  targets: readonly TargetPlan[],
  environments: ReadonlyMap<string, Environment>,
  snapshots: ReadonlyMap<string, Snapshot>,
): Promise<void> {
  await Promise.all(
    targets.map((target) =>
      environments.get(target.environment)?.preflight?.(
        target.operations.flatMap((operation) => operation.requests),
        snapshots.get(target.environment)!,
      ),
    ),
  );
}

/** Read and check a plan file: a hand-edited or newer plan is refused with the path of the problem. */
export async function readPlan(ctx: Context, file: string): Promise<Plan> {
  const path = isAbsolute(file) ? file : join(ctx.io.cwd, file);
  const text = await readInputText(path, file, { missing: "no such plan file" });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError("invalid_plan", `${file}: not a JSON plan (${(error as Error).message})`);
  }
  const version = (value as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === "number" && version > PLAN_FORMAT_VERSION) {
    // A refusal (exit 4), as docs/reliability.md says: the file is well-formed, this version will not run it.
    throw new RefusedError(
      "unsupported_plan_version",
      `${file}: plan format ${version} was written by a newer workflow-sync (this one reads format ${PLAN_FORMAT_VERSION})`,
      { suggestions: ["upgrade workflow-sync, or make the plan again with this version"] },
    );
  }
  const parsed = Plan.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const lines = issueLines(file, fromZodIssues(parsed.error.issues).slice(0, 10));
    throw new CliError("invalid_plan", `${file}: not a valid plan:\n${lines.join("\n")}`);
  }
  if (planChecksum(parsed.data) !== parsed.data.checksum) {
    throw new RefusedError(
      "plan_edited",
      `${file}: the plan was changed after it was made (its checksum does not match); apply only plans as made`,
      { suggestions: ["make the plan again: workflow-sync plan <from> <to> --out plan.json"] },
    );
  }
  return parsed.data;
}

/** --yes and --confirm-env are the write gate's (ctx.gate), read from the command line by main. */
export interface ApplyOptions {
  acceptLoss: boolean;
  prune: boolean;
  /** The command that resumes this apply after an interruption (printed on Ctrl-C). */
  resume?: string;
}

/**
 * Check the refusals that need no request (losses, --prune), then pass the one write gate
 * (write-gate.ts: protected targets, the prompt, --yes, --json).
 */
async function confirm(
  ctx: Context,
  plan: Plan,
  environments: Map<string, Environment>,
  options: ApplyOptions,
) {
  const lossy = plan.targets.filter((target) => target.losses.length > 0 && target.operations.length > 0);
  if (lossy.length > 0 && !(options.acceptLoss || plan.options.acceptLoss)) {
    const count = lossy.reduce((sum, target) => sum + target.losses.length, 0);
    throw new RefusedError(
      "lossy_plan",
      `the plan loses ${count} thing(s) on the way (listed by plan); nothing was written`,
      {
        suggestions: ["review the losses, then apply with --accept-loss"],
        details: {
          losses: lossy.flatMap((target) =>
            target.losses.map((loss) => ({ environment: target.environment, ...loss })),
          ),
        },
      },
    );
  }
  if (
    plan.targets.some((target) => target.operations.some((operation) => operation.action === "delete")) &&
    !(options.prune || plan.options.prune)
  ) {
    throw new RefusedError("prune_required", "the plan deletes workflows; apply it with --prune", {});
  }
  const writes = plan.targets.reduce((sum, target) => sum + target.operations.length, 0);
  await ctx.gate.approve(
    plan.targets.map((target) => ({
      environment: environments.get(target.environment)!,
      writes: target.operations.length,
    })),
    `Apply ${writes} operation(s) to ${plan.targets.map((target) => target.environment).join(", ")}`,
  );
}

/** Apply every target of a plan side by side, each in its own paced queue. */
export async function applyPlan(
  ctx: Context,
  plan: Plan,
  options: ApplyOptions,
  opened?: Map<string, Environment>,
  /** Snapshots read moments ago in this process (sync): the targets are not read twice. */
  fresh?: Map<string, Snapshot>,
): Promise<ApplyTargetResult[]> {
  const environments = opened ?? new Map<string, Environment>();
  for (const target of plan.targets) {
    if (!environments.has(target.environment))
      environments.set(target.environment, await openPlanTarget(ctx, target));
  }
  await confirm(ctx, plan, environments, options);
  // The place each folder target is written, resolved from the config (or the command line): printed.
  for (const target of plan.targets) {
    const environment = environments.get(target.environment);
    if (environment instanceof FilesEnvironment && target.operations.length > 0 && !ctx.json)
      ctx.err(`${target.environment}: writing files in ${environment.folder}`);
  }
  const loaded = await configOf(ctx);
  const stateDir = new StateDir(resolve(loaded.dir, loaded.config.stateDir ?? ".workflow-sync"));
  const progress = new ProgressReporter(ctx, plan);
  const interrupt = new InterruptWatch(ctx, plan, options.resume ?? "run the same command again");
  try {
    const settled = await Promise.allSettled(
      plan.targets.map((target) =>
        applyTarget(plan, target, environments.get(target.environment)!, {
          stateDir,
          ...(fresh?.has(target.environment) ? { snapshot: fresh.get(target.environment)! } : {}),
          onEvent: (event) => {
            interrupt.on(event);
            progress.on(event, environments);
          },
        }),
      ),
    );
    return appliedOrThrow(plan, settled);
  } finally {
    interrupt.stop();
    progress.stop();
  }
}

/**
 * A plan's target as the config names it now. Where to write comes from the config, never from the
 * plan: a plan's label is only compared (a hand-edited label cannot carry a write elsewhere). A plan
 * for a folder that is not an environment of the config is not applied (sync writes to such a
 * folder directly).
 */
async function openPlanTarget(ctx: Context, target: TargetPlan): Promise<Environment> {
  if (target.vendor === "files" && !(await isConfigured(ctx, target.environment))) {
    throw new RefusedError(
      "plan_mismatch",
      `${target.environment} (folder ${target.label}) is not an environment of the config: a plan is applied only to configured environments, whose folder the config gives; nothing was written`,
      {
        suggestions: [
          `add it to the config (environments: ${target.environment}: { vendor: files, path: <folder> }) and plan again`,
        ],
      },
    );
  }
  const environment = await openEnvironment(ctx, target.environment);
  if (environment.vendor !== target.vendor) {
    throw new RefusedError(
      "plan_mismatch",
      `${target.environment} is a ${environment.vendor} environment, the plan was made for ${target.vendor}; nothing was written`,
    );
  }
  if (environment.label !== target.label) {
    throw new RefusedError(
      "plan_mismatch",
      `${target.environment} now points to ${environment.label}, the plan was made for ${target.label}; nothing was written`,
    );
  }
  return environment;
}

/** Every target's result; one failed target is thrown as it is, several as one error naming each. */
function appliedOrThrow(plan: Plan, settled: PromiseSettledResult<ApplyTargetResult>[]): ApplyTargetResult[] {
  const failures = settled.filter((entry) => entry.status === "rejected");
  if (failures.length === 0) {
    return settled.map((entry) => (entry as PromiseFulfilledResult<ApplyTargetResult>).value);
  }
  const reasons = settled
    .map((entry, index) =>
      entry.status === "rejected"
        ? `${plan.targets[index]!.environment}: ${(entry.reason as Error).message}`
        : undefined,
    )
    .filter(Boolean);
  const first = (failures[0] as PromiseRejectedResult).reason;
  if (plan.targets.length === 1) throw first;
  throw new CliError(
    "apply_failed",
    `apply failed for ${failures.length} of ${plan.targets.length} targets:\n  ${reasons.join("\n  ")}`,
    {
      exitCode: first instanceof CliError ? first.exitCode : ExitCode.error,
    },
  );
}

async function isConfigured(ctx: Context, name: string): Promise<boolean> {
  const loaded = await configOf(ctx);
  return Object.hasOwn(loaded.config.environments, name);
}
