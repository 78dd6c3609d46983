import {
  type EnvironmentSnapshot,
  type Loss,
  type MappingResult,
  type PlanWarning,
  StaleWriteError,
  type TransitionOutcome,
  type TransitionRequest,
  UnresolvedReferencesError,
  type VendorRequest,
  type Workflow,
  type WorkflowEnvironment,
} from "@workflow-sync/core";
import { assignmentRequest, assignmentWarning, assignWorkflow, plannedAssignment } from "./assignment.ts";
import { type ContensisClient, type ContensisClientOptions, createContensisClient } from "./client.ts";
import { assertDefinition } from "./definition-rules.ts";
import { getEntry, invokeWorkflowByTrigger } from "./entries.ts";
import { ContensisConflictError, ReadOnlyWorkflowError, WorkflowInUseError } from "./errors.ts";
import { applyGrants, type RoleWrite, roleBody, StaleRoleError, sameRole } from "./grants.ts";
import { fromNeutral, isSystemWorkflow, knownFieldsOnly, toNeutral, VENDOR } from "./mapping.ts";
import { narrowingGrants } from "./narrowing.ts";
import { isReadOnlyDefinition, nativeOf, type ReadOptions, readContensis } from "./read.ts";
import { grantsFromRoles, roleName } from "./roles.ts";
import { ScopeOverlapError, scopedContentTypes, scopeOverlaps } from "./scopes.ts";
import { isPublishedVersionNo, latestIsPublished } from "./versions.ts";
import { type ContensisWorkflowDefinition, WireRole, WireWorkflowDefinition } from "./wire.ts";
import {
  createDefinition,
  deleteDefinition,
  getDefinition,
  publishDefinition,
  sameDefinition,
  updateDefinition,
  writableBody,
} from "./write.ts";

/**
 * The `version` of a planned publish request: "the version the preceding write of this plan
 * produced". A plan is made before anything is written, so it cannot hold that number. `execute`
 * replaces the marker with the version number that this environment's last create or update of the
 * same definition answered with; when there was none (e.g. an apply resumed in a new process) it
 * re-reads the definition and publishes its latest version (nothing is sent when that is published
 * already).
 */
export const LATEST_VERSION = "@latest";

export interface ContensisEnvironmentOptions extends ContensisClientOptions, ReadOptions {
  /** For messages; default `contensis:{projectId}`. Never a secret. */
  label?: string;
  /**
   * Workflow permissions on roles: `"write"` (default) grants each synced workflow's events,
   * `sysCreate` and `sysUnpublish` to the roles the workflow names; `"report"` (roles are managed
   * elsewhere) only reports the differences, as notes, never as losses.
   */
  roleGrants?: "write" | "report";
}

const ROLES = "/security/roles";

const DEFINITIONS = "/workflow/definitions";

/** `WorkflowEnvironment` for one Contensis project (core `mapping.ts`). */
export class ContensisEnvironment implements WorkflowEnvironment {
  readonly vendor = VENDOR;
  readonly label: string;
  readonly client: ContensisClient;
  readonly #readOptions: ReadOptions;
  /** Version numbers the last writes answered with, by definition id (for `@latest`). */
  readonly #written = new Map<string, string>();
  /** After `guardWrites`: the latest version number of each definition as the plan saw it. */
  #seen: Map<string, string | null> | undefined;

  readonly roleGrants: "write" | "report";

  constructor(
    options:
      | ContensisEnvironmentOptions
      | { client: ContensisClient; label?: string; locale?: string; roleGrants?: "write" | "report" },
  ) {
    this.client = "client" in options ? options.client : createContensisClient(options);
    this.label = options.label ?? `contensis:${this.client.projectId}`;
    this.#readOptions = options.locale ? { locale: options.locale } : {};
    this.roleGrants = options.roleGrants ?? "write";
  }

