/**
 * Language variants and their workflow state machine.
 * Sources ([LV], [PUB] and the qodex mirror cited in vendors/kontent.md):
 * - change-workflow: "The workflow step of a published language variant cannot be changed. You need to unpublish or
 *   create a new version first." "For publishing and scheduling, use the Publish endpoint […] For unpublishing and
 *   archiving, use the Unpublish endpoint". "The API follows the workflow transition limitations present in the UI."
 * - publish: "You can publish or schedule a variant only if you have the permission to move it to the workflow step."
 * - unpublish-and-archive: "You can unpublish only a published language variant. You can schedule for unpublishing only
 *   variants that are published or scheduled for publishing."
 * - new-version: creates a new version of a published variant; it starts in the first step (assumption: steps[0],
 *   data-ops treats `steps[0]` as the draft step).
 * All of these answer 204 No Content: the SDK maps them to an empty response (`mapEmptyResponse`).
 * Assumptions: role limitations (`role_ids`, …) are not enforced (API keys act for the whole environment); workflow
 * scopes are not enforced on change-workflow; a scheduled publish or unpublish takes effect when the variant is next
 * read or changed after its time.
 */
import { ARCHIVED_STEP_ID, PUBLISHED_STEP_ID, SCHEDULED_STEP_ID } from "./constants.ts";
import { invalidOperation, notFound, type ValidationIssue, validationError } from "./errors.ts";
import {
  type AnyStep,
  type Environment,
  findStep,
  type PathIdentifier,
  type StoredVariant,
  stepKind,
} from "./state.ts";
import type { LanguageVariant, Workflow } from "./types.ts";
import { asReference, describeReference, isRecord } from "./validation.ts";

export function requireVariant(
  env: Environment,
  item: PathIdentifier,
  language: PathIdentifier,
): StoredVariant {
  const foundItem = env.findItem(item);
  if (!foundItem) throw notFound(`The requested content item '${showIdentifier(item)}' was not found.`);
  const foundLanguage = env.findLanguage(language);
  if (!foundLanguage) throw notFound(`The requested language '${showIdentifier(language)}' was not found.`);
  const variant = env.findVariant(foundItem.id, foundLanguage.id);
  if (!variant) {
    throw notFound(
      `The requested language variant of the content item '${foundItem.codename}' in the language '${foundLanguage.codename}' was not found.`,
    );
  }
  settle(variant, Date.now());
  return variant;
}

export function viewVariant(variant: StoredVariant): LanguageVariant {
  return structuredClone(variant.data);
}

/** `PUT …/change-workflow` with `{workflow_identifier, step_identifier, due_date?, contributors?, note?}`. */
export function changeWorkflow(env: Environment, variant: StoredVariant, body: unknown): void {
  if (!isRecord(body)) throw validationError([{ message: "The request body must be a JSON object." }]);
  const workflowRef = asReference(body.workflow_identifier);
  const stepRef = asReference(body.step_identifier);
  const issues: ValidationIssue[] = [];
  if (!workflowRef || workflowRef.external_id !== undefined) {
    issues.push({
      path: "workflow_identifier",
      message: "Identify the workflow by exactly one of id or codename.",
    });
  }
  if (!stepRef)
    issues.push({ path: "step_identifier", message: "Identify the workflow step by id or codename." });
  if (issues.length > 0 || !workflowRef || !stepRef) throw validationError(issues);

  const target = env.findWorkflowByReference(workflowRef);
  if (!target) {
    throw validationError([
      {
        path: "workflow_identifier",
        message: `The workflow ${describeReference(workflowRef)} does not exist.`,
      },
    ]);
  }
  const targetStep = findStep(target, stepRef);
  if (!targetStep) {
    throw validationError([
      {
        path: "step_identifier",
        message: `The workflow '${target.codename}' has no step ${describeReference(stepRef)}.`,
      },
    ]);
  }

  const { workflow: current, step: currentStep } = currentPosition(env, variant);
  if (currentStep.kind === "published") {
    throw invalidOperation(
      "The workflow step of a published language variant cannot be changed. Unpublish it or create a new version first.",
    );
  }
  if (currentStep.kind === "scheduled") {
    throw invalidOperation(
      "The language variant is scheduled for publishing. Cancel the scheduled publishing before changing its workflow step.",
    );
  }
  if (targetStep.kind === "published" || targetStep.kind === "scheduled") {
    throw invalidOperation("To publish or schedule a language variant, use the publish endpoint.");
  }
  if (target.id === current.id && targetStep.id !== currentStep.id && currentStep.kind === "regular") {
    const allowed =
      current.steps.find((s) => s.id === currentStep.id)?.transitions_to.map((t) => t.step.id) ?? [];
    if (!allowed.includes(targetStep.id)) {
      throw invalidOperation(
        `The workflow step '${currentStep.codename}' can't transition to the step '${targetStep.codename}'.`,
      );
    }
  }
  // From Archived a variant can be restored to any step of its workflow, and moving to another workflow may target
  // any of its steps (assumptions, see README).
  moveTo(variant, target.id, targetStep.id);
  if (typeof body.note === "string" || body.note === null) variant.data.note = body.note as string | null;
  if (isRecord(body.due_date))
    variant.data.due_date = { value: (body.due_date.value as string | null) ?? null };
  if (Array.isArray(body.contributors)) {
    variant.data.contributors = body.contributors
      .filter(isRecord)
      .map((c) => ({ id: String(c.id ?? c.email) }));
  }
}

