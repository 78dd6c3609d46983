import {
  type Loss,
  type MappingResult,
  type PlanWarning,
  UnresolvedReferencesError,
  type VendorRequest,
  type Workflow,
} from "@workflow-sync/core";
import { assignmentRequest, assignmentWarning } from "./content-types.ts";
import { ReadOnlyWorkflowError, WorkflowInUseError } from "./errors.ts";
import { applyGrants, type RoleWrite, roleBody, sameRole } from "./grants.ts";
import { isSystemWorkflow, knownFieldsOnly, VENDOR } from "./mapping/context.ts";
import { fromNeutral } from "./mapping/from-neutral.ts";
import { toNeutral } from "./mapping/to-neutral.ts";
import { narrowingGrants } from "./narrowing.ts";
import type { ContensisNative } from "./read.ts";
import { grantsFromRoles, roleName } from "./roles.ts";
import { assertDefinition, isReadOnlyDefinition } from "./rules.ts";
import { scopedContentTypes } from "./scopes.ts";
import { latestIsPublished } from "./versions.ts";
import { type ContensisWorkflowDefinition, WireRole } from "./wire.ts";
import { sameDefinition, writableBody } from "./write.ts";

/*
 * Planning writes: pure functions from neutral workflows and a native snapshot of the target
 * (`read.ts`) to the literal requests an apply sends (paths relative to `/api/management/projects/
 * {projectId}`): definition create / update / publish / delete, content type assignments and role
 * writes. Nothing here sends a request; `environment.ts` sends them through `write.ts`.
 */

/**
 * The `version` of a planned publish request: "the version the preceding write of this plan
 * produced". A plan is made before anything is written, so it cannot hold that number. `execute`
 * replaces the marker with the version number that this environment's last create or update of the
 * same definition answered with; when there was none (e.g. an apply resumed in a new process) it
 * re-reads the definition and publishes its latest version (nothing is sent when that is published
 * already).
 */
export const LATEST_VERSION = "@latest";

export const ROLES_PATH = "/security/roles";
export const DEFINITIONS_PATH = "/workflow/definitions";

export interface PlanOptions {
  /** For messages (never a secret). */
  label: string;
  /** `"write"`: role grants are planned as role writes; `"report"`: only reported, as notes. */
  roleGrants: "write" | "report";
}

/** The mapped definition of `desired`, with the target's roles (and whether grants are written). */
function mapped(desired: Workflow, native: ContensisNative, options: PlanOptions) {
  return fromNeutral(desired, { roleGrants: grantsFromRoles(native.roles), grants: options.roleGrants });
}

/**
 * What a read-back would give after `desired` is written: mapped to Contensis, reduced to what the
 * server keeps (known fields, `isSystem: false`, lists present), mapped back with the target's
 * roles and the content types that will use it (those of `desired`'s scope, and those that use it
 * already: this tool never takes a workflow away from a content type).
 */
export function projectWorkflow(
  desired: Workflow,
  native: ContensisNative,
  options: PlanOptions,
): MappingResult<Workflow> {
  const { value, losses, grants } = mapped(desired, native, options);
  // Read back with the roles as this workflow's grants leave them (written, or in "report" mode
  // reported: either way the plan does not count them as a change of the definition).
  // A role missing here grants nothing in the read-back (a plan refuses it, listing every one:
  // `planRoleRequests`; a diff shows the difference).
  const outcome = applyGrants(native.roles, [grants]);
  const roleGrants = grantsFromRoles(outcome.roles);
  // By key, or by the id the definition is written under (a key from another vendor is fitted to
  // Contensis's id rules: `my_workflow` is written as `myWorkflow`).
  const existing =
    findDefinition(native.definitions, desired) ??
    native.definitions.find((definition) => definition.id === value.id);
  // When the definition would not be written (same meaning; how the server spells an empty
  // description, `{}` or `null` or absent, aside), the read-back is what is there: a cross-vendor
  // re-sync then finds nothing to change.
  const unchanged = existing !== undefined && sameDefinition({ ...value, id: existing.id }, existing);
  const definition = unchanged
    ? existing
    : { ...knownFieldsOnly(value), isSystem: existing?.isSystem ?? false };
  const contentTypes = native.contentTypes
    .filter(
      (contentType) =>
        contentType.workflowId === definition.id || scopedContentTypes(desired).includes(contentType.id),
    )
    .map((contentType) => contentType.id);
  const back = toNeutral(definition, { roleGrants, contentTypes });
  return { value: back.value, losses };
}