  read(): Promise<EnvironmentSnapshot> {
    return readContensis(this.client, this.#readOptions);
  }

  /**
   * What a read-back would give after `desired` is written: mapped to Contensis, reduced to what the
   * server keeps (known fields, `isSystem: false`, lists present), mapped back with the target's
   * roles and the content types that will use it (those of `desired`'s scope, and those that use it
   * already: this tool never takes a workflow away from a content type).
   */
  project(desired: Workflow, snapshot: EnvironmentSnapshot): MappingResult<Workflow> {
    const native = nativeOf(snapshot);
    const { value, losses, grants } = fromNeutral(desired, {
      roleGrants: grantsFromRoles(native.roles),
      grants: this.roleGrants,
    });
    // Read back with the roles as this workflow's grants leave them (written, or in "report" mode
    // reported: either way the plan does not count them as a change of the definition).
    // A role missing here grants nothing in the read-back (a plan refuses it, listing every one:
    // `planPermissions`; a diff shows the difference).
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

  /**
   * Before anything is planned: workflows that claim the same content type cannot all have it in
   * Contensis (one workflow per content type). Throws a `ScopeOverlapError` naming them.
   */
  checkSet(desired: readonly Workflow[], _snapshot: EnvironmentSnapshot): void {
    const overlaps = scopeOverlaps(desired);
    if (overlaps.length > 0) throw new ScopeOverlapError(overlaps, this.label);
  }

  planCreate(desired: Workflow, snapshot: EnvironmentSnapshot): MappingResult<VendorRequest[]> {
    const native = nativeOf(snapshot);
    if (isSystemWorkflow(desired)) throw new ReadOnlyWorkflowError(desired.key, "create");
    const { value, losses } = fromNeutral(desired, {
      roleGrants: grantsFromRoles(native.roles),
      grants: this.roleGrants,
    });
    if (isReadOnlyDefinition(value)) throw new ReadOnlyWorkflowError(value.id, "create");
    assertDefinition(value);
    const requests: VendorRequest[] = [
      {
        method: "POST",
        path: DEFINITIONS,
        body: writableBody(value),
        description: `create workflow definition ${value.id}`,
      },
      publishRequest(value.id),
    ];
    const assignments = this.#assignments(desired, value.id, snapshot);
    requests.push(...assignments.requests);
    return { value: requests, losses, warnings: assignments.warnings };
  }

  planUpdate(
    desired: Workflow,
    current: Workflow,
    snapshot: EnvironmentSnapshot,
  ): MappingResult<VendorRequest[]> {
    const native = nativeOf(snapshot);
    const existing = findDefinition(native.definitions, current);
    if (!existing) {
      throw new TypeError(`workflow "${current.key}" is not in the snapshot of ${this.label}: read it again`);
    }
    const mapped = fromNeutral(desired, {
      roleGrants: grantsFromRoles(native.roles),
      grants: this.roleGrants,
    });
    const losses: Loss[] = [...mapped.losses];
    const definition = { ...mapped.value, id: existing.id };
    if (isReadOnlyDefinition(existing)) {
      // A system definition is never written, but content types may use it (it counts as published):
      // a restore gives it back the content types a sync assigned to another workflow.
      if (!sameDefinition(definition, existing)) throw new ReadOnlyWorkflowError(existing.id, "update");
      const assignments = this.#assignments(desired, existing.id, snapshot);
      return { value: assignments.requests, losses, warnings: assignments.warnings };
    }
    const requests: VendorRequest[] = [];
    const changed = !sameDefinition(definition, existing);
    if (changed) assertDefinition(definition);
    if (changed) {
      requests.push({
        method: "PUT",
        path: `${DEFINITIONS}/${encodeURIComponent(existing.id)}`,
        // The version planned against: the server refuses the PUT (409) when the definition moved on.
        body: { ...writableBody(definition), version: { versionNo: existing.version?.versionNo ?? null } },
        description: `update workflow definition ${existing.id} (planned against version ${existing.version?.versionNo ?? "unknown"})`,
      });
    }
    // The latest version is in effect only when it is the published one (by version numbers).
    if (changed || !latestIsPublished(existing, native.published)) requests.push(publishRequest(existing.id));

    // Content types leaving the scope keep this workflow: Contensis gives every content type one.
    const leaving = current.scope.contentTypes.filter((id) => !desired.scope.contentTypes.includes(id));
    if (leaving.length > 0) {
      losses.push({
        code: "structure",
        path: ["scope", "contentTypes"],
        message: `content types ${leaving.join(", ")} keep workflow ${existing.id}: every Contensis content type has a workflow, so this tool does not take it away; assign them another workflow`,
        vendor: VENDOR,
      });
    }
    const assignments = this.#assignments(desired, existing.id, snapshot);
    requests.push(...assignments.requests);
    return { value: requests, losses, warnings: assignments.warnings };
  }

  planDelete(current: Workflow, snapshot: EnvironmentSnapshot): VendorRequest[] {
    const native = nativeOf(snapshot);
    const existing = findDefinition(native.definitions, current);
    const id = existing?.id ?? current.key;
    if (isSystemWorkflow(current) || (existing && isReadOnlyDefinition(existing))) {
      throw new ReadOnlyWorkflowError(id, "delete");
    }
    const users = native.contentTypes
      .filter((contentType) => contentType.workflowId === id)
      .map((ct) => ct.id);
    if (users.length > 0) throw new WorkflowInUseError(id, users);
    return [
      {
        method: "DELETE",
        path: `${DEFINITIONS}/${encodeURIComponent(id)}`,
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
  planPermissions(
    desired: readonly Workflow[],
    snapshot: EnvironmentSnapshot,
  ): MappingResult<VendorRequest[]> & { notes: Loss[]; narrowing: VendorRequest[] } {
    const native = nativeOf(snapshot);
    const wanted = desired
      .filter((workflow) => !isSystemWorkflow(workflow))
      .map((workflow) => fromNeutral(workflow, { grants: this.roleGrants }).grants)
      .filter((grants) => {
        const existing = native.definitions.find((definition) => definition.id === grants.workflowId);
        return !existing || !isReadOnlyDefinition(existing);
      });
    // First only take grants away (sent before any definition write: narrowing.ts), then grant.
    const narrowed =
      this.roleGrants === "write"
        ? applyGrants(
            native.roles,
            wanted.map((grants) => narrowingGrants(grants, native.roles)),
          )
        : undefined;
    const outcome = applyGrants(narrowed?.roles ?? native.roles, wanted);
    const losses: Loss[] = [];
    const notes: Loss[] = [];
    if (this.roleGrants === "write" && outcome.missing.length > 0) {
      throw new UnresolvedReferencesError("role", outcome.missing, this.label);
    }
    for (const role of outcome.missing) {
      notes.push({
        code: "role_granularity",
        path: ["roles", role],
        message: `role "${role}" does not exist in ${this.label}; its grants are not written (roleGrants: report)`,
        vendor: VENDOR,
      });
    }
    for (const { role, action } of outcome.notNarrowed) {
      losses.push({
        code: "role_granularity",
        path: ["roles", role],
        message: `role "${role}" keeps "${action}" through a broader action (such as "*") that this tool does not narrow`,
        vendor: VENDOR,
      });
    }
    if (this.roleGrants === "report") {
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
      path: `${ROLES}/${encodeURIComponent(write.id)}`,
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
   * whole, as it was (`before`: as it is now). Nothing in `"report"` mode. Pure.
   */
  planPermissionsRestore(backupNative: unknown, snapshot: EnvironmentSnapshot): VendorRequest[] {
    if (this.roleGrants !== "write") return [];
    const roles = (backupNative as { roles?: unknown } | undefined)?.roles;
    if (!Array.isArray(roles)) return [];
    const current = new Map(nativeOf(snapshot).roles.map((role) => [role.id, role]));
    const requests: VendorRequest[] = [];
    for (const raw of roles) {
      const was = WireRole.parse(raw);
      const now = current.get(was.id);
      if (!now || sameRole(now, was)) continue;
      requests.push({
        method: "PUT",
        path: `${ROLES}/${encodeURIComponent(was.id)}`,
        body: roleBody(was),
        before: roleBody(now),
        description: `restore role "${roleName(was)}" as the backup holds it`,
      });
    }
    return requests;
  }

  /**
   * Whether `current` is a definition whose latest version is not published: a write that was not
   * finished (an interrupted apply) or a draft. Content types cannot use it; `planUpdate` publishes it.
   */
  incomplete(current: Workflow, snapshot: EnvironmentSnapshot): boolean {
    const native = nativeOf(snapshot);
    const existing = findDefinition(native.definitions, current);
    return (
      existing !== undefined &&
      !isReadOnlyDefinition(existing) &&
      !latestIsPublished(existing, native.published)
    );
  }

  /**
   * PUT requests assigning `workflowId` to the content types of `desired`'s scope that do not have
   * it yet, each with a warning that the content type (and its entries) leaves its workflow.
   */
  #assignments(
    desired: Workflow,
    workflowId: string,
    snapshot: EnvironmentSnapshot,
  ): { requests: VendorRequest[]; warnings: PlanWarning[] } {
    const native = nativeOf(snapshot);
    // Every scope of the workflow (a Kontent.ai workflow may have several): Contensis assigns the
    // workflow to each of their content types.
    const wanted = scopedContentTypes(desired);
    const missing = wanted.filter((id) => !native.contentTypes.some((contentType) => contentType.id === id));
    if (missing.length > 0) throw new UnresolvedReferencesError("contentType", missing, this.label);
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
   * From now on a write that finds the definition changed since `snapshot` is refused with a
   * `StaleWriteError` (nothing overwritten): an update carries the version it was planned against
   * and the server answers 409 when it is not the latest; a create meets 409 when the id was taken
   * meanwhile; a publish carries the version this apply wrote; a delete (which carries no version)
   * re-reads the definition right before and compares its latest version number.
   */
  guardWrites(snapshot: EnvironmentSnapshot): void {
    this.#seen = new Map(
      nativeOf(snapshot).definitions.map((definition) => [
        definition.id,
        definition.version?.versionNo ?? null,
      ]),
    );
  }

  async execute(request: VendorRequest): Promise<void> {
    if (!this.#seen) return this.#execute(request);
    try {
      return await this.#execute(request);
    } catch (error) {
      if (!(error instanceof ContensisConflictError)) throw error;
      throw new StaleWriteError(
        error.workflowId,
        error.reason === "exists"
          ? `workflow definition ${error.workflowId} was created in ${this.label} since the plan was made; not overwritten`
          : `workflow definition ${error.workflowId} changed in ${this.label} since the plan was made (now version ${error.currentVersion ?? "unknown"}); not overwritten`,
        { cause: error },
      );
    }
  }

  async #execute(request: VendorRequest): Promise<void> {
    const path = request.path.replace(/\/+$/, "");
    const publish = /^\/workflow\/definitions\/([^/]+)\/workflow\/events$/i.exec(path);
    const one = /^\/workflow\/definitions\/([^/]+)$/i.exec(path);
    const contentType = /^\/contenttypes\/([^/]+)$/i.exec(path);
    const role = /^\/security\/roles\/([^/]+)$/i.exec(path);

    if (request.method === "PUT" && role?.[1]) {
      await this.#writeRole(decodeURIComponent(role[1]), request);
      return;
    }

    if (request.method === "POST" && /^\/workflow\/definitions$/i.test(path)) {
      const created = await createDefinition(this.client, WireWorkflowDefinition.parse(request.body));
      this.#remember(created);
      return;
    }
    if (request.method === "POST" && publish?.[1]) {
      const id = decodeURIComponent(publish[1]);
      const body = (request.body ?? {}) as { version?: unknown };
      const version =
        body.version === LATEST_VERSION || body.version === undefined || body.version === null
          ? this.#written.get(id)
          : String(body.version);
      await publishDefinition(this.client, id, version);
      this.#written.delete(id);
      return;
    }
    if (request.method === "PUT" && one?.[1]) {
      const id = decodeURIComponent(one[1]);
      const body = { ...(request.body as Record<string, unknown>) };
      const planned = body.version as { versionNo?: string | null } | undefined;
      delete body.version;
      const updated = await updateDefinition(this.client, WireWorkflowDefinition.parse({ ...body, id }), {
        expectedVersion: planned?.versionNo ?? null,
      });
      this.#remember(updated);
      return;
    }
    if (request.method === "DELETE" && one?.[1]) {
      const id = decodeURIComponent(one[1]);
      if (this.#seen) {
        const current = await getDefinition(this.client, id);
        if (!current) return; // gone already: nothing left to delete, nothing overwritten
        const seen = this.#seen.get(id);
        if (seen === undefined || (current.version?.versionNo ?? null) !== seen) {
          throw new StaleWriteError(
            id,
            `workflow definition ${id} changed in ${this.label} since the plan was made (version ${seen ?? "none"} then, ${current.version?.versionNo ?? "unknown"} now); not deleted`,
          );
        }
      }
      await deleteDefinition(this.client, id);
      return;
    }
    if (request.method === "PUT" && contentType?.[1]) {
      const { workflowId, expected } = plannedAssignment(request.body, request.description);
      await assignWorkflow(this.client, decodeURIComponent(contentType[1]), workflowId, {
        ...(expected ? { expected } : {}),
      });
      return;
    }
    // Anything else is sent as planned; a POST is never retried blindly.
    await this.client.request({ method: request.method, path, json: request.body });
  }

  /**
   * A role PUT: the role is read right before; when it is no longer what the plan read
   * (`request.before`) nothing is sent (`StaleRoleError`), unless it already holds what the PUT
   * would write (a resumed apply whose write had landed).
   */
  async #writeRole(id: string, request: VendorRequest): Promise<void> {
    const path = `${ROLES}/${encodeURIComponent(id)}`;
    const now = await this.client.get(path, WireRole, `role "${id}"`);
    const body = WireRole.parse(request.body);
    if (sameRole(now, body)) return;
    if (request.before !== undefined && !sameRole(now, WireRole.parse(request.before))) {
      throw new StaleRoleError(id, roleName(now));
    }
    await this.client.request({ method: "PUT", path, json: body });
  }

  #remember(definition: ContensisWorkflowDefinition): void {
    const versionNo = definition.version?.versionNo;
    if (versionNo && !isPublishedVersionNo(versionNo)) this.#written.set(definition.id, versionNo);
    else this.#written.delete(definition.id);
  }

  /**
   * Invoke a workflow event on an entry of this environment (core's `invokeTransition`): the entry
   * is read, then the event is triggered on it (the vendor checks the caller's permissions).
   */
  async invokeTransition(request: TransitionRequest): Promise<TransitionOutcome> {
    const entry = await getEntry(this.client, request.item, request.language);
    const from = entry.sys.workflow?.state ?? "(unknown)";
    const updated = await invokeWorkflowByTrigger(this.client, entry, {
      event: request.transition,
      language: request.language,
      ...(Object.keys(request.data).length ? { data: request.data } : {}),
    });
    return { from, to: updated.sys.workflow?.state ?? "(unknown)", transition: request.transition };
  }

  stats(): { requests: number; throttled: number; retries: number; waitedMs: number } {
    const { requests, throttled, retries, waitedMs } = this.client.stats();
    return { requests, throttled, retries, waitedMs };
  }
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
    path: `${DEFINITIONS}/${encodeURIComponent(id)}/workflow/events`,
    body: { version: LATEST_VERSION, event: "publish" },
    description: `publish workflow definition ${id} (the version just written) so that content types can use it`,
  };
}

function findDefinition(
  definitions: readonly ContensisWorkflowDefinition[],
  workflow: Workflow,
): ContensisWorkflowDefinition | undefined {
  const hinted = (workflow.extensions.contensis?.hints as { wire?: { id?: unknown } } | undefined)?.wire?.id;
  return definitions.find((definition) => definition.id === workflow.key || definition.id === hinted);
}