/** `PUT …/publish` with an optional `{scheduled_to, display_timezone}`. */
export function publish(env: Environment, variant: StoredVariant, body: unknown): void {
  const schedule = readSchedule(body);
  const { workflow, step } = currentPosition(env, variant);
  if (step.kind === "published") throw invalidOperation("The language variant is already published.");
  if (step.kind === "archived") {
    throw invalidOperation(
      "An archived language variant can't be published. Restore it to a workflow step first.",
    );
  }
  if (step.kind === "regular") {
    const transitions = workflow.steps.find((s) => s.id === step.id)?.transitions_to ?? [];
    if (!transitions.some((t) => t.step.id === PUBLISHED_STEP_ID)) {
      throw invalidOperation(
        `The language variant can't be published from the workflow step '${step.codename}': the step doesn't transition to the Published step.`,
      );
    }
  }
  if (schedule.time !== null && Date.parse(schedule.time) > Date.now()) {
    if (step.kind === "regular") variant.stepBeforeSchedule = step.id;
    moveTo(variant, workflow.id, SCHEDULED_STEP_ID);
    variant.data.schedule.publish_time = schedule.time;
    variant.data.schedule.publish_display_timezone = schedule.timezone;
    return;
  }
  publishNow(variant);
}

/** `PUT …/unpublish-and-archive` with an optional `{scheduled_to, display_timezone}`. */
export function unpublish(env: Environment, variant: StoredVariant, body: unknown): void {
  const schedule = readSchedule(body);
  const { workflow, step } = currentPosition(env, variant);
  const future = schedule.time !== null && Date.parse(schedule.time) > Date.now();
  if (future && (step.kind === "published" || step.kind === "scheduled")) {
    variant.data.schedule.unpublish_time = schedule.time;
    variant.data.schedule.unpublish_display_timezone = schedule.timezone;
    touch(variant);
    return;
  }
  if (step.kind !== "published")
    throw invalidOperation("You can unpublish only a published language variant.");
  moveTo(variant, workflow.id, ARCHIVED_STEP_ID);
  clearUnpublishSchedule(variant);
}

/** `PUT …/new-version`: a published variant gets a new version in the first step of its workflow. */
export function createNewVersion(env: Environment, variant: StoredVariant): void {
  const { workflow, step } = currentPosition(env, variant);
  if (step.kind !== "published") {
    throw invalidOperation("A new version can be created only from a published language variant.");
  }
  moveTo(variant, workflow.id, (workflow.steps[0] as { id: string }).id);
}

