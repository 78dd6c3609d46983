import {
  checkWorkflow,
  diffWorkflow,
  diffWorkflows,
  fingerprint,
  formatPath,
  type Loss,
  type MappingResult,
  NO_ROLE,
  type VendorRequest,
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
  const current = new Map(snapshot.workflows.map((workflow) => [workflow.key, workflow]));
  // Keys as the target will hold them (a vendor may rename: Contensis ids → Kontent.ai codenames).
  const wanted = new Set<string>();
  const operations: Operation[] = [];
  const skipped: TargetPlan["skipped"] = [];
  const losses: PlannedLoss[] = [];
  const warnings: TargetPlan["warnings"] = [];
  const unresolved = new UnresolvedNames();
  /** Projected workflows the target would hold but could not be valid there (refused at plan time). */
  const invalid: Array<{ workflow: string; path: Array<string | number>; code: string; message: string }> =
    [];
  // What the target cannot hold as a set (e.g. two workflows for one Contensis content type) is an
  // error before anything is planned.
  environment.checkSet?.(
    desired.filter((workflow) => !options.sourceReadOnly.includes(workflow.key)),
    snapshot,
  );

  const addLosses = (workflow: string, found: readonly Loss[]) => {
    const seen = new Set(
      losses.map((loss) => `${loss.workflow}\u0000${loss.code}\u0000${JSON.stringify(loss.path)}`),
    );
    for (const loss of found) {
      const id = `${workflow}\u0000${loss.code}\u0000${JSON.stringify(loss.path)}`;
      if (seen.has(id)) continue;
      seen.add(id);
      losses.push({
        workflow,
        code: loss.code,
        path: [...loss.path],
        message: loss.message,
        vendor: loss.vendor,
      });
    }
  };
  const addWarnings = (workflow: string, found: MappingResult<unknown>["warnings"]) => {
    for (const warning of found ?? []) warnings.push({ workflow, ...warning, path: [...warning.path] });
  };
  const collectUnresolved = (error: unknown): boolean => unresolved.collect(error);

  for (const workflow of desired) {
    if (options.sourceReadOnly.includes(workflow.key)) {
      skipped.push({
        workflow: workflow.key,
        reason: "read-only in the source (a system definition): not carried over",
      });
      continue;
    }
    // What the target cannot hold is in the adapter's losses (the authority); core's portability
    // checks would say the same again. Semantic warnings of the desired workflow are kept.
    for (const issue of checkWorkflow(workflow)) {
      if (issue.severity === "warning") {
        warnings.push({
          workflow: workflow.key,
          code: issue.code,
          path: [...issue.path],
          message: issue.message,
        });
      }
    }
    try {
      const projected = environment.project(workflow, snapshot);
      addLosses(workflow.key, projected.losses);
      const targetKey = projected.value.key;
      wanted.add(targetKey);
      if (snapshot.readOnly.includes(targetKey)) {
        skipped.push({
          workflow: targetKey,
          reason: "read-only in the target (a system definition): never written",
        });
        continue;
      }
      // The workflow as the target would hold it must be valid there (every state reaches
      // published, nothing dangles), or nothing is written.
      for (const issue of checkWorkflow(projected.value)) {
        if (issue.severity !== "error") continue;
        invalid.push({
          workflow: targetKey,
          path: [...issue.path],
          code: issue.code,
          message: issue.message,
        });
      }
      const existing = current.get(targetKey);
      let requests: VendorRequest[];
      let changes: Operation["changes"];
      if (!existing) {
        const planned = environment.planCreate(workflow, snapshot);
        addLosses(workflow.key, planned.losses);
        addWarnings(targetKey, planned.warnings);
        requests = planned.value;
        changes = diffWorkflows([], [projected.value]).changes as unknown as Operation["changes"];
        operations.push({
          id: `${targetKey}:create`,
          action: "create",
          workflow: targetKey,
          source: workflow.key,
          changes,
          requests,
        });
      } else {
        const found = diffWorkflow(existing, projected.value, { extensions: "shared" });
        // Nothing to change, unless an earlier write was left unfinished (an interrupted apply).
        if (found.length === 0 && !environment.incomplete?.(existing, snapshot)) continue;
        const planned = environment.planUpdate(workflow, existing, snapshot);
        addLosses(workflow.key, planned.losses);
        addWarnings(targetKey, planned.warnings);
        requests = planned.value;
        changes = found as unknown as Operation["changes"];
        operations.push({
          id: `${targetKey}:update`,
          action: "update",
          workflow: targetKey,
          source: workflow.key,
          changes,
          requests,
          current: existing,
        });
      }
    } catch (error) {
      if (!collectUnresolved(error)) throw error;
    }
  }

  for (const workflow of snapshot.workflows) {
    if (wanted.has(workflow.key)) continue;
    if (snapshot.readOnly.includes(workflow.key)) continue;
    if (options.select && !options.select(workflow.key)) continue;
    if (!options.prune) {
      skipped.push({ workflow: workflow.key, reason: "only in the target: deleted only with --prune" });
      continue;
    }
    try {
      const requests = environment.planDelete(workflow, snapshot);
      const changes = diffWorkflows([workflow], []).changes as unknown as Operation["changes"];
      operations.push({
        id: `${workflow.key}:delete`,
        action: "delete",
        workflow: workflow.key,
        changes,
        requests,
      });
    } catch (error) {
      skipped.push({ workflow: workflow.key, reason: `cannot be deleted: ${(error as Error).message}` });
    }
  }

  // Permissions outside the definitions (Contensis roles), once for every workflow written.
  if (environment.planPermissions) {
    const written = desired.filter(
      (workflow) =>
        !options.sourceReadOnly.includes(workflow.key) && !snapshot.readOnly.includes(workflow.key),
    );
    try {
      const planned = environment.planPermissions(written, snapshot);
      addLosses("(roles)", planned.losses);
      for (const note of planned.notes) {
        warnings.push({ workflow: "(roles)", code: note.code, path: [...note.path], message: note.message });
      }
      if (planned.value.length > 0) {
        operations.push({
          id: "roles:permissions",
          action: "permissions",
          workflow: "(roles)",
          changes: [],
          requests: planned.value,
        });
      }
      // Grants only taken away: sent before any definition write (sorted first below).
      if (planned.narrowing?.length) {
        operations.push({
          id: "roles:narrow",
          action: "permissions",
          workflow: "(roles)",
          changes: [],
          requests: planned.narrowing,
        });
      }
    } catch (error) {
      if (!collectUnresolved(error)) throw error;
    }
  }

  if (invalid.length > 0) {
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

  if (unresolved.size > 0) throw unresolved.error(environment.name);

  // Permissions last: they name events of definitions that the creates and updates write first;
  // the narrowing (grants only taken away) first, before any definition changes meaning.
  const order = { create: 0, update: 1, delete: 2, permissions: 3 } as const;
  const rank = (operation: Operation) => (operation.id === "roles:narrow" ? -1 : order[operation.action]);
  operations.sort((a, b) => rank(a) - rank(b) || (a.workflow < b.workflow ? -1 : 1));

  return {
    environment: environment.name,
    vendor: environment.vendor,
    label: environment.label,
    fingerprint: fingerprint(snapshot.workflows),
    workflows: Object.fromEntries(
      snapshot.workflows.map((workflow) => [workflow.key, fingerprint(workflow)]),
    ),
    operations,
    skipped,
    losses,
    warnings,
    mappings: resolvedMappings(desired, snapshot, environment.vendor === "files", options.roleRenames ?? {}),
    desired: desired.filter((workflow) => !options.sourceReadOnly.includes(workflow.key)),
  };
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
