import type { KontentClient } from "./client.ts";
import type { KontentCollection, KontentContentType, KontentRole, KontentWorkflow } from "./wire.ts";

/**
 * What `readKontent` gets from an environment: the raw workflows (wire format, for backups and for
 * step ids when updating) and what mapping needs. Holds no secret.
 */
export interface KontentNativeSnapshot {
  vendor: "kontent";
  environmentId: string;
  workflows: KontentWorkflow[];
  roles: KontentRole[];
  /**
   * Set when the key may not list roles (403: the roles endpoints need the "Manage custom roles"
   * permission, https://kontent.ai/learn/docs/apis/management-api-v2/roles): `roles` is then empty
   * and role ids stand for themselves as typed references (`id:<uuid>`, see `ROLE_ID_PREFIX`).
   */
  rolesUnavailable?: string;
  /** `id`, `name`, `codename` of each content type (elements left out: not ours, and large). */
  contentTypes: Array<Pick<KontentContentType, "id" | "name" | "codename">>;
  collections: Array<Pick<KontentCollection, "id" | "name" | "codename">>;
}

/**
 * Reads every workflow and what mapping needs, with the fewest requests: one per list (workflows,
 * roles and collections are not paged) and one per page of content types. The lists go out side
 * by side (the Pacer spaces them within the limits).
 */
export async function readKontent(client: KontentClient): Promise<KontentNativeSnapshot> {
  let rolesUnavailable: string | undefined;
  const [workflows, roles, contentTypes, collections] = await Promise.all([
    client.listWorkflows(),
    client.listRoles().catch(async (error: unknown) => {
      // errors.ts by a dynamic import (loaded already: the client translated the error with it), so
      // that starting a read evaluates no zod (see client.ts).
      const { KontentApiError } = await import("./errors.ts");
      // Reading still works without role names: ids are kept (a sync between environments whose
      // role ids are equal needs no names); whatever needs names fails later, naming this.
      if (!(error instanceof KontentApiError) || error.status !== 403) throw error;
      rolesUnavailable = `listing roles is forbidden for this API key (403${error.errorCode === undefined ? "" : `, error code ${error.errorCode}`}): it lacks the "Manage custom roles" permission`;
      return [];
    }),
    client.listContentTypes(),
    client.listCollections(),
  ]);
  return {
    vendor: "kontent",
    environmentId: client.environmentId,
    ...(rolesUnavailable === undefined ? {} : { rolesUnavailable }),
    workflows,
    roles: roles.map((role) => ({
      id: role.id,
      name: role.name,
      ...(role.codename === undefined ? {} : { codename: role.codename }),
    })),
    contentTypes: contentTypes.map(({ id, name, codename }) => ({ id, name, codename })),
    collections: collections.map(({ id, name, codename }) => ({ id, name, codename })),
  };
}
