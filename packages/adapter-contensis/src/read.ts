import type { EnvironmentSnapshot } from "@workflow-sync/core";
import type { ContensisClient } from "./client.ts";
import type { ContensisContentType, ContensisRole, ContensisWorkflowDefinition } from "./wire.ts";

/*
 * Reading needs no zod: the schemas that check the answers are picked from wire.ts once the client
 * has loaded it (with the first request, see client.ts), and the mapping (`snapshotFromNative`,
 * mapping/to-neutral.ts) is imported once the answers are in. A run's first requests go out before
 * zod is evaluated (docs/performance.md, "Start-up").
 */

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

/** The schema of a definition, picked from wire.ts once the client has loaded it. */
const definitionSchema = (wire: typeof import("./wire.ts")) => wire.WireWorkflowDefinition;

/**
 * Everything this adapter needs from a project, in native form: every page of definitions (latest
 * and published), content types (scope) and roles (who may fire which event), side by side.
 */
export async function readContensisNative(client: ContensisClient): Promise<ContensisNative> {
  const [definitions, published, contentTypes, roles] = await Promise.all([
    client.getAllPages("/workflow/definitions", definitionSchema, "the workflow definitions", {
      versionStatus: "latest",
    }),
    client.getAllPages("/workflow/definitions", definitionSchema, "the published workflow definitions", {
      versionStatus: "published",
    }),
    // A plain array, not a PagedList (DMH `content-types/list-content-types.md`; CMA `list(): Promise<ContentType[]>`).
    client.get("/contenttypes", (wire) => wire.WireContentTypeList, "the content types"),
    client.getAllPages("/security/roles", (wire) => wire.WireRole, "the roles"),
  ]);
  for (const definition of published) client.definitions.set(definition.id, definition);
  return { projectId: client.projectId, definitions, published, contentTypes, roles };
}

/**
 * Reads a project (`readContensisNative`) and maps it to the neutral model (`snapshotFromNative`,
 * imported once the answers are in).
 */
export async function readContensis(
  client: ContensisClient,
  options: ReadOptions = {},
): Promise<EnvironmentSnapshot> {
  const native = await readContensisNative(client);
  const { snapshotFromNative } = await import("./mapping/to-neutral.ts");
  return snapshotFromNative(native, options);
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
