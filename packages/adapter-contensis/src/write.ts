import { canonicalJson, type Workflow } from "@workflow-sync/core";
import { UnclearWriteError } from "@workflow-sync/http";
import { z } from "zod";
import type { ContensisClient } from "./client.ts";
import {
  ContensisApiError,
  ContensisConflictError,
  DefinitionNotPublishedError,
  ReadOnlyWorkflowError,
  WorkflowInUseError,
} from "./errors.ts";
import { toNeutral } from "./mapping/to-neutral.ts";
import { isReadOnlyDefinition } from "./rules.ts";
import { isPublishedVersionNo } from "./versions.ts";
import {
  type ContensisWorkflowDefinition,
  parseWire,
  WireContentType,
  WireWorkflowDefinition,
} from "./wire.ts";

/*
 * Writes (DMH `workflow-definitions/*.md`, docs/vendors/contensis.md §1):
 *   create  POST   …/workflow/definitions                     201; 409 exists; 422 validation
 *   update  PUT    …/workflow/definitions/{id}                200; 409 NotLatestVersion; 422
 *   publish POST   …/workflow/definitions/{id}/workflow/events {"version","event":"publish"}; 409; 422 already published
 *   delete  DELETE …/workflow/definitions/{id}                204; 422 in use by content types
 *   assign  PUT    …/contenttypes/{id} with its `workflowId` (a definition must be published first)
 *
 * A create is never retried blindly: after an unclear answer (a dropped connection, a timeout, a
 * 5xx) the definition is re-read by id; if it is there the create landed, otherwise it is sent
 * again. A PUT carries the version it was planned against (`version.versionNo`); a 409 re-reads
 * and reports, unless the latest version already holds exactly what was sent (a retry of a PUT
 * that had landed). ASSUMPTION (the docs do not say how the server detects a stale PUT): the
 * server compares `version.versionNo` of the body with the latest version; the simulator does.
 */

const definitionsPath = "/workflow/definitions";
const definitionPath = (id: string) => `${definitionsPath}/${encodeURIComponent(id)}`;
const MAX_WRITE_ATTEMPTS = 3;

/** A definition as sent on create and update: without server-managed fields (`uuid`, `projectId`, `version`, `isSystem`). */
export function writableBody(definition: ContensisWorkflowDefinition): Record<string, unknown> {
  const { uuid: _uuid, projectId: _projectId, version: _version, isSystem: _isSystem, ...body } = definition;
  return body;
}

function withoutBookkeeping(workflow: Workflow): unknown {
  const stripped = JSON.parse(
    JSON.stringify(workflow, (key, value) => (key === "hints" || key === "unknown" ? undefined : value)),
  );
  // A vendor namespace left empty by that (`extensions.contensis: {}`) means nothing either.
  return JSON.parse(
    JSON.stringify(stripped, (key, value) =>
      key === "contensis" &&
      value !== null &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      Object.keys(value).length === 0
        ? undefined
        : value,
    ),
  );
}

/**
 * Whether two definitions mean the same (server normalisation aside: absent vs empty lists,
 * dropped unknown fields, server-managed fields).
 */
export function sameDefinition(a: ContensisWorkflowDefinition, b: ContensisWorkflowDefinition): boolean {
  const neutral = (definition: ContensisWorkflowDefinition) =>
    canonicalJson(
      withoutBookkeeping(
        toNeutral(WireWorkflowDefinition.parse(writableBody(definition)), { locale: "en-GB" }).value,
      ) as Workflow,
    );
  return neutral(a) === neutral(b);
}

function refuseSystem(
  definition: Pick<ContensisWorkflowDefinition, "id" | "isSystem">,
  action: string,
): void {
  if (isReadOnlyDefinition(definition)) throw new ReadOnlyWorkflowError(definition.id, action);
}

