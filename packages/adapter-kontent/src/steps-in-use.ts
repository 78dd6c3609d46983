import type { VendorRequest } from "@workflow-sync/core";
import type { KontentClient } from "./client.ts";
import { KontentStepInUseError, type StepInUse } from "./errors.ts";
import type { KontentNativeSnapshot } from "./read.ts";
import type { KontentStep, KontentVariant, KontentWorkflow, KontentWorkflowWrite } from "./wire.ts";

/*
 * Removing a step that content is in. "When removing a workflow step, make sure the step is not in
 * use. You can't remove a used workflow step." (Update a workflow,
 * https://kontent.ai/learn/docs/apis/management-api-v2/workflows). The vendor refuses such a PUT,
 * so an apply that removes one would write every request before it and then stop half-way, and
 * every re-run would stop at the same place. It is found before anything is written instead:
 *
 * 1. from the planned requests alone (no request): the steps an update removes are the stored
 *    steps whose id no body of that update carries (a kept or renamed step carries its id,
 *    `updateBodies`). Most plans remove none and cost nothing more;
 * 2. only then, the language variants are read once ("List language variants by type",
 *    `GET /types/{type}/variants`, paged, https://kontent.ai/learn/docs/apis/management-api-v2/language-variants),
 *    one pass over the environment's content types, and counted per workflow step. (The
 *    "Filter language variants" endpoint can filter by workflow step, but it is early access, so
 *    this check does not depend on it.)
 */

/** The steps that the planned `PUT /workflows/{id}` requests remove, per stored workflow. */
export function stepsRemovedBy(
  requests: readonly VendorRequest[],
  native: KontentNativeSnapshot,
): Array<{ workflow: KontentWorkflow; steps: KontentStep[] }> {
  const kept = new Map<string, Set<string>>();
  for (const request of requests) {
    if (request.method !== "PUT") continue;
    const id = /^\/workflows\/([^/]+)$/.exec(request.path)?.[1];
    if (id === undefined) continue;
    const stored = native.workflows.find((workflow) => workflow.id === decodeURIComponent(id));
    if (!stored) continue;
    const body = request.body as Partial<KontentWorkflowWrite> | undefined;
    const ids = new Set((body?.steps ?? []).flatMap((step) => (step.id === undefined ? [] : [step.id])));
    // Over the bodies of one update (one or two requests), a step is kept only if every body keeps it.
    const before = kept.get(stored.id);
    kept.set(stored.id, before ? new Set([...before].filter((step) => ids.has(step))) : ids);
  }
  return [...kept].flatMap(([id, ids]) => {
    const workflow = native.workflows.find((candidate) => candidate.id === id)!;
    const steps = workflow.steps.filter((step) => !ids.has(step.id));
    return steps.length > 0 ? [{ workflow, steps }] : [];
  });
}

/** Where the language variants are: variants per workflow step id. One read over every content type. */
export async function readVariantsByStep(
  client: KontentClient,
  native: KontentNativeSnapshot,
): Promise<Map<string, KontentVariant[]>> {
  const byStep = new Map<string, KontentVariant[]>();
  for (const type of native.contentTypes) {
    for (const variant of await client.listVariantsOfType({ id: type.id })) {
      const step = variant.workflow?.step_identifier.id ?? variant.workflow_step?.id;
      if (step === undefined) continue;
      byStep.set(step, [...(byStep.get(step) ?? []), variant]);
    }
  }
  return byStep;
}

/**
 * Refuses (throws `KontentStepInUseError`, nothing written) when planned updates remove steps that
 * language variants are in. Reads the variants at most once, and only when a step is removed.
 */
export async function refuseRemovingUsedSteps(
  client: KontentClient,
  requests: readonly VendorRequest[],
  native: KontentNativeSnapshot,
): Promise<void> {
  const removed = stepsRemovedBy(requests, native);
  if (removed.length === 0) return;
  const byStep = await readVariantsByStep(client, native);
  const inUse: StepInUse[] = removed.flatMap(({ workflow, steps }) =>
    steps.flatMap((step) => {
      const variants = byStep.get(step.id) ?? [];
      if (variants.length === 0) return [];
      return [
        {
          workflow: workflow.codename,
          step: step.codename,
          stepName: step.name,
          variants: variants.length,
          items: new Set(variants.map((variant) => variant.item.id)).size,
          examples: variants.slice(0, 3).map((variant) => ({
            item: variant.item.id,
            language: variant.language.id,
          })),
        },
      ];
    }),
  );
  if (inUse.length > 0) throw new KontentStepInUseError(inUse);
}