/** `POST` the definition, publish it, and assign it to the content types of its scope. */
export function planCreateRequests(
  desired: Workflow,
  native: ContensisNative,
  options: PlanOptions,
): MappingResult<VendorRequest[]> {
  if (isSystemWorkflow(desired)) throw new ReadOnlyWorkflowError(desired.key, "create");
  const { value, losses } = mapped(desired, native, options);
  if (isReadOnlyDefinition(value)) throw new ReadOnlyWorkflowError(value.id, "create");
  assertDefinition(value);
  const requests: VendorRequest[] = [
    {
      method: "POST",
      path: DEFINITIONS_PATH,
      body: writableBody(value),
      description: `create workflow definition ${value.id}`,
    },
    publishRequest(value.id),
  ];
  const assignments = assignmentRequests(desired, value.id, native, options.label);
  requests.push(...assignments.requests);
  return { value: requests, losses, warnings: assignments.warnings };
}

/**
 * `PUT` the definition when its meaning changed (carrying the version planned against), publish
 * it unless its latest version is published already, and assign it to new content types.
 */
export function planUpdateRequests(
  desired: Workflow,
  current: Workflow,
  native: ContensisNative,
  options: PlanOptions,
): MappingResult<VendorRequest[]> {
  const existing = findDefinition(native.definitions, current);
  if (!existing) {
    throw new TypeError(
      `workflow "${current.key}" is not in the snapshot of ${options.label}: read it again`,
    );
  }
  const { value, losses: mappingLosses } = mapped(desired, native, options);
  const losses: Loss[] = [...mappingLosses];
  const definition = { ...value, id: existing.id };
  if (isReadOnlyDefinition(existing)) {
    // A system definition is never written, but content types may use it (it counts as published):
    // a restore gives it back the content types a sync assigned to another workflow.
    if (!sameDefinition(definition, existing)) throw new ReadOnlyWorkflowError(existing.id, "update");
    const assignments = assignmentRequests(desired, existing.id, native, options.label);
    return { value: assignments.requests, losses, warnings: assignments.warnings };
  }
  const requests: VendorRequest[] = [];
  const changed = !sameDefinition(definition, existing);
  if (changed) {
    assertDefinition(definition);
    requests.push(updateRequest(definition, existing));
  }
  // The latest version is in effect only when it is the published one (by version numbers).
  if (changed || !latestIsPublished(existing, native.published)) requests.push(publishRequest(existing.id));
  losses.push(...scopeLeavingLosses(desired, current, existing.id));
  const assignments = assignmentRequests(desired, existing.id, native, options.label);
  requests.push(...assignments.requests);
  return { value: requests, losses, warnings: assignments.warnings };
}

function updateRequest(
  definition: ContensisWorkflowDefinition,
  existing: ContensisWorkflowDefinition,
): VendorRequest {
  return {
    method: "PUT",
    path: `${DEFINITIONS_PATH}/${encodeURIComponent(existing.id)}`,
    // The version planned against: the server refuses the PUT (409) when the definition moved on.
    body: { ...writableBody(definition), version: { versionNo: existing.version?.versionNo ?? null } },
    description: `update workflow definition ${existing.id} (planned against version ${existing.version?.versionNo ?? "unknown"})`,
  };
}