/** A definition by id, or undefined when there is none (404). */
export async function getDefinition(
  client: ContensisClient,
  id: string,
  versionStatus: "latest" | "published" = "latest",
): Promise<ContensisWorkflowDefinition | undefined> {
  try {
    const definition = await client.get(
      definitionPath(id),
      WireWorkflowDefinition,
      `workflow definition "${id}"`,
      {
        versionStatus,
      },
    );
    if (versionStatus === "published") client.definitions.set(id, definition);
    return definition;
  } catch (error) {
    if (error instanceof ContensisApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** Creates a definition (checked on the way back in: an unclear create is re-read, never sent twice blindly). */
export async function createDefinition(
  client: ContensisClient,
  definition: ContensisWorkflowDefinition,
): Promise<ContensisWorkflowDefinition> {
  refuseSystem(definition, "create");
  const body = writableBody(definition);
  let unclear = false;
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await client.request({
        method: "POST",
        path: definitionsPath,
        json: body,
        idempotent: false,
      });
      return parseWire(
        WireWorkflowDefinition,
        response.body,
        `the created workflow definition "${definition.id}"`,
      );
    } catch (error) {
      if (error instanceof UnclearWriteError) {
        unclear = true;
        const landed = await getDefinition(client, definition.id);
        if (landed) return landed;
        if (attempt >= MAX_WRITE_ATTEMPTS) throw error;
        continue; // it did not land: sending it again cannot duplicate it
      }
      if (error instanceof ContensisApiError && error.status === 409) {
        const existing = await getDefinition(client, definition.id);
        // After an unclear attempt, "exists" means that attempt landed.
        if (unclear && existing) return existing;
        throw new ContensisConflictError(
          error,
          definition.id,
          "exists",
          existing?.version?.versionNo ?? undefined,
          { cause: error },
        );
      }
      throw error;
    }
  }
}

export interface UpdateOptions {
  /** The latest version the update was planned against (`version.versionNo`); a newer one is a conflict. */
  expectedVersion?: string | null;
}

/** Updates a definition (a new minor version); a stale version is re-read and reported, never overwritten. */
export async function updateDefinition(
  client: ContensisClient,
  definition: ContensisWorkflowDefinition,
  options: UpdateOptions = {},
): Promise<ContensisWorkflowDefinition> {
  refuseSystem(definition, "update");
  const body: Record<string, unknown> = writableBody(definition);
  if (options.expectedVersion) body.version = { versionNo: options.expectedVersion };
  try {
    const response = await client.request({ method: "PUT", path: definitionPath(definition.id), json: body });
    return parseWire(
      WireWorkflowDefinition,
      response.body,
      `the updated workflow definition "${definition.id}"`,
    );
  } catch (error) {
    if (error instanceof ContensisApiError && error.status === 409) {
      const current = await getDefinition(client, definition.id);
      // A retried PUT whose first attempt landed meets its own new version.
      if (current && sameDefinition(current, definition)) return current;
      throw new ContensisConflictError(
        error,
        definition.id,
        "stale_version",
        current?.version?.versionNo ?? undefined,
        { cause: error },
      );
    }
    throw error;
  }
}

export interface PublishOptions {
  /**
   * The version to publish as the caller wrote it. When the publish meets a conflict and the
   * latest version is a published one that does not hold this, someone else changed the definition
   * after the caller's write: a `ContensisConflictError`, never taken as this publish having landed.
   */
  written?: ContensisWorkflowDefinition;
}

/**
 * Publishes the latest version (`version`: the version number it must be; default: the latest, re-read).
 * Publishing what is already published is not an error: the definition is returned as it is.
 * "Published" is decided from version numbers (`versions.ts`), never from `version.published`,
 * which a draft on top of a published version still carries; the answer is checked to be a
 * published version (`{n}.0`), else the published version is read back and compared.
 */
export async function publishDefinition(
  client: ContensisClient,
  id: string,
  version?: string | null,
  options: PublishOptions = {},
): Promise<ContensisWorkflowDefinition> {
  refuseSystem({ id }, "publish");
  let versionNo = version ?? undefined;
  if (!versionNo) {
    const latest = await getDefinition(client, id);
    if (!latest) throw notFound(id);
    if (isPublishedVersionNo(latest.version?.versionNo)) return latest;
    versionNo = latest.version?.versionNo ?? undefined;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await client.request({
        method: "POST",
        path: `${definitionPath(id)}/workflow/events`,
        json: { version: versionNo, event: "publish" },
        idempotent: false,
      });
      const answered = parseWire(
        WireWorkflowDefinition,
        response.body,
        `the published workflow definition "${id}"`,
      );
      const published = isPublishedVersionNo(answered.version?.versionNo)
        ? answered
        : await confirmPublished(client, id, versionNo);
      client.definitions.set(id, published);
      return published;
    } catch (error) {
      const unclear = error instanceof UnclearWriteError;
      const conflict = error instanceof ContensisApiError && (error.status === 409 || error.status === 422);
      if (!unclear && !conflict) throw error;
      const latest = await getDefinition(client, id);
      // Published already: by this call (an unclear attempt that landed) or before it, unless what
      // is published is not what the caller wrote (someone else's edit published on top of it).
      if (isPublishedVersionNo(latest?.version?.versionNo) && latest) {
        if (options.written && !sameDefinition(latest, options.written)) {
          const details =
            error instanceof ContensisApiError
              ? error
              : {
                  status: 409,
                  method: "POST",
                  path: `${definitionPath(id)}/workflow/events`,
                  validation: [],
                  vendorMessage: "a version published since this write does not hold it",
                };
          throw new ContensisConflictError(
            details,
            id,
            "stale_version",
            latest.version?.versionNo ?? undefined,
            { cause: error },
          );
        }
        client.definitions.set(id, latest);
        return latest;
      }
      if (unclear && attempt < MAX_WRITE_ATTEMPTS) continue;
      if (error instanceof ContensisApiError && error.status === 409) {
        throw new ContensisConflictError(
          error,
          id,
          "stale_version",
          latest?.version?.versionNo ?? undefined,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }
}

function notFound(id: string): ContensisApiError {
  return new ContensisApiError({
    status: 404,
    method: "GET",
    path: definitionPath(id),
    validation: [],
    vendorMessage: `workflow definition "${id}" not found`,
  });
}

/**
 * After a publish whose answer was not a published version: the published version read back must
 * be the one published from `versionNo` (its major part one higher, minor part zero), else the
 * write is reported as not in effect.
 */
async function confirmPublished(
  client: ContensisClient,
  id: string,
  versionNo: string | undefined,
): Promise<ContensisWorkflowDefinition> {
  const published = await getDefinition(client, id, "published");
  const major = Number((versionNo ?? "").split(".")[0]);
  const expected = Number.isInteger(major) && versionNo ? `${major + 1}.0` : undefined;
  if (published && (expected === undefined || published.version?.versionNo === expected)) return published;
  throw new DefinitionNotPublishedError(id, versionNo, published?.version?.versionNo ?? undefined);
}

/** Content types whose `workflowId` is `workflowId`. */
export async function contentTypesUsing(client: ContensisClient, workflowId: string): Promise<string[]> {
  const contentTypes = await client.get("/contenttypes", z.array(WireContentType), "the content types");
  return contentTypes
    .filter((contentType) => contentType.workflowId === workflowId)
    .map((contentType) => contentType.id);
}

/** Deletes a definition; one in use by content types is a `WorkflowInUseError` naming them. */
export async function deleteDefinition(client: ContensisClient, id: string): Promise<void> {
  refuseSystem({ id }, "delete");
  try {
    await client.request({ method: "DELETE", path: definitionPath(id) });
  } catch (error) {
    // Gone already (a retried DELETE whose first attempt landed, or deleted meanwhile): done.
    if (error instanceof ContensisApiError && error.status === 404) return;
    if (error instanceof ContensisApiError && error.status === 422) {
      const users = await contentTypesUsing(client, id).catch(() => [] as string[]);
      if (users.length > 0 || /in use/i.test(error.vendorMessage ?? "")) {
        throw new WorkflowInUseError(id, users, error);
      }
    }
    throw error;
  }
  client.definitions.delete(id);
}
