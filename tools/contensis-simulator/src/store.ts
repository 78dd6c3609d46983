import { randomUUID } from "node:crypto";
import { type ApiError, conflict, notFound, validationError } from "./errors.ts";
import { SYSTEM_DEFINITION_IDS, systemDefinitions } from "./system-definitions.ts";
import type {
  ContensisSeed,
  ContentType,
  Entry,
  EntrySchedules,
  ProjectState,
  Role,
  SeedEntry,
  SeedProject,
  SeedWorkflow,
  StoredDefinition,
  VersionInfo,
  WorkflowDefinition,
} from "./types.ts";
import {
  bumpMajor,
  bumpMinor,
  clone,
  isPublishedVersionNo,
  isRecord,
  isVersionNo,
  nowIso,
  stableUuid,
} from "./util.ts";
import { type DefinitionBody, validateDefinition } from "./validation.ts";

/** One language variation of an entry: its latest version and its last published version. */
export interface EntryRecord {
  latest: Entry;
  published: Entry | null;
}

export interface ProjectData {
  id: string;
  /** Definition id -> versions, oldest first. */
  definitions: Map<string, WorkflowDefinition[]>;
  contentTypes: Map<string, ContentType>;
  roles: Map<string, Role>;
  /** Entry id -> language -> variation (insertion order: the first language is the default). */
  entries: Map<string, Map<string, EntryRecord>>;
}

/** Timestamps given to seeded objects that carry none, so that a seed loads the same every time. */
export const SEED_TIME = "2025-01-06T09:00:00.000Z";
export const SEED_USER = "admin";

export function isSystemId(id: string): boolean {
  return (SYSTEM_DEFINITION_IDS as readonly string[]).includes(id);
}

/**
 * The version that entries follow and content types may be assigned: the last published one
 * (system: always). Told by its version number (`{n}.0`), not by `version.published`, which a
 * draft on top of a published version carries too (see `isPublishedVersionNo`).
 */
export function publishedVersion(versions: WorkflowDefinition[]): WorkflowDefinition | null {
  const first = versions[0];
  if (first?.isSystem) return first;
  return versions.findLast((v) => isPublishedVersionNo(v.version.versionNo)) ?? null;
}

export function latestVersion(versions: WorkflowDefinition[]): WorkflowDefinition {
  const last = versions.at(-1);
  if (!last) throw new Error("a stored definition has no version");
  return last;
}

export function requireProject(projects: Map<string, ProjectData>, projectId: string): ProjectData {
  const project = projects.get(projectId);
  if (!project) throw notFound(`Project '${projectId}' not found`, { projectId });
  return project;
}

// ---------------------------------------------------------------------------------- definitions

export type VersionStatus = "latest" | "published";

export function listDefinitions(project: ProjectData, status: VersionStatus): WorkflowDefinition[] {
  const out: WorkflowDefinition[] = [];
  for (const versions of project.definitions.values()) {
    const version = status === "published" ? publishedVersion(versions) : latestVersion(versions);
    if (version) out.push(version);
  }
  return out;
}

export function getDefinition(project: ProjectData, id: string, status: VersionStatus): WorkflowDefinition {
  const versions = project.definitions.get(id);
  if (!versions) throw notFound(`Workflow definition '${id}' not found`, { workflowDefinitionId: id });
  const version = status === "published" ? publishedVersion(versions) : latestVersion(versions);
  if (!version)
    throw notFound(`Workflow definition '${id}' has no published version`, { workflowDefinitionId: id });
  return version;
}

function readOnly(id: string): ApiError {
  // "These cannot be modified" (HTTP overview seed). The status is not documented: 422 (assumption).
  return validationError(
    [
      {
        field: "id",
        message: `The workflow definition '${id}' is a system workflow definition and cannot be modified.`,
      },
    ],
    `The workflow definition '${id}' is a system workflow definition and cannot be modified.`,
  );
}

function checkBody(body: unknown): DefinitionBody {
  const { issues, value } = validateDefinition(body);
  if (issues.length > 0) throw validationError(issues);
  return value;
}

function newVersion(
  project: ProjectData,
  body: DefinitionBody,
  uuid: string,
  version: VersionInfo,
): WorkflowDefinition {
  const { id, name, description, states, eventGroups } = body;
  const definition: WorkflowDefinition = { uuid, id, projectId: project.id, name } as WorkflowDefinition;
  if (description !== undefined) definition.description = description;
  definition.states = states;
  definition.eventGroups = eventGroups;
  definition.isSystem = false;
  definition.version = version;
  return definition;
}