/** `PUT …/cancel-scheduled-publish`: back to the step the variant was scheduled from. */
export function cancelScheduledPublish(env: Environment, variant: StoredVariant): void {
  const { workflow, step } = currentPosition(env, variant);
  if (step.kind !== "scheduled")
    throw invalidOperation("The language variant isn't scheduled for publishing.");
  const back =
    workflow.steps.find((s) => s.id === variant.stepBeforeSchedule)?.id ??
    (workflow.steps[0] as { id: string }).id;
  moveTo(variant, workflow.id, back);
  variant.data.schedule.publish_time = null;
  variant.data.schedule.publish_display_timezone = null;
}

/** `PUT …/cancel-scheduled-unpublish`. */
export function cancelScheduledUnpublish(_env: Environment, variant: StoredVariant): void {
  if (variant.data.schedule.unpublish_time === null) {
    throw invalidOperation("The language variant isn't scheduled for unpublishing.");
  }
  clearUnpublishSchedule(variant);
  touch(variant);
}

/** Applies schedules whose time has come. */
export function settle(variant: StoredVariant, now: number): void {
  const s = variant.data.schedule;
  const step = variant.data.workflow.step_identifier.id;
  if (step === SCHEDULED_STEP_ID && s.publish_time !== null && Date.parse(s.publish_time) <= now) {
    publishNow(variant);
  }
  if (
    variant.data.workflow.step_identifier.id === PUBLISHED_STEP_ID &&
    s.unpublish_time !== null &&
    Date.parse(s.unpublish_time) <= now
  ) {
    moveTo(variant, variant.data.workflow.workflow_identifier.id, ARCHIVED_STEP_ID);
    clearUnpublishSchedule(variant);
  }
}

function publishNow(variant: StoredVariant) {
  moveTo(variant, variant.data.workflow.workflow_identifier.id, PUBLISHED_STEP_ID);
  variant.data.schedule.publish_time = null;
  variant.data.schedule.publish_display_timezone = null;
  variant.stepBeforeSchedule = null;
}

function clearUnpublishSchedule(variant: StoredVariant) {
  variant.data.schedule.unpublish_time = null;
  variant.data.schedule.unpublish_display_timezone = null;
}

function moveTo(variant: StoredVariant, workflowId: string, stepId: string) {
  variant.data.workflow = { workflow_identifier: { id: workflowId }, step_identifier: { id: stepId } };
  variant.data.workflow_step = { id: stepId };
  touch(variant);
}

function touch(variant: StoredVariant) {
  variant.data.last_modified = new Date().toISOString();
}

function currentPosition(env: Environment, variant: StoredVariant): { workflow: Workflow; step: AnyStep } {
  const workflowId = variant.data.workflow.workflow_identifier.id;
  const stepId = variant.data.workflow.step_identifier.id;
  const workflow = env.workflows.find((w) => w.id === workflowId);
  const step = workflow ? findStep(workflow, { id: stepId }) : undefined;
  if (!workflow || !step) {
    // Cannot happen: workflows and steps in use can't be deleted.
    throw new Error(`Variant in unknown workflow step ${workflowId}/${stepId} (${stepKind(stepId)}).`);
  }
  return { workflow, step };
}

function readSchedule(body: unknown): { time: string | null; timezone: string | null } {
  if (body === undefined || body === null || (isRecord(body) && Object.keys(body).length === 0)) {
    return { time: null, timezone: null };
  }
  if (!isRecord(body)) throw validationError([{ message: "The request body must be a JSON object." }]);
  const time = body.scheduled_to;
  if (time !== undefined && time !== null && (typeof time !== "string" || Number.isNaN(Date.parse(time)))) {
    throw validationError([{ path: "scheduled_to", message: "Provide an ISO-8601 formatted date-time." }]);
  }
  const timezone = typeof body.display_timezone === "string" ? body.display_timezone : null;
  return { time: typeof time === "string" ? time : null, timezone };
}

function showIdentifier(identifier: PathIdentifier): string {
  if (identifier.kind === "id") return identifier.value;
  return `${identifier.kind === "codename" ? "codename" : "external-id"}/${identifier.value}`;
}
