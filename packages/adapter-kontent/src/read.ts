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
  const [workflows, roles, contentTypes, collections] = await Promise.all([
    client.listWorkflows(),
    client.listRoles(),
    client.listContentTypes(),
    client.listCollections(),
  ]);
  return {
    vendor: "kontent",
    environmentId: client.environmentId,
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