export function createDefinition(project: ProjectData, body: unknown, actor: string): WorkflowDefinition {
  const value = checkBody(body);
  if (project.definitions.has(value.id)) {
    throw conflict(`A workflow definition with the id '${value.id}' already exists`, {
      workflowDefinitionId: value.id,
    });
  }
  const now = nowIso();
  const created = newVersion(project, value, randomUUID(), {
    createdBy: actor,
    created: now,
    modifiedBy: actor,
    modified: now,
    publishedBy: null,
    published: null,
    versionNo: "0.1",
  });
  project.definitions.set(value.id, [created]);
  return created;
}

function notLatest(id: string, given: unknown, latest: string | null): ApiError {
  return conflict(
    `Only the latest version of a workflow definition can be changed ('${id}' is at ${latest}, not ${String(given)})`,
    {
      workflowDefinitionId: id,
      latestVersion: latest,
      version: given,
    },
    "NotLatestVersion",
  );
}

/**
 * Update = a new minor version (DMH `model/version.md`): a draft. Its `publishedBy`/`published`
 * stay those of the last publish ("who last published the resource", "the date and time the
 * resource version was last published", same page), so a draft on top of a published version
 * carries the earlier publish time; only the version number tells that it is not published. Staleness (409 NotLatestVersion, DMH update
 * page) is detected from `version.versionNo` in the body when present: any value other than the
 * latest version number is stale. A body without `version` updates the latest (the DMH example PUT
 * carries none). ASSUMPTION: the docs do not say how the server detects it.
 */
export function updateDefinition(
  project: ProjectData,
  id: string,
  body: unknown,
  actor: string,
): WorkflowDefinition {
  const versions = project.definitions.get(id);
  if (!versions) throw notFound(`Workflow definition '${id}' not found`, { workflowDefinitionId: id });
  if (isSystemId(id)) throw readOnly(id);
  const latest = latestVersion(versions);
  if (isRecord(body)) {
    if (body.id !== undefined && body.id !== id) {
      throw validationError([
        {
          field: "id",
          message: `The id '${String(body.id)}' does not match '${id}'; ids cannot be changed.`,
        },
      ]);
    }
    const given = isRecord(body.version) ? body.version.versionNo : undefined;
    if (given !== undefined && given !== null && given !== latest.version.versionNo) {
      throw notLatest(id, given, latest.version.versionNo);
    }
  }
  const value = checkBody(isRecord(body) ? { ...body, id } : body);
  const updated = newVersion(project, value, latest.uuid, {
    createdBy: latest.version.createdBy,
    created: latest.version.created,
    modifiedBy: actor,
    modified: nowIso(),
    publishedBy: latest.version.publishedBy ?? null,
    published: latest.version.published ?? null,
    versionNo: bumpMinor(latest.version.versionNo),
  });
  versions.push(updated);
  return updated;
}

export function deleteDefinition(project: ProjectData, id: string): void {
  if (!project.definitions.has(id))
    throw notFound(`Workflow definition '${id}' not found`, { workflowDefinitionId: id });
  if (isSystemId(id)) throw readOnly(id);
  const users = [...project.contentTypes.values()].filter((ct) => ct.workflowId === id).map((ct) => ct.id);
  if (users.length > 0) {
    // DMH delete page: "cannot be deleted while it is in use by one or more content types".
    const message = `The workflow definition '${id}' cannot be deleted while it is in use by one or more content types: ${users.join(", ")}`;
    throw validationError([{ field: "id", message }], message);
  }
  project.definitions.delete(id);
}

/**
 * Publish: `POST …/{id}/workflow/events` with `{"version": "x.y", "event": "publish"}` (DMH
 * `workflow-definitions/invoking-workflow.md`): 409 when `version` is not the latest, 422 when the
 * latest is already published. Publishing bumps the major part (0.2 -> 1.0). ASSUMPTION: a trigger
 * without `version` publishes the latest.
 */
