import {
  type EnvironmentSnapshot,
  type Loss,
  type MappingResult,
  StaleWriteError,
  type TransitionOutcome,
  type TransitionRequest,
  type VendorRequest,
  type Workflow,
  type WorkflowEnvironment,
} from "@workflow-sync/core";
import { type ContensisClient, type ContensisClientOptions, createContensisClient } from "./client.ts";
import { getEntry, invokeWorkflowByTrigger } from "./content.ts";
import { assignWorkflow, plannedAssignment } from "./content-types.ts";
import { ContensisConflictError, ScopeOverlapError, StaleRoleError } from "./errors.ts";
import { sameRole } from "./grants.ts";
import { VENDOR } from "./mapping/context.ts";
import { snapshotFromNative } from "./mapping/to-neutral.ts";
import {
  isIncomplete,
  LATEST_VERSION,
  type PlanOptions,
  planCreateRequests,
  planDeleteRequests,
  planRoleRequests,
  planRoleRestoreRequests,
  planUpdateRequests,
  projectWorkflow,
  ROLES_PATH,
} from "./plan-writes.ts";
import { type ContensisNative, nativeOf, type ReadOptions, readContensisNative } from "./read.ts";
import { roleName } from "./roles.ts";
import { scopeOverlaps } from "./scopes.ts";
import { isPublishedVersionNo } from "./versions.ts";
import { type ContensisWorkflowDefinition, WireRole, WireWorkflowDefinition } from "./wire.ts";
import {
  createDefinition,
  deleteDefinition,
  getDefinition,
  publishDefinition,
  updateDefinition,
} from "./write.ts";

/*
 * The environment (core's `WorkflowEnvironment`) for one Contensis project: reads a snapshot
 * (`read.ts`), plans writes (`plan-writes.ts`, pure), sends them guarded (`write.ts`), and fires
 * workflow events on entries (`content.ts`).
 */

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

/** `WorkflowEnvironment` for one Contensis project. */
export class ContensisEnvironment implements WorkflowEnvironment {
  readonly vendor = VENDOR;
  readonly label: string;
  readonly client: ContensisClient;
  readonly #readOptions: ReadOptions;
  /** The draft versions the last writes answered with, by definition id (for `@latest`). */
  readonly #written = new Map<string, ContensisWorkflowDefinition>();
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