/** Content types leaving the scope keep this workflow: Contensis gives every content type one. */
function scopeLeavingLosses(desired: Workflow, current: Workflow, id: string): Loss[] {
  const leaving = current.scope.contentTypes.filter((type) => !desired.scope.contentTypes.includes(type));
  if (leaving.length === 0) return [];
  return [
    {
      code: "structure",
      path: ["scope", "contentTypes"],
      message: `content types ${leaving.join(", ")} keep workflow ${id}: every Contensis content type has a workflow, so this tool does not take it away; assign them another workflow`,
      vendor: VENDOR,
    },
  ];
}

/** `DELETE` the definition; refused here (before any request) for a system one or one in use. */
export function planDeleteRequests(current: Workflow, native: ContensisNative): VendorRequest[] {
  const existing = findDefinition(native.definitions, current);
  const id = existing?.id ?? current.key;
  if (isSystemWorkflow(current) || (existing && isReadOnlyDefinition(existing))) {
    throw new ReadOnlyWorkflowError(id, "delete");
  }
  const users = native.contentTypes.filter((contentType) => contentType.workflowId === id).map((ct) => ct.id);
  if (users.length > 0) throw new WorkflowInUseError(id, users);
  return [
    {
      method: "DELETE",
      path: `${DEFINITIONS_PATH}/${encodeURIComponent(id)}`,
      description: `delete workflow definition ${id}`,
    },
  ];
}

/**
 * The role writes that the workflows of one plan need: each role whose grants on those workflows
 * differ from what they want is written once, whole, as read with only those workflows' action
 * strings changed (`grants.ts`). A role named by a workflow and missing here is an
 * `UnresolvedReferencesError` listing every one. In `"report"` mode nothing is written: each
 * difference is a note.
 */
export function planRoleRequests(
  desired: readonly Workflow[],
  native: ContensisNative,
  options: PlanOptions,
): MappingResult<VendorRequest[]> & { notes: Loss[]; narrowing: VendorRequest[] } {
  const wanted = desired
    .filter((workflow) => !isSystemWorkflow(workflow))
    .map((workflow) => fromNeutral(workflow, { grants: options.roleGrants }).grants)
    .filter((grants) => {
      const existing = native.definitions.find((definition) => definition.id === grants.workflowId);
      return !existing || !isReadOnlyDefinition(existing);
    });
  // First only take grants away (sent before any definition write: narrowing.ts), then grant.
  const narrowed =
    options.roleGrants === "write"
      ? applyGrants(
          native.roles,
          wanted.map((grants) => narrowingGrants(grants, native.roles)),
        )
      : undefined;
  const outcome = applyGrants(narrowed?.roles ?? native.roles, wanted);
  if (options.roleGrants === "write" && outcome.missing.length > 0) {
    throw new UnresolvedReferencesError("role", outcome.missing, options.label);
  }
  const notes: Loss[] = outcome.missing.map((role) => ({
    code: "role_granularity",
    path: ["roles", role],
    message: `role "${role}" does not exist in ${options.label}; its grants are not written (roleGrants: report)`,
    vendor: VENDOR,
  }));
  const losses: Loss[] = outcome.notNarrowed.map(({ role, action }) => ({
    code: "role_granularity",
    path: ["roles", role],
    message: `role "${role}" keeps "${action}" through a broader action (such as "*") that this tool does not narrow`,
    vendor: VENDOR,
  }));
  if (options.roleGrants === "report") {
    for (const write of outcome.writes) {
      notes.push({
        code: "role_granularity",
        path: ["roles", write.name],
        message: `role "${write.name}" is not written (roleGrants: report); a write would ${grantChange(write)}`,
        vendor: VENDOR,
      });
    }
    return { value: [], losses, notes, narrowing: [] };
  }
  const request = (write: RoleWrite): VendorRequest => ({
    method: "PUT",
    path: `${ROLES_PATH}/${encodeURIComponent(write.id)}`,
    body: roleBody(write.after),
    before: roleBody(write.before),
    description: `update role "${write.name}": ${grantChange(write)}`,
  });
  return {
    value: outcome.writes.map(request),
    losses,
    notes,
    narrowing: (narrowed?.writes ?? []).map(request),
  };
}