export function publishDefinition(
  project: ProjectData,
  id: string,
  trigger: unknown,
  actor: string,
): WorkflowDefinition {
  const versions = project.definitions.get(id);
  if (!versions) throw notFound(`Workflow definition '${id}' not found`, { workflowDefinitionId: id });
  if (isSystemId(id)) throw readOnly(id);
  if (!isRecord(trigger))
    throw validationError([{ field: "", message: "The workflow trigger must be a JSON object." }]);
  if (trigger.event !== "publish") {
    throw validationError([
      { field: "event", message: `The event '${String(trigger.event)}' is not valid; use 'publish'.` },
    ]);
  }
  const latest = latestVersion(versions);
  if (
    trigger.version !== undefined &&
    trigger.version !== null &&
    trigger.version !== latest.version.versionNo
  ) {
    throw notLatest(id, trigger.version, latest.version.versionNo);
  }
  if (isPublishedVersionNo(latest.version.versionNo)) {
    const message = `The workflow definition '${id}' version ${latest.version.versionNo} is already published`;
    throw validationError([{ field: "version", message }], message);
  }
  const now = nowIso();
  const published: WorkflowDefinition = clone(latest);
  published.version = {
    ...latest.version,
    modifiedBy: actor,
    modified: now,
    publishedBy: actor,
    published: now,
    versionNo: bumpMajor(latest.version.versionNo),
  };
  versions.push(published);
  return published;
}

// ------------------------------------------------------------------------- content types, roles

export function getContentType(project: ProjectData, id: string): ContentType {
  const ct = project.contentTypes.get(id);
  if (!ct) throw notFound(`Content type '${id}' not found`, { contentTypeId: id });
  return ct;
}

/** Why `workflowId` cannot be assigned, or undefined when it can ("must be published before it can be assigned", DMH). */
export function assignmentProblem(project: ProjectData, workflowId: unknown): string | undefined {
  if (typeof workflowId !== "string" || workflowId.length === 0)
    return "The workflow id must be a workflow definition id.";
  const versions = project.definitions.get(workflowId);
  if (!versions) return `The workflow definition '${workflowId}' does not exist.`;
  if (!publishedVersion(versions)) {
    return `The workflow definition '${workflowId}' must be published before it can be assigned to a content type.`;
  }
  return undefined;
}

/**
 * `PUT …/contenttypes/{id}`. ASSUMPTION: content type versioning is reduced to a counter: a PUT takes
 * effect at once (as if saved and published); `workflowId` is kept when the body has none.
 * The documented update body carries `version.versionNo` and the documented answers include
 * "409 NotLatestVersion" (DMH `content-types/update-a-content-type.md`,
 * https://github.com/contensis/docs-management-http/blob/master/content-types/update-a-content-type.md):
 * a body whose `version.versionNo` is not the current one is refused with 409 and nothing changes;
 * a body without a version updates the current one (as for definitions, an assumption).
 */
export function updateContentType(
  project: ProjectData,
  id: string,
  body: unknown,
  actor: string,
): ContentType {
  const current = getContentType(project, id);
  if (!isRecord(body))
    throw validationError([{ field: "", message: "The content type must be a JSON object." }]);
  if (body.id !== undefined && body.id !== id) {
    throw validationError([{ field: "id", message: `The id '${String(body.id)}' does not match '${id}'.` }]);
  }
  const given = isRecord(body.version) ? body.version.versionNo : undefined;
  if (given !== undefined && given !== null && given !== current.version?.versionNo) {
    throw conflict(
      `Only the latest version of a content type can be changed ('${id}' is at ${String(current.version?.versionNo)}, not ${String(given)})`,
      { contentTypeId: id, latestVersion: current.version?.versionNo ?? null, version: given },
    );
  }
  const workflowId = body.workflowId ?? current.workflowId;
  const problem = assignmentProblem(project, workflowId);
  if (problem) throw validationError([{ field: "workflowId", message: problem }], problem);
  const now = nowIso();
  const version = current.version;
  const updated: ContentType = {
    ...clone(body),
    id,
    name: isRecord(body.name) ? (clone(body.name) as Record<string, string>) : current.name,
    workflowId: workflowId as string,
    uuid: current.uuid,
    projectId: project.id,
    version: {
      createdBy: version?.createdBy ?? actor,
      created: version?.created ?? now,
      modifiedBy: actor,
      modified: now,
      publishedBy: actor,
      published: now,
      versionNo: bumpMajor(version?.versionNo),
    },
  };
  project.contentTypes.set(id, updated);
  return updated;
}

