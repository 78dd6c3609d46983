import type { KontentClient } from "./client.ts";
import type { KontentCollection } from "./wire.ts";

/** A language variant as the in-use checks need it: where it is, and in which workflow and step. */
export interface VariantPosition {
  item: string;
  language: string;
  workflow: string;
  step: string | undefined;
}

/**
 * Every language variant of the environment by workflow id, read with the fewest requests the API
 * documents for it: one "List language variants by collection" per collection (paged;
 * https://kontent.ai/learn/docs/apis/management-api-v2/language-variants). Every item belongs to
 * exactly one collection, so this sees every variant once. Environments hold few collections
 * (at most 100, https://kontent.ai/learn/docs/architecture/technical-limits) and usually many more
 * content types, which the by-type listing would need one request each for.
 */
export async function variantsByWorkflow(
  client: Pick<KontentClient, "listVariantsOfCollection" | "listCollections">,
  collections?: readonly Pick<KontentCollection, "id">[],
): Promise<Map<string, VariantPosition[]>> {
  const all = collections ?? (await client.listCollections());
  const pages = await Promise.all(
    all.map((collection) => client.listVariantsOfCollection({ id: collection.id })),
  );
  const byWorkflow = new Map<string, VariantPosition[]>();
  for (const variant of pages.flat()) {
    const workflow = variant.workflow?.workflow_identifier.id;
    if (workflow === undefined) continue;
    const list = byWorkflow.get(workflow) ?? [];
    list.push({
      item: variant.item.id,
      language: variant.language.id,
      workflow,
      step: variant.workflow?.step_identifier.id,
    });
    byWorkflow.set(workflow, list);
  }
  return byWorkflow;
}