  get #plan(): PlanOptions {
    return { label: this.label, roleGrants: this.roleGrants };
  }

  read(): Promise<EnvironmentSnapshot> {
    return this.readFrom(readContensisNative(this.client));
  }

  /**
   * The snapshot of a read of this environment's client already under way (`readContensisNative`):
   * what `read()` gives. The environment `openContensisEnvironment` opens starts the read before
   * this module is loaded (open.ts), then hands it over here.
   */
  async readFrom(reading: Promise<ContensisNative>): Promise<EnvironmentSnapshot> {
    return snapshotFromNative(await reading, this.#readOptions);
  }

  /** The neutral workflow a read-back gives after `desired` is written (`projectWorkflow`). */
  project(desired: Workflow, snapshot: EnvironmentSnapshot): MappingResult<Workflow> {
    return projectWorkflow(desired, nativeOf(snapshot), this.#plan);
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
    return planCreateRequests(desired, nativeOf(snapshot), this.#plan);
  }

  planUpdate(
    desired: Workflow,
    current: Workflow,
    snapshot: EnvironmentSnapshot,
  ): MappingResult<VendorRequest[]> {
    return planUpdateRequests(desired, current, nativeOf(snapshot), this.#plan);
  }

  planDelete(current: Workflow, snapshot: EnvironmentSnapshot): VendorRequest[] {
    return planDeleteRequests(current, nativeOf(snapshot));
  }

  /** The role writes the workflows of one plan need, or (`"report"`) notes (`planRoleRequests`). */
  planPermissions(
    desired: readonly Workflow[],
    snapshot: EnvironmentSnapshot,
  ): MappingResult<VendorRequest[]> & { notes: Loss[]; narrowing: VendorRequest[] } {
    return planRoleRequests(desired, nativeOf(snapshot), this.#plan);
  }

  /** Restore: the roles of a backup that differ now, written back whole (`planRoleRestoreRequests`). */
  planPermissionsRestore(backupNative: unknown, snapshot: EnvironmentSnapshot): VendorRequest[] {
    if (this.roleGrants !== "write") return [];
    if (!Array.isArray((backupNative as { roles?: unknown } | undefined)?.roles)) return [];
    return planRoleRestoreRequests(backupNative, nativeOf(snapshot), this.#plan);
  }

  /**
   * Whether `current` is a definition whose latest version is not published: a write that was not
   * finished (an interrupted apply) or a draft. Content types cannot use it; `planUpdate` publishes it.
   */
  incomplete(current: Workflow, snapshot: EnvironmentSnapshot): boolean {
    return isIncomplete(current, nativeOf(snapshot));
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

  /** Sends one planned request through the guarded write of its kind (`write.ts`). */
  async #execute(request: VendorRequest): Promise<void> {
    const path = request.path.replace(/\/+$/, "");
    const publish = /^\/workflow\/definitions\/([^/]+)\/workflow\/events$/i.exec(path);
    const one = /^\/workflow\/definitions\/([^/]+)$/i.exec(path);
    const contentType = /^\/contenttypes\/([^/]+)$/i.exec(path);
    const role = /^\/security\/roles\/([^/]+)$/i.exec(path);
    const id = (match: RegExpExecArray) => decodeURIComponent(match[1] ?? "");

    if (request.method === "PUT" && role?.[1]) return this.#writeRole(id(role), request);
    if (request.method === "POST" && /^\/workflow\/definitions$/i.test(path)) return this.#create(request);
    if (request.method === "POST" && publish?.[1]) return this.#publish(id(publish), request);
    if (request.method === "PUT" && one?.[1]) return this.#update(id(one), request);
    if (request.method === "DELETE" && one?.[1]) return this.#delete(id(one));
    if (request.method === "PUT" && contentType?.[1]) {
      const { workflowId, expected } = plannedAssignment(request.body, request.description);
      await assignWorkflow(this.client, id(contentType), workflowId, { ...(expected ? { expected } : {}) });
      return;
    }
    // Anything else is sent as planned; a POST is never retried blindly.
    await this.client.request({ method: request.method, path, json: request.body });
  }

  async #create(request: VendorRequest): Promise<void> {
    const created = await createDefinition(this.client, WireWorkflowDefinition.parse(request.body));
    this.#remember(created);
  }

  /** Publishes the version this environment's last write answered with (`LATEST_VERSION`), or the one planned. */
  async #publish(id: string, request: VendorRequest): Promise<void> {
    const body = (request.body ?? {}) as { version?: unknown };
    const latest = body.version === LATEST_VERSION || body.version === undefined || body.version === null;
    const ours = latest ? this.#written.get(id) : undefined;
    const version = latest ? ours?.version?.versionNo : String(body.version);
    // What this apply wrote: a version published on top of it by someone else is a conflict.
    await publishDefinition(this.client, id, version, ours ? { written: ours } : {});
    this.#written.delete(id);
  }

  /** A PUT carrying the version it was planned against (the server refuses it when it moved on). */
  async #update(id: string, request: VendorRequest): Promise<void> {
    const body = { ...(request.body as Record<string, unknown>) };
    const planned = body.version as { versionNo?: string | null } | undefined;
    delete body.version;
    const updated = await updateDefinition(this.client, WireWorkflowDefinition.parse({ ...body, id }), {
      expectedVersion: planned?.versionNo ?? null,
    });
    this.#remember(updated);
  }

  /** A delete carries no version: after `guardWrites` the definition is re-read and compared first. */
  async #delete(id: string): Promise<void> {
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
  }

  /**
   * A role PUT: the role is read right before; when it is no longer what the plan read
   * (`request.before`) nothing is sent (`StaleRoleError`), unless it already holds what the PUT
   * would write (a resumed apply whose write had landed).
   */
  async #writeRole(id: string, request: VendorRequest): Promise<void> {
    const path = `${ROLES_PATH}/${encodeURIComponent(id)}`;
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
    if (versionNo && !isPublishedVersionNo(versionNo)) this.#written.set(definition.id, definition);
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