export function getRole(project: ProjectData, id: string): Role {
  const role = project.roles.get(id);
  if (!role) throw notFound(`Role '${id}' not found`, { roleId: id });
  return role;
}

/**
 * `PUT …/security/roles/{roleId}`: the whole role is replaced by the body ("Update a role",
 * https://www.contensis.com/help-and-docs/apis/management-http/security/roles/update-a-role:
 * 200 with the role, 404 role not found, 422 validation error; the example body carries `name`,
 * `description`, `enabled`, `permissions` and `assignments`). ASSUMPTION (the page lists no
 * validations beyond the role existing): `name` is required, every permission needs an `actions`
 * list of strings, and an `id` in the body must be the role's own.
 */
export function updateRole(project: ProjectData, id: string, body: unknown): Role {
  const current = getRole(project, id);
  if (!isRecord(body)) throw validationError([{ field: "", message: "The role must be a JSON object." }]);
  const issues: Array<{ field: string; message: string }> = [];
  if (body.id !== undefined && body.id !== id) {
    issues.push({ field: "id", message: `The id '${String(body.id)}' does not match '${id}'.` });
  }
  const name = body.name;
  const named =
    (typeof name === "string" && name.trim().length > 0) ||
    (isRecord(name) && Object.values(name).some((value) => typeof value === "string" && value.length > 0));
  if (!named) issues.push({ field: "name", message: "The role name is required." });
  const permissions = body.permissions ?? { entries: [] };
  if (!isRecord(permissions)) {
    issues.push({ field: "permissions", message: "The permissions must be an object." });
  } else {
    for (const [kind, list] of Object.entries(permissions)) {
      if (list === null || list === undefined) continue;
      if (!Array.isArray(list)) {
        issues.push({ field: `permissions.${kind}`, message: "The permissions must be a list." });
        continue;
      }
      list.forEach((permission: unknown, index) => {
        const actions = isRecord(permission) ? permission.actions : undefined;
        if (!Array.isArray(actions) || actions.some((action) => typeof action !== "string")) {
          issues.push({
            field: `permissions.${kind}[${index}].actions`,
            message: "Every permission needs a list of action strings.",
          });
        }
      });
    }
  }
  if (issues.length > 0) throw validationError(issues, "There are validation errors updating the role");
  const updated: Role = {
    ...clone(body),
    id,
    name: clone(name) as Role["name"],
    enabled: typeof body.enabled === "boolean" ? body.enabled : current.enabled,
    permissions: clone(permissions) as Role["permissions"],
    assignments: isRecord(body.assignments)
      ? { users: [], groups: [], apiKeys: [], ...(clone(body.assignments) as Role["assignments"]) }
      : current.assignments,
  };
  project.roles.set(id, updated);
  return clone(updated);
}

// ---------------------------------------------------------------------------------------- seed

function seedError(message: string): Error {
  return new Error(`contensis simulator seed: ${message}`);
}

function seedVersions(project: ProjectData, items: SeedWorkflow[]): WorkflowDefinition[] {
  const versions: WorkflowDefinition[] = [];
  for (const item of items) {
    const { issues, value } = validateDefinition(item);
    if (issues.length > 0) {
      const list = issues.map((i) => `${i.field}: ${i.message}`).join("; ");
      throw seedError(`project '${project.id}' workflow '${String(item.id)}': ${list}`);
    }
    const previous = versions.at(-1);
    const given = item.version;
    // Without a version number, a seed item is published unless it says `published: null`.
    const isPublished = isVersionNo(given?.versionNo)
      ? isPublishedVersionNo(given.versionNo)
      : given
        ? Boolean(given.published)
        : true;
    const versionNo = isVersionNo(given?.versionNo)
      ? given.versionNo
      : previous
        ? isPublished
          ? bumpMajor(previous.version.versionNo)
          : bumpMinor(previous.version.versionNo)
        : isPublished
          ? "1.0"
          : "0.1";
    // A draft carries the last publish (see `updateDefinition`), unless the seed names one.
    const published = isPublished
      ? (given?.published ?? SEED_TIME)
      : (given?.published ?? previous?.version.published ?? null);
    const publishedBy = isPublished
      ? (given?.publishedBy ?? SEED_USER)
      : given?.published
        ? (given.publishedBy ?? SEED_USER)
        : (previous?.version.publishedBy ?? null);
    const uuid = item.uuid ?? previous?.uuid ?? stableUuid("contensis-simulator", project.id, value.id);
    versions.push(
      newVersion(project, value, uuid, {
        createdBy: given?.createdBy ?? previous?.version.createdBy ?? SEED_USER,
        created: given?.created ?? previous?.version.created ?? SEED_TIME,
        modifiedBy: given?.modifiedBy ?? SEED_USER,
        modified: given?.modified ?? (isPublished ? published : null) ?? SEED_TIME,
        publishedBy,
        published,
        versionNo,
      }),
    );
  }
  return versions;
}

