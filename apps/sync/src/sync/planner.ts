import {
  checkWorkflow,
  diffWorkflow,
  diffWorkflows,
  fingerprints,
  formatPath,
  type Loss,
  type MappingResult,
  NO_ROLE,
  type Workflow,
} from "@workflow-sync/core";
import type { Environment, Snapshot } from "../environments/types.ts";
import { CliError } from "../errors.ts";
import type { Operation, PlannedLoss, TargetPlan } from "./plan-format.ts";
import { UnresolvedNames } from "./unresolved.ts";

export interface PlanTargetOptions {
  prune: boolean;
  /** Workflows of the source that are read-only there (system definitions): not carried over. */
  sourceReadOnly: readonly string[];
  /** Role renames of `--map` (source name → target name), to report both names in the plan. */
  roleRenames?: Readonly<Record<string, string>>;
  /** `--workflow`: the target's workflows outside the selection are left alone (never pruned). */
  select?: (key: string) => boolean;
}

/** What planning one target gathers on the way, workflow by workflow. */
class TargetPlanning {
  /** The target's workflows by key. */
  readonly current: ReadonlyMap<string, Workflow>;
  /** Keys as the target will hold them (a vendor may rename: Contensis ids → Kontent.ai codenames). */
  readonly wanted = new Set<string>();
  readonly operations: Operation[] = [];
  /** Role writes that only take grants away: sent before anything else (Contensis narrowing). */
  readonly narrowing: Operation[] = [];
  readonly skipped: TargetPlan["skipped"] = [];
  readonly losses: PlannedLoss[] = [];
  readonly warnings: TargetPlan["warnings"] = [];
  readonly unresolved = new UnresolvedNames();
  /** Projected workflows the target would hold but could not be valid there (refused at plan time). */
  readonly invalid: Array<{ workflow: string; path: Array<string | number>; code: string; message: string }> =
    [];
  readonly #lossIds = new Set<string>();

  constructor(snapshot: Snapshot) {
    this.current = new Map(snapshot.workflows.map((workflow) => [workflow.key, workflow]));
  }

