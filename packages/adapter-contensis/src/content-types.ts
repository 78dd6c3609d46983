import type { PlanWarning, VendorRequest } from "@workflow-sync/core";
import type { ContensisClient } from "./client.ts";
import { ContensisApiError, ContentTypeChangedError } from "./errors.ts";
import { type ContensisContentType, parseWire, WireContentType } from "./wire.ts";

/*
 * Assigning a workflow to a content type: `PUT …/contenttypes/{id}` with the content type and its
 * `workflowId` (DMH `content-types/update-a-content-type.md`,
 * https://github.com/contensis/docs-management-http/blob/master/content-types/update-a-content-type.md;
 * the official client's `contentTypes.update` sends the whole object too). The body is the whole
 * content type, so a body as it was at plan time would put back fields and names changed since.
 *
 * So the plan holds only what changes and what it expects: `{ workflowId, expected: { workflowId } }`.
 * Right before the PUT the content type is read again and only its `workflowId` is changed; the PUT
 * carries the version number just read, so an edit landing in between is refused by the server
 * (409 NotLatestVersion), and then the content type is read again. A content type whose workflow
 * is no longer the one the plan saw is stale (`ContentTypeChangedError`, nothing written); one that
 * has the planned workflow already is done.
 */

const MAX_ATTEMPTS = 3;

const contentTypePath = (id: string) => `/contenttypes/${encodeURIComponent(id)}`;

/** What a planned assignment request carries. */
export interface PlannedAssignment {
  workflowId: string;
  /** The content type's workflow when planned; absent in plans made before it was recorded. */
  expected?: { workflowId: string | null };
}

/** The planned request assigning `workflowId` to `contentType` (as read at plan time). */
export function assignmentRequest(contentType: ContensisContentType, workflowId: string): VendorRequest {
  const was = contentType.workflowId ?? null;
  const body: PlannedAssignment = { workflowId, expected: { workflowId: was } };
  return {
    method: "PUT",
    path: contentTypePath(contentType.id),
    body,
    description: `assign workflow ${workflowId} to content type ${contentType.id} (was ${was ?? "none"}; only its workflowId changes, re-read just before the write)`,
  };
}

/**
 * The plan warning for an assignment: the content type leaves its current workflow, and its
 * entries follow the content type's workflow ("Every content type is assigned a workflow. All
 * entries created for that content type will then follow the life cycle defined in that workflow
 * definition", https://www.contensis.com/help-and-docs/apis/management-http/content/workflow-definitions).
 */
export function assignmentWarning(contentType: ContensisContentType, workflowId: string): PlanWarning {
  const was = contentType.workflowId;
  return {
    code: "content_type_moves_workflow",
    path: ["scope", "contentTypes", contentType.id],
    message: was
      ? `content type ${contentType.id} moves from workflow ${was} to ${workflowId}: its entries are affected (they follow ${workflowId} from then on, and ${was} no longer applies to them)`
      : `content type ${contentType.id} is assigned workflow ${workflowId}: its entries are affected (they follow ${workflowId} from then on)`,
  };
}

/** Reads a planned assignment body: the new `{ workflowId, expected }`, or an older plan's whole content type. */
export function plannedAssignment(body: unknown, description: string): PlannedAssignment {
  const value = (body ?? {}) as { workflowId?: unknown; expected?: { workflowId?: unknown } };
  if (typeof value.workflowId !== "string" || value.workflowId.length === 0) {
    throw new TypeError(`${description}: the request names no workflowId`);
  }
  const expected = value.expected;
  if (expected && (typeof expected.workflowId === "string" || expected.workflowId === null)) {
    return { workflowId: value.workflowId, expected: { workflowId: expected.workflowId } };
  }
  return { workflowId: value.workflowId };
}

async function readContentType(client: ContensisClient, id: string): Promise<ContensisContentType> {
  return client.get(contentTypePath(id), WireContentType, `content type "${id}"`);
}

/**
 * Assigns `workflowId` to a content type, changing nothing else: the content type is re-read, only
 * its `workflowId` is replaced, and the PUT carries the version just read. With `expected`, a
 * content type whose workflow is neither the expected one nor `workflowId` is stale.
 */
export async function assignWorkflow(
  client: ContensisClient,
  contentTypeId: string,
  workflowId: string,
  options: { expected?: { workflowId: string | null } } = {},
): Promise<ContensisContentType> {
  for (let attempt = 1; ; attempt++) {
    const current = await readContentType(client, contentTypeId);
    // Assigned already (by an earlier attempt whose answer was lost, or by someone else): done.
    if (current.workflowId === workflowId) return current;
    const expected = options.expected?.workflowId;
    if (options.expected && (current.workflowId ?? null) !== expected) {
      throw new ContentTypeChangedError(
        contentTypeId,
        expected ?? null,
        current.workflowId ?? null,
        workflowId,
      );
    }
    try {
      const response = await client.request({
        method: "PUT",
        path: contentTypePath(contentTypeId),
        json: { ...current, workflowId },
      });
      return parseWire(WireContentType, response.body, `the updated content type "${contentTypeId}"`);
    } catch (error) {
      // 409 NotLatestVersion: it was edited between the read and the PUT; read it again and decide.
      if (error instanceof ContensisApiError && error.status === 409 && attempt < MAX_ATTEMPTS) continue;
      if (error instanceof ContensisApiError && error.status === 409) {
        const now = await readContentType(client, contentTypeId);
        if (now.workflowId === workflowId) return now;
        throw new ContentTypeChangedError(
          contentTypeId,
          expected ?? null,
          now.workflowId ?? null,
          workflowId,
          `it kept changing while it was written (${MAX_ATTEMPTS} attempts)`,
        );
      }
      throw error;
    }
  }
}