/**
 * Restore: every role of a backup (`native` as `read` gave it) that differs now is written back
 * whole, as it was (`before`: as it is now). Nothing in `"report"` mode.
 */
export function planRoleRestoreRequests(
  backupNative: unknown,
  native: ContensisNative,
  options: Pick<PlanOptions, "roleGrants">,
): VendorRequest[] {
  if (options.roleGrants !== "write") return [];
  const roles = (backupNative as { roles?: unknown } | undefined)?.roles;
  if (!Array.isArray(roles)) return [];
  const current = new Map(native.roles.map((role) => [role.id, role]));
  const requests: VendorRequest[] = [];
  for (const raw of roles) {
    const was = WireRole.parse(raw);
    const now = current.get(was.id);
    if (!now || sameRole(now, was)) continue;
    requests.push({
      method: "PUT",
      path: `${ROLES_PATH}/${encodeURIComponent(was.id)}`,
      body: roleBody(was),
      before: roleBody(now),
      description: `restore role "${roleName(was)}" as the backup holds it`,
    });
  }
  return requests;
}

/**
 * PUT requests assigning `workflowId` to the content types of `desired`'s scope that do not have
 * it yet, each with a warning that the content type (and its entries) leaves its workflow.
 */
export function assignmentRequests(
  desired: Workflow,
  workflowId: string,
  native: ContensisNative,
  label: string,
): { requests: VendorRequest[]; warnings: PlanWarning[] } {
  // Every scope of the workflow (a Kontent.ai workflow may have several): Contensis assigns the
  // workflow to each of their content types.
  const wanted = scopedContentTypes(desired);
  const missing = wanted.filter((id) => !native.contentTypes.some((contentType) => contentType.id === id));
  if (missing.length > 0) throw new UnresolvedReferencesError("contentType", missing, label);
  const requests: VendorRequest[] = [];
  const warnings: PlanWarning[] = [];
  for (const id of wanted) {
    const contentType = native.contentTypes.find((candidate) => candidate.id === id);
    if (!contentType || contentType.workflowId === workflowId) continue;
    requests.push(assignmentRequest(contentType, workflowId));
    warnings.push(assignmentWarning(contentType, workflowId));
  }
  return { requests, warnings };
}

/**
 * Whether `current` is a definition whose latest version is not published: a write that was not
 * finished (an interrupted apply) or a draft. Content types cannot use it; an update publishes it.
 */
export function isIncomplete(current: Workflow, native: ContensisNative): boolean {
  const existing = findDefinition(native.definitions, current);
  return (
    existing !== undefined &&
    !isReadOnlyDefinition(existing) &&
    !latestIsPublished(existing, native.published)
  );
}

function grantChange(write: RoleWrite): string {
  const parts = [
    write.added.length > 0 ? `grant ${write.added.join(", ")}` : "",
    write.removed.length > 0 ? `take back ${write.removed.join(", ")}` : "",
  ].filter(Boolean);
  return parts.join("; ");
}

function publishRequest(id: string): VendorRequest {
  return {
    method: "POST",
    path: `${DEFINITIONS_PATH}/${encodeURIComponent(id)}/workflow/events`,
    body: { version: LATEST_VERSION, event: "publish" },
    description: `publish workflow definition ${id} (the version just written) so that content types can use it`,
  };
}

/** The definition a neutral workflow stands for: by key, or by the id it was read under (hinted). */
export function findDefinition(
  definitions: readonly ContensisWorkflowDefinition[],
  workflow: Workflow,
): ContensisWorkflowDefinition | undefined {
  const hinted = (workflow.extensions.contensis?.hints as { wire?: { id?: unknown } } | undefined)?.wire?.id;
  return definitions.find((definition) => definition.id === workflow.key || definition.id === hinted);
}