  /** Losses of `workflow`, each (code, path) once. */
  addLosses(workflow: string, found: readonly Loss[]): void {
    for (const loss of found) {
      const id = `${workflow}\u0000${loss.code}\u0000${JSON.stringify(loss.path)}`;
      if (this.#lossIds.has(id)) continue;
      this.#lossIds.add(id);
      this.losses.push({
        workflow,
        code: loss.code,
        path: [...loss.path],
        message: loss.message,
        vendor: loss.vendor,
      });
    }
  }

  addWarnings(workflow: string, found: MappingResult<unknown>["warnings"]): void {
    for (const warning of found ?? []) this.warnings.push({ workflow, ...warning, path: [...warning.path] });
  }

  /** Run `plan`; names it could not resolve are gathered (all reported at once), anything else thrown. */
  collecting(plan: () => void): void {
    try {
      plan();
    } catch (error) {
      if (!this.unresolved.collect(error)) throw error;
    }
  }
}

/**
 * Plan one target: what to create, update and delete so that it holds `desired`. Pure apart from
 * the adapter's pure planning methods: reads nothing, writes nothing.
 */
export function planTarget(
  desired: readonly Workflow[],
  environment: Environment,
  snapshot: Snapshot,
  options: PlanTargetOptions,
): TargetPlan {
  const carried = desired.filter((workflow) => !options.sourceReadOnly.includes(workflow.key));
  // What the target cannot hold as a set (e.g. two workflows for one Contensis content type) is an
  // error before anything is planned.
  environment.checkSet?.(carried, snapshot);
  const planning = new TargetPlanning(snapshot);
  for (const workflow of desired) {
    if (options.sourceReadOnly.includes(workflow.key)) {
      planning.skipped.push({
        workflow: workflow.key,
        reason: "read-only in the source (a system definition): not carried over",
      });
      continue;
    }
    planWorkflow(planning, workflow, environment, snapshot);
  }
  planDeletes(planning, environment, snapshot, options);
  planPermissions(planning, carried, environment, snapshot);
  refuseInvalid(planning, environment);
  if (planning.unresolved.size > 0) throw planning.unresolved.error(environment.name);

  // Permissions last: they name events of definitions that the creates and updates write first;
  // the narrowing (grants only taken away) first, before any definition changes meaning.
  const order = { create: 0, update: 1, delete: 2, permissions: 3 } as const;
  const operations = [
    ...planning.narrowing,
    ...planning.operations.sort(
      (a, b) => order[a.action] - order[b.action] || (a.workflow < b.workflow ? -1 : 1),
    ),
  ];
  const seen = fingerprints(snapshot.workflows);
  return {
    environment: environment.name,
    vendor: environment.vendor,
    label: environment.label,
    fingerprint: seen.set,
    workflows: seen.each,
    operations,
    skipped: planning.skipped,
    losses: planning.losses,
    warnings: planning.warnings,
    mappings: resolvedMappings(desired, snapshot, environment.vendor === "files", options.roleRenames ?? {}),
    desired: carried,
  };
}

/** One workflow of the source: created or updated in the target as the target would hold it. */
function planWorkflow(
  planning: TargetPlanning,
  workflow: Workflow,
  environment: Environment,
  snapshot: Snapshot,
): void {
  // What the target cannot hold is in the adapter's losses (the authority); core's portability
  // checks would say the same again. Semantic warnings of the desired workflow are kept.
  for (const issue of checkWorkflow(workflow)) {
    if (issue.severity === "warning") {
      planning.warnings.push({
        workflow: workflow.key,
        code: issue.code,
        path: [...issue.path],
        message: issue.message,
      });
    }
  }
  planning.collecting(() => {
    const projected = environment.project(workflow, snapshot);
    planning.addLosses(workflow.key, projected.losses);
    const targetKey = projected.value.key;
    planning.wanted.add(targetKey);
    if (snapshot.readOnly.includes(targetKey)) {
      planning.skipped.push({
        workflow: targetKey,
        reason: "read-only in the target (a system definition): never written",
      });
      return;
    }
    checkProjected(planning, projected.value);
    const existing = planning.current.get(targetKey);
    if (existing) planUpdate(planning, workflow, projected.value, existing, environment, snapshot);
    else planCreate(planning, workflow, projected.value, environment, snapshot);
  });
}

/**
 * The workflow as the target would hold it must be valid there (every state reaches published,
 * nothing dangles), or nothing is written.
 */
function checkProjected(planning: TargetPlanning, projected: Workflow): void {
  for (const issue of checkWorkflow(projected)) {
    if (issue.severity !== "error") continue;
    planning.invalid.push({
      workflow: projected.key,
      path: [...issue.path],
      code: issue.code,
      message: issue.message,
    });
  }
}

function planCreate(
  planning: TargetPlanning,
  workflow: Workflow,
  projected: Workflow,
  environment: Environment,
  snapshot: Snapshot,
): void {
  const planned = environment.planCreate(workflow, snapshot);
  planning.addLosses(workflow.key, planned.losses);
  planning.addWarnings(projected.key, planned.warnings);
  planning.operations.push({
    id: `${projected.key}:create`,
    action: "create",
    workflow: projected.key,
    source: workflow.key,
    changes: diffWorkflows([], [projected]).changes,
    requests: planned.value,
  });
}

function planUpdate(
  planning: TargetPlanning,
  workflow: Workflow,
  projected: Workflow,
  existing: Workflow,
  environment: Environment,
  snapshot: Snapshot,
): void {
  const changes = diffWorkflow(existing, projected, { extensions: "shared" });
  // Nothing to change, unless an earlier write was left unfinished (an interrupted apply).
  if (changes.length === 0 && !environment.incomplete?.(existing, snapshot)) return;
  const planned = environment.planUpdate(workflow, existing, snapshot);
  planning.addLosses(workflow.key, planned.losses);
  planning.addWarnings(projected.key, planned.warnings);
  planning.operations.push({
    id: `${projected.key}:update`,
    action: "update",
    workflow: projected.key,
    source: workflow.key,
    changes,
    requests: planned.value,
    current: existing,
  });
}

/** The target's workflows the source does not have: deleted with --prune, else left (and said so). */
function planDeletes(
  planning: TargetPlanning,
  environment: Environment,
  snapshot: Snapshot,
  options: PlanTargetOptions,
): void {
  for (const workflow of snapshot.workflows) {
    if (planning.wanted.has(workflow.key)) continue;
    if (snapshot.readOnly.includes(workflow.key)) continue;
    if (options.select && !options.select(workflow.key)) continue;
    if (!options.prune) {
      planning.skipped.push({
        workflow: workflow.key,
        reason: "only in the target: deleted only with --prune",
      });
      continue;
    }
    try {
      const requests = environment.planDelete(workflow, snapshot);
      planning.operations.push({
        id: `${workflow.key}:delete`,
        action: "delete",
        workflow: workflow.key,
        changes: diffWorkflows([workflow], []).changes,
        requests,
      });
    } catch (error) {
      planning.skipped.push({
        workflow: workflow.key,
        reason: `cannot be deleted: ${(error as Error).message}`,
      });
    }
  }
}

/** Permissions outside the definitions (Contensis roles), once for every workflow written. */
function planPermissions(
  planning: TargetPlanning,
  carried: readonly Workflow[],
  environment: Environment,
  snapshot: Snapshot,
): void {
  const planOf = environment.planPermissions;
  if (!planOf) return;
  const written = carried.filter((workflow) => !snapshot.readOnly.includes(workflow.key));
  planning.collecting(() => {
    const planned = planOf.call(environment, written, snapshot);
    planning.addLosses("(roles)", planned.losses);
    for (const note of planned.notes) {
      planning.warnings.push({
        workflow: "(roles)",
        code: note.code,
        path: [...note.path],
        message: note.message,
      });
    }
    if (planned.value.length > 0) {
      planning.operations.push({
        id: "roles:permissions",
        action: "permissions",
        workflow: "(roles)",
        changes: [],
        requests: planned.value,
      });
    }
    // Grants only taken away: sent before any definition write (first in planTarget).
    if (planned.narrowing?.length) {
      planning.narrowing.push({
        id: "roles:narrow",
        action: "permissions",
        workflow: "(roles)",
        changes: [],
        requests: planned.narrowing,
      });
    }
  });
}

/** A workflow that would not be valid as the target holds it: nothing is planned. */
function refuseInvalid(planning: TargetPlanning, environment: Environment): void {
  const { invalid } = planning;
  if (invalid.length === 0) return;
  throw new CliError(
    "invalid_on_target",
    `${environment.name}: ${invalid.length === 1 ? "a workflow" : "workflows"} would not be valid as ${environment.vendor} holds ${invalid.length === 1 ? "it" : "them"} (nothing was planned):\n` +
      invalid
        .map((issue) => `  ${issue.workflow}.${formatPath(issue.path)}: ${issue.message} (${issue.code})`)
        .join("\n"),
    {
      details: { invalid },
      suggestions: ["change the workflow in the source so that its form in the target is valid"],
    },
  );
}

function resolvedMappings(
  desired: readonly Workflow[],
  snapshot: Snapshot,
  offline: boolean,
  renames: Readonly<Record<string, string>>,
): TargetPlan["mappings"] {
  const sourceOf = (target: string) =>
    Object.entries(renames)
      .filter(([, to]) => to === target)
      .map(([from]) => from)
      .join(", ") || target;
  const roles = new Set<string>();
  const contentTypes = new Set<string>();
  const collections = new Set<string>();
  for (const workflow of desired) {
    for (const state of workflow.states) for (const role of state.roles) roles.add(role);
    for (const transition of workflow.transitions) for (const role of transition.roles) roles.add(role);
    roles.delete(NO_ROLE); // a role nobody holds: nothing to find in the target
    for (const type of workflow.scope.contentTypes) contentTypes.add(type);
    for (const collection of workflow.scope.collections) collections.add(collection);
  }
  const knows = (list: readonly string[], name: string) => offline || list.includes(name);
  return {
    roles: [...roles]
      .sort()
      .map((name) => ({ source: sourceOf(name), target: name, found: knows(snapshot.roles, name) })),
    contentTypes: [...contentTypes]
      .sort()
      .map((codename) => ({ codename, found: knows(snapshot.contentTypes, codename) })),
    collections: [...collections]
      .sort()
      .map((codename) => ({ codename, found: knows(snapshot.collections, codename) })),
  };
}
