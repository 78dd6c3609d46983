import { type Actor, type Facts, fireTransition, type Transition, type Workflow } from "@workflow-sync/core";
import type { ItemRef, KontentClient, LanguageRef, ScheduleData } from "./client.ts";
import { variantPath } from "./client.ts";
import { KontentVariantStateError } from "./errors.ts";
import { ARCHIVED_KEY, PUBLISHED_KEY, SCHEDULED_KEY } from "./mapping/from-neutral.ts";
import type { KontentVariant, KontentWorkflow } from "./wire.ts";

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
  let action: NonNullable<InvokeTransitionResult["request"]>["action"];
  if (target.kind === "published") {
    action = "publish";
    await client.publish(options.item, options.language, options.schedule);
  } else if (source.kind === "published" && target.kind === "archived") {
    action = "unpublish-and-archive";
    await client.unpublishAndArchive(options.item, options.language, options.schedule);
  } else if (source.kind === "published") {
    if (target.key !== wire.steps[0]?.codename) {
      throw new KontentVariantStateError(
        `transition "${transition.key}" leads from Published to "${target.key}", but Kontent.ai creates a new version only in the first step ("${wire.steps[0]?.codename}"); nothing was sent`,
      );
    }
    action = "new-version";
    await client.createNewVersion(options.item, options.language);
  } else if (target.kind === "scheduled") {
    throw new KontentVariantStateError(
      `transition "${transition.key}" leads to Scheduled: publish with a schedule instead; nothing was sent`,
    );
  } else {
    action = "change-workflow";
    await client.changeWorkflow(options.item, options.language, {
      workflow_identifier: { id: wire.id },
      step_identifier: {
        id: target.kind === "archived" ? wire.archived_step.id : stepIdOf(wire, target.key),
      },
    });
  }
  return {
    from: fired.from,
    to: fired.to,
    transition,
    request: { method: "PUT", path: `${base}/${action}`, action },
  };
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