function seedContentType(project: ProjectData, raw: ContentType): ContentType {
  if (!isRecord(raw) || typeof raw.id !== "string")
    throw seedError(`project '${project.id}': a content type has no id`);
  const workflowId = raw.workflowId ?? "contensisEntryBasic";
  const problem = assignmentProblem(project, workflowId);
  if (problem) throw seedError(`project '${project.id}' content type '${raw.id}': ${problem}`);
  return {
    dataFormat: "entry",
    defaultLanguage: "en-GB",
    supportedLanguages: ["en-GB"],
    enabled: true,
    ...clone(raw),
    workflowId,
    uuid: raw.uuid ?? stableUuid("contensis-simulator", project.id, "contentType", raw.id),
    projectId: project.id,
    version: {
      createdBy: SEED_USER,
      created: SEED_TIME,
      modifiedBy: SEED_USER,
      modified: SEED_TIME,
      publishedBy: SEED_USER,
      published: SEED_TIME,
      versionNo: "1.0",
      ...(raw.version ?? {}),
    },
  };
}

function seedRole(project: ProjectData, raw: Role): Role {
  if (!isRecord(raw) || typeof raw.id !== "string")
    throw seedError(`project '${project.id}': a role has no id`);
  return {
    ...clone(raw),
    enabled: raw.enabled ?? true,
    permissions: clone(raw.permissions ?? { entries: [] }),
    assignments: { users: [], groups: [], apiKeys: [], ...clone(raw.assignments ?? {}) },
  };
}

function seedSchedules(sys: SeedEntry["sys"]): EntrySchedules {
  const schedules: EntrySchedules = clone(sys.schedules ?? {});
  if (typeof sys.publishSchedule === "string") schedules.publish = { dateTime: sys.publishSchedule };
  return schedules;
}

function seedEntry(project: ProjectData, raw: SeedEntry): EntryRecord {
  const sys = isRecord(raw) && isRecord(raw.sys) ? raw.sys : undefined;
  if (!sys || typeof sys.id !== "string" || typeof sys.language !== "string") {
    throw seedError(`project '${project.id}': an entry needs sys.id and sys.language`);
  }
  const where = `project '${project.id}' entry '${sys.id}' (${sys.language})`;
  const ct = project.contentTypes.get(sys.contentTypeId);
  if (!ct) throw seedError(`${where}: unknown content type '${sys.contentTypeId}'`);
  const workflowId = sys.workflow?.id ?? ct.workflowId ?? "contensisEntryBasic";
  const versions = project.definitions.get(workflowId);
  const definition = versions ? (publishedVersion(versions) ?? latestVersion(versions)) : undefined;
  if (!definition) throw seedError(`${where}: unknown workflow '${workflowId}'`);
  const state = sys.workflow?.state ?? definition.states[0]?.id ?? "draft";
  const known =
    definition.states.some((s) => s.id === state) || state === "versionComplete" || state === "scheduled";
  if (!known) throw seedError(`${where}: state '${state}' is not a state of '${workflowId}'`);

  const given = sys.version ?? {};
  const isPublished = sys.isPublished ?? (given.published ? true : state === "versionComplete");
  const versionNo = isVersionNo(given.versionNo) ? given.versionNo : isPublished ? "1.0" : "0.1";
  const owner = typeof sys.owner === "string" ? sys.owner : SEED_USER;
  // The latest version is the published one only in `versionComplete`; otherwise it is a later draft.
  const latestIsPublished = isPublished && state === "versionComplete";
  const publishedAt = given.published ?? SEED_TIME;
  const publishedBy = given.publishedBy ?? owner;
  const version: VersionInfo = {
    createdBy: given.createdBy ?? owner,
    created: given.created ?? SEED_TIME,
    modifiedBy: given.modifiedBy ?? owner,
    modified: given.modified ?? SEED_TIME,
    publishedBy: latestIsPublished ? publishedBy : null,
    published: latestIsPublished ? publishedAt : null,
    versionNo,
  };
  const { publishSchedule: _publishSchedule, ...restSys } = sys;
  const entry: Entry = {
    ...clone(raw),
    sys: {
      ...clone(restSys),
      id: sys.id,
      projectId: project.id,
      contentTypeId: sys.contentTypeId,
      dataFormat: "entry",
      language: sys.language,
      uri: `/api/management/projects/${project.id}/entries/${sys.id}`,
      metadata: isRecord(sys.metadata) ? clone(sys.metadata) : {},
      owner,
      isPublished,
      version,
      schedules: seedSchedules(sys),
      workflow: {
        id: workflowId,
        state,
        allowedEvents: [],
        transition: sys.workflow?.transition ? clone(sys.workflow.transition) : null,
      },
    },
  };
  let published: Entry | null = null;
  if (isPublished) {
    // The seed does not hold the published content of a later draft: the snapshot reuses the draft's data.
    published = clone(entry);
    const major = Number(versionNo.split(".")[0]);
    published.sys.version = {
      ...version,
      publishedBy,
      published: publishedAt,
      versionNo: latestIsPublished || major < 1 ? versionNo : `${major}.0`,
    };
    published.sys.workflow.state = "versionComplete";
  }
  return { latest: entry, published };
}

