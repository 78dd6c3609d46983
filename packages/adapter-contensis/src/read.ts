import type { EnvironmentSnapshot, Loss } from "@workflow-sync/core";
import { z } from "zod";
import type { ContensisClient } from "./client.ts";
import { toNeutral } from "./mapping/to-neutral.ts";
import { grantsFromRoles, roleName } from "./roles.ts";
import { SYSTEM_WORKFLOW_IDS } from "./rules.ts";
import {
  type ContensisContentType,
  type ContensisRole,
  type ContensisWorkflowDefinition,
  WireContentType,
  WireRole,
  WireWorkflowDefinition,
} from "./wire.ts";

/** What the Management API holds for workflows: the `native` of a snapshot (no secret in it). */
export interface ContensisNative {
  projectId: string;
  /** Every definition, latest version (`versionStatus=latest`). */
  definitions: ContensisWorkflowDefinition[];
  /** Every definition's published version (`versionStatus=published`); a never-published one is absent. */
  published: ContensisWorkflowDefinition[];
  /** Content types (their `workflowId` is a definition's scope). */
  contentTypes: ContensisContentType[];
  /** Roles (their entry permission actions say who may fire which event). */
  roles: ContensisRole[];
}

export interface ReadOptions {
  /** The locale of generated names (see `toNeutral`). */
  locale?: string;
}

/** Everything this adapter needs from a project, in native form. */
export async function readContensisNative(client: ContensisClient): Promise<ContensisNative> {
  const [definitions, published, contentTypes, roles] = await Promise.all([
    client.getAllPages("/workflow/definitions", WireWorkflowDefinition, "the workflow definitions", {
      versionStatus: "latest",
    }),
    client.getAllPages(
      "/workflow/definitions",
      WireWorkflowDefinition,
      "the published workflow definitions",
      {
        versionStatus: "published",
      },
    ),
    // A plain array, not a PagedList (DMH `content-types/list-content-types.md`; CMA `list(): Promise<ContentType[]>`).
    client.get("/contenttypes", z.array(WireContentType), "the content types"),
    client.getAllPages("/security/roles", WireRole, "the roles"),
  ]);
  for (const definition of published) client.definitions.set(definition.id, definition);
  return { projectId: client.projectId, definitions, published, contentTypes, roles };
}

/**
 * Whether a definition is a read-only system definition: one of the predefined ones ("These cannot
 * be modified", DMH model/workflow-definition.md). `isSystem` is managed by the server and is not
 * trusted from a document (the docs' custom example carries `isSystem: true`).
 */
export function isReadOnlyDefinition(definition: Pick<ContensisWorkflowDefinition, "id">): boolean {
  return (SYSTEM_WORKFLOW_IDS as readonly string[]).includes(definition.id);
}

/** A snapshot in neutral form from native data (pure: `readContensis` without the requests). */
export function snapshotFromNative(native: ContensisNative, options: ReadOptions = {}): EnvironmentSnapshot {
  const roleGrants = grantsFromRoles(native.roles, options.locale);
  const losses: Loss[] = [];
  const workflows = native.definitions.map((definition) => {
    const contentTypes = native.contentTypes
      .filter((contentType) => contentType.workflowId === definition.id)
      .map((contentType) => contentType.id);
    const mapped = toNeutral(definition, {
      contentTypes,
      roleGrants,
      ...(options.locale ? { locale: options.locale } : {}),
    });
    // Read losses point into the definition; the path starts with its id.
    for (const loss of mapped.losses) losses.push({ ...loss, path: [definition.id, ...loss.path] });
    return mapped.value;
  });
  return {
    vendor: "contensis",
    workflows,
    losses,
    roles: [...new Set(native.roles.map((role) => roleName(role, options.locale)))].sort(),
    contentTypes: native.contentTypes.map((contentType) => contentType.id).sort(),
    collections: [],
    readOnly: native.definitions.filter(isReadOnlyDefinition).map((definition) => definition.id),
    native,
  };
}

/**
 * Reads a project: every page of definitions (latest and published), content types (scope) and
 * roles (who may fire which event), mapped to the neutral model.
 */
export async function readContensis(
  client: ContensisClient,
  options: ReadOptions = {},
): Promise<EnvironmentSnapshot> {
  return snapshotFromNative(await readContensisNative(client), options);
}

/** The native part of a snapshot this adapter made (checked). */
export function nativeOf(snapshot: EnvironmentSnapshot): ContensisNative {
  const native = snapshot.native as Partial<ContensisNative> | undefined;
  if (
    snapshot.vendor !== "contensis" ||
    !native ||
    !Array.isArray(native.definitions) ||
    !Array.isArray(native.contentTypes) ||
    !Array.isArray(native.roles)
  ) {
    throw new TypeError("the snapshot was not read by the Contensis adapter");
  }
  return {
    projectId: native.projectId ?? "",
    definitions: native.definitions,
    published: native.published ?? [],
    contentTypes: native.contentTypes,
    roles: native.roles,
  };
}
