import {
  type Actor,
  type Facts,
  fireTransition,
  type State,
  type Transition,
  type VendorRequest,
  type Workflow,
} from "@workflow-sync/core";
import type { ItemRef, KontentClient, LanguageRef, ScheduleData } from "./client.ts";
import { variantPath } from "./client.ts";
import { KontentStepInUseError, KontentVariantStateError, type StepInUse } from "./errors.ts";
import { ARCHIVED_KEY, PUBLISHED_KEY, SCHEDULED_KEY } from "./mapping/context.ts";
import type { KontentNativeSnapshot } from "./read.ts";
import type {
  KontentCollection,
  KontentStep,
  KontentVariant,
  KontentWorkflow,
  KontentWorkflowWrite,
} from "./wire.ts";

/*
 * Content in a workflow: Kontent.ai language variants, the transitions fired on them, and the
 * in-use checks that keep an apply from removing a step (or workflow) that content is in.
 */

// ---------------------------------------------------------------------------------------------
// Firing a transition on a language variant

export interface InvokeTransitionOptions {
  item: ItemRef;
  language: LanguageRef;
  /** The transition's key, or `{ from, key }` to also assert where the content is now. */
  transition: string | { from: string; key: string };
  actor: Actor;
  /** Parameter values (Kontent.ai transitions take none; checked by the engine all the same). */
  data?: Readonly<Record<string, unknown>>;
  /** Facts for guards. */
  facts?: Facts;
  /** For a publish or an unpublish: schedule it instead (`scheduled_to`, `display_timezone`, [PUB]). */
  schedule?: ScheduleData;
  /** Locale of messages. */
  locale?: string;
}

export interface InvokeTransitionResult {
  from: string;
  to: string;
  transition: Transition;
  /** The write sent (`undefined` for a transition that stays: Kontent.ai has nothing to send). */
  request:
    | {
        method: "PUT";
        path: string;
        action: "change-workflow" | "publish" | "unpublish-and-archive" | "new-version";
      }
    | undefined;
}

/**
 * Moves a language variant along `workflow` (neutral, as `toNeutral` reads it). Reads the variant's
 * current step from the API (and the workflows, to turn step ids into keys), checks the move with
 * core's engine (state known, transition leaves it, roles permit, guard, parameters) and only then
 * sends the one write the transition implies:
 * - to Published: `PUT …/publish` (scheduled when `schedule` is given);
 * - Published → Archived (`unpublish`): `PUT …/unpublish-and-archive`;
 * - Published → first step (`create_new_version`): `PUT …/new-version`;
 * - anything else (between steps, a step → Archived, `restore`): `PUT …/change-workflow` with the
 *   workflow and target step by id. Assumption: restoring from Archived is a change-workflow to the
 *   first step (the API documents no separate restore endpoint; [LV] change-workflow).
 * A refusal throws the engine's typed error (`UnknownStateError`, `UnknownTransitionError`,
 * `NotPermittedError`, …) and sends nothing.
 */
export async function invokeTransition(
  client: KontentClient,
  workflow: Workflow,
  options: InvokeTransitionOptions,
): Promise<InvokeTransitionResult> {
  const [variant, workflows] = await Promise.all([
    client.getVariant(options.item, options.language),
    client.listWorkflows(),
  ]);
  return fireOnVariant(client, workflow, variant, workflows, options);
}

/**
 * The check and the one write of `invokeTransition`, for a variant and the workflows already read
 * (so a caller that has them sends no second read).
 */
export async function fireOnVariant(
  client: KontentClient,
  workflow: Workflow,
  variant: KontentVariant,
  workflows: readonly KontentWorkflow[],
  options: InvokeTransitionOptions,
): Promise<InvokeTransitionResult> {
  const { wire, state } = positionOf(variant, workflows, workflow);
  const key = typeof options.transition === "string" ? options.transition : options.transition.key;
  if (typeof options.transition !== "string" && options.transition.from !== state) {
    throw new KontentVariantStateError(
      `the variant is in state "${state}" of workflow "${workflow.key}", not in "${options.transition.from}"; nothing was sent`,
    );
  }
  const fired = fireTransition(workflow, {
    state,
    transition: key,
    actor: options.actor,
    ...(options.data === undefined ? {} : { data: options.data }),
    ...(options.facts === undefined ? {} : { facts: options.facts }),
    ...(options.locale === undefined ? {} : { locale: options.locale }),
  });
  if (!fired.ok) throw fired.error;
  const { transition } = fired;
  if (transition.to === null) return { from: fired.from, to: fired.to, transition, request: undefined };

  const target = workflow.states.find((candidate) => candidate.key === fired.to)!;
  const source = workflow.states.find((candidate) => candidate.key === fired.from)!;
  const base = variantPath(options.item, options.language);
  const action = await sendMove(client, wire, source, target, transition, options);
  return {
    from: fired.from,
    to: fired.to,
    transition,
    request: { method: "PUT", path: `${base}/${action}`, action },
  };
}