function seedProject(id: string, seed: SeedProject): ProjectData {
  const project: ProjectData = {
    id,
    definitions: new Map(),
    contentTypes: new Map(),
    roles: new Map(),
    entries: new Map(),
  };
  for (const definition of systemDefinitions(id)) project.definitions.set(definition.id, [definition]);

  const byId = new Map<string, SeedWorkflow[]>();
  for (const item of seed.workflows ?? []) {
    if (!isRecord(item) || typeof item.id !== "string")
      throw seedError(`project '${id}': a workflow has no id`);
    if (isSystemId(item.id))
      throw seedError(`project '${id}': '${item.id}' is a system workflow and built in`);
    byId.set(item.id, [...(byId.get(item.id) ?? []), item]);
  }
  for (const [workflowId, items] of byId) project.definitions.set(workflowId, seedVersions(project, items));

  for (const ct of seed.contentTypes ?? []) {
    const value = seedContentType(project, ct);
    project.contentTypes.set(value.id, value);
  }
  for (const role of seed.roles ?? []) {
    const value = seedRole(project, role);
    project.roles.set(value.id, value);
  }
  for (const raw of seed.entries ?? []) {
    const record = seedEntry(project, raw);
    const variations = project.entries.get(record.latest.sys.id) ?? new Map<string, EntryRecord>();
    variations.set(record.latest.sys.language, record);
    project.entries.set(record.latest.sys.id, variations);
  }
  return project;
}

export function loadProjects(seed: ContensisSeed): Map<string, ProjectData> {
  if (!isRecord(seed) || !isRecord(seed.projects)) throw seedError("'projects' must be an object");
  if (!Array.isArray(seed.clients)) throw seedError("'clients' must be an array");
  const projects = new Map<string, ProjectData>();
  for (const [id, project] of Object.entries(seed.projects)) projects.set(id, seedProject(id, project ?? {}));
  return projects;
}

// --------------------------------------------------------------------------------------- state

export function storedDefinition(versions: WorkflowDefinition[]): StoredDefinition {
  const latest = latestVersion(versions);
  return {
    id: latest.id,
    isSystem: latest.isSystem,
    versions: clone(versions),
    latest: clone(latest),
    published: clone(publishedVersion(versions)),
  };
}

export function projectState(
  project: ProjectData,
  renderEntry: (record: EntryRecord) => Entry,
): ProjectState {
  const entries: Entry[] = [];
  for (const variations of project.entries.values()) {
    for (const record of variations.values()) entries.push(renderEntry(record));
  }
  return {
    projectId: project.id,
    definitions: [...project.definitions.values()].map(storedDefinition),
    contentTypes: clone([...project.contentTypes.values()]),
    roles: clone([...project.roles.values()]),
    entries,
  };
}