type MoveAction = NonNullable<InvokeTransitionResult["request"]>["action"];

/**
 * The one request that moves the variant from `source` to `target`: publish, unpublish and archive,
 * create a new version, or change its workflow step; refuses (nothing sent) what Kontent.ai cannot do.
 */
async function sendMove(
  client: KontentClient,
  wire: KontentWorkflow,
  source: State,
  target: State,
  transition: Transition,
  options: InvokeTransitionOptions,
): Promise<MoveAction> {
  if (target.kind === "published") {
    await client.publish(options.item, options.language, options.schedule);
    return "publish";
  }
  if (source.kind === "published" && target.kind === "archived") {
    await client.unpublishAndArchive(options.item, options.language, options.schedule);
    return "unpublish-and-archive";
  }
  if (source.kind === "published") {
    if (target.key !== wire.steps[0]?.codename) {
      throw new KontentVariantStateError(
        `transition "${transition.key}" leads from Published to "${target.key}", but Kontent.ai creates a new version only in the first step ("${wire.steps[0]?.codename}"); nothing was sent`,
      );
    }
    await client.createNewVersion(options.item, options.language);
    return "new-version";
  }
  if (target.kind === "scheduled") {
    throw new KontentVariantStateError(
      `transition "${transition.key}" leads to Scheduled: publish with a schedule instead; nothing was sent`,
    );
  }
  await client.changeWorkflow(options.item, options.language, {
    workflow_identifier: { id: wire.id },
    step_identifier: {
      id: target.kind === "archived" ? wire.archived_step.id : stepIdOf(wire, target.key),
    },
  });
  return "change-workflow";
}

/** The wire workflow the variant is in and its state key there; refuses another workflow. */
function positionOf(
  variant: KontentVariant,
  workflows: readonly KontentWorkflow[],
  workflow: Workflow,
): { wire: KontentWorkflow; state: string } {
  const stepId = variant.workflow?.step_identifier.id ?? variant.workflow_step?.id;
  const workflowId = variant.workflow?.workflow_identifier.id;
  if (stepId === undefined) {
    throw new KontentVariantStateError("the variant carries no workflow step; nothing was sent");
  }
  const wire =
    workflowId !== undefined
      ? workflows.find((candidate) => candidate.id === workflowId)
      : workflows.find((candidate) => candidate.steps.some((step) => step.id === stepId));
  if (!wire) {
    throw new KontentVariantStateError(
      `the variant's workflow ${workflowId ?? "(unknown)"} is not listed; nothing was sent`,
    );
  }
  if (wire.codename !== workflow.key) {
    throw new KontentVariantStateError(
      `the variant is in workflow "${wire.codename}", not "${workflow.key}"; nothing was sent`,
    );
  }
  const state =
    wire.steps.find((step) => step.id === stepId)?.codename ??
    (stepId === wire.published_step.id
      ? PUBLISHED_KEY
      : stepId === wire.archived_step.id
        ? ARCHIVED_KEY
        : stepId === wire.scheduled_step?.id
          ? SCHEDULED_KEY
          : undefined);
  if (state === undefined) {
    throw new KontentVariantStateError(
      `the variant's step ${stepId} is not a step of workflow "${wire.codename}"; nothing was sent`,
    );
  }
  return { wire, state };
}

function stepIdOf(wire: KontentWorkflow, key: string): string {
  const step = wire.steps.find((candidate) => candidate.codename === key);
  if (!step) {
    throw new KontentVariantStateError(
      `workflow "${wire.codename}" in Kontent.ai has no step "${key}"; read it again`,
    );
  }
  return step.id;
}

// ---------------------------------------------------------------------------------------------
// Where the variants are

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

// ---------------------------------------------------------------------------------------------
// Steps in use

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
