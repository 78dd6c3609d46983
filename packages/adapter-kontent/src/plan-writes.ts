import type { MappingResult, VendorRequest, Workflow } from "@workflow-sync/core";
import { workflowPath } from "./client.ts";
import { KontentDeleteRefusedError, KontentMappingError } from "./errors.ts";
import type { KontentMappingContext } from "./mapping/context.ts";
import { fromNeutral } from "./mapping/from-neutral.ts";
import { toNeutral } from "./mapping/to-neutral.ts";
import type { KontentNativeSnapshot } from "./read.ts";
import { KONTENT_LIMITS } from "./rules.ts";
import {
  ARCHIVED_CODENAME,
  DEFAULT_WORKFLOW_ID,
  type KontentReference,
  type KontentStepWrite,
  type KontentWorkflow,
  type KontentWorkflowWrite,
  PUBLISHED_CODENAME,
} from "./wire.ts";

/*
 * Planning writes: pure functions from neutral workflows and a native snapshot of the target to
 * the literal requests an apply sends (paths relative to `/projects/{environmentId}`, bodies
 * already resolved for the target: role ids of the target, scopes and steps by codename).
 */

export interface PlanOptions {
  /** Locale of Kontent.ai's plain-string names (default `en-US`). */
  locale?: string;
  /** For messages (never a secret). */
  environment?: string;
  /**
   * How a workflow becomes its write body (default `fromNeutral`): an environment passes one that
   * remembers, so that projecting and planning the same workflow map it once.
   */
  mapWorkflow?: typeof fromNeutral;
}

/** The mapping context for writing into the environment of `native`. */
export function targetContext(
  native: KontentNativeSnapshot,
  options: PlanOptions = {},
): KontentMappingContext {
  return {
    roles: native.roles,
    ...(native.rolesUnavailable === undefined ? {} : { rolesUnavailable: native.rolesUnavailable }),
    contentTypes: native.contentTypes,
    collections: native.collections,
    ...(options.locale === undefined ? {} : { locale: options.locale }),
    environment: options.environment ?? `Kontent.ai environment ${native.environmentId}`,
  };
}

/**
 * The neutral workflow the target would hold after `desired` is written (what a read-back gives),
 * with the losses on the way. Pure: the write body is "stored" as the vendor stores it (references
 * by id, predefined steps named as the target names them) and read back with `toNeutral`.
 */
export function projectWorkflow(
  desired: Workflow,
  native: KontentNativeSnapshot,
  options: PlanOptions = {},
): MappingResult<Workflow> {
  const context = targetContext(native, options);
  const { value: body, losses } = (options.mapWorkflow ?? fromNeutral)(desired, context);
  const stepId = (ref: KontentReference) =>
    "id" in ref ? ref.id : "codename" in ref ? `step:${ref.codename}` : `step:${ref.external_id}`;
  const idOf = (
    list: ReadonlyArray<{ id: string; codename: string; external_id?: unknown }>,
    ref: KontentReference,
  ) =>
    "id" in ref
      ? ref.id
      : "codename" in ref
        ? (list.find((entry) => entry.codename === ref.codename)?.id ?? ref.codename)
        : (list.find((entry) => entry.external_id === ref.external_id)?.id ?? ref.external_id);
  // The predefined steps' names as the target shows them (any workflow has them); English otherwise.
  const sample = native.workflows[0];
  const stored: KontentWorkflow = {
    id: "projected",
    name: body.name,
    codename: body.codename,
    scopes: body.scopes.map((scope) => ({
      content_types: scope.content_types.map((ref) => ({ id: idOf(native.contentTypes, ref) })),
      collections: scope.collections.map((ref) => ({ id: idOf(native.collections, ref) })),
    })),
    steps: body.steps.map((step) => ({
      id: `step:${step.codename}`,
      name: step.name,
      codename: step.codename,
      color: step.color,
      transitions_to: step.transitions_to.map((t) => ({ step: { id: stepId(t.step) } })),
      role_ids: [...step.role_ids],
    })),
    published_step: {
      id: `step:${PUBLISHED_CODENAME}`,
      name: sample?.published_step.name ?? "Published",
      codename: PUBLISHED_CODENAME,
      ...body.published_step,
    },
    scheduled_step: {
      id: "step:scheduled",
      name: sample?.scheduled_step?.name ?? "Scheduled",
      codename: "scheduled",
    },
    archived_step: {
      id: `step:${ARCHIVED_CODENAME}`,
      name: sample?.archived_step.name ?? "Archived",
      codename: ARCHIVED_CODENAME,
      ...body.archived_step,
    },
  };
  return { value: toNeutral(stored, context).value, losses };
}

/** `POST /workflows` with the mapped body. */
export function planCreateRequests(
  desired: Workflow,
  native: KontentNativeSnapshot,
  options: PlanOptions = {},
): MappingResult<VendorRequest[]> {
  const { value, losses } = (options.mapWorkflow ?? fromNeutral)(desired, targetContext(native, options));
  return {
    value: [
      { method: "POST", path: "/workflows", body: value, description: `create workflow ${value.codename}` },
    ],
    losses,
  };
}

/**
 * `PUT /workflows/{id}` turning the stored workflow `current` into `desired` (one request, or two
 * when a new step takes a codename an existing step gives up, see `updateBodies`).
 */
export function planUpdateRequests(
  desired: Workflow,
  current: Workflow,
  native: KontentNativeSnapshot,
  options: PlanOptions = {},
): MappingResult<VendorRequest[]> {
  const stored = storedWorkflow(current.key, native);
  const { value, losses } = (options.mapWorkflow ?? fromNeutral)(desired, targetContext(native, options));
  const bodies = updateBodies(value, stored);
  const path = workflowPath({ id: stored.id });
  const requests: VendorRequest[] = bodies.map((body, index) => ({
    method: "PUT",
    path,
    body,
    description:
      bodies.length === 1
        ? `update workflow ${stored.codename}${stored.codename !== value.codename ? ` (codename → ${value.codename})` : ""}`
        : index === 0
          ? `update workflow ${stored.codename} (1/2: free the step codenames ${freedCodenames(value, stored).join(", ")})`
          : `update workflow ${value.codename} (2/2: add the steps that reuse them)`,
  }));
  return { value: requests, losses };
}

/** `DELETE /workflows/{id}`; the default workflow is refused here, before any request. */
export function planDeleteRequests(current: Workflow, native: KontentNativeSnapshot): VendorRequest[] {
  const stored = storedWorkflow(current.key, native);
  if (stored.id === DEFAULT_WORKFLOW_ID) {
    throw new KontentDeleteRefusedError(
      stored.codename,
      "default_workflow",
      `id ${DEFAULT_WORKFLOW_ID}; update it instead`,
    );
  }
  return [
    {
      method: "DELETE",
      path: workflowPath({ id: stored.id }),
      description: `delete workflow ${stored.codename}`,
    },
  ];
}

function storedWorkflow(key: string, native: KontentNativeSnapshot): KontentWorkflow {
  const stored = native.workflows.find((workflow) => workflow.codename === key);
  if (!stored) {
    throw new KontentMappingError(
      `workflow "${key}" is not in the snapshot of Kontent.ai environment ${native.environmentId}; read it again`,
    );
  }
  return stored;
}

interface StepMatch {
  /** desired step index → id of the existing step it continues (absent: a new step). */
  ids: Array<string | undefined>;
}

/**
 * Which existing step each desired step continues, so that content in a step stays there:
 * 1. same codename and same name;
 * 2. a rename: the desired codename is new, and exactly one unmatched existing step (and one such
 *    desired step) has the same name: the step keeps its id under its new codename;
 * 3. same codename (the name changed);
 * anything else is a new step; an existing step nobody continues is removed (the vendor refuses
 * to remove a step content is in).
 */
export function matchSteps(desired: KontentWorkflowWrite, stored: KontentWorkflow): StepMatch {
  const ids: Array<string | undefined> = desired.steps.map(() => undefined);
  const claimed = new Set<string>();
  const storedCodenames = new Set(stored.steps.map((step) => step.codename));
  desired.steps.forEach((step, index) => {
    const same = stored.steps.find((s) => s.codename === step.codename && s.name === step.name);
    if (same && !claimed.has(same.id)) {
      ids[index] = same.id;
      claimed.add(same.id);
    }
  });
  desired.steps.forEach((step, index) => {
    if (ids[index] !== undefined || storedCodenames.has(step.codename)) return;
    const candidates = stored.steps.filter((s) => !claimed.has(s.id) && s.name === step.name);
    const rivals = desired.steps.filter(
      (other, j) => ids[j] === undefined && !storedCodenames.has(other.codename) && other.name === step.name,
    );
    if (candidates.length === 1 && rivals.length === 1) {
      ids[index] = candidates[0]!.id;
      claimed.add(candidates[0]!.id);
    }
  });
  desired.steps.forEach((step, index) => {
    if (ids[index] !== undefined) return;
    const same = stored.steps.find((s) => s.codename === step.codename && !claimed.has(s.id));
    if (same) {
      ids[index] = same.id;
      claimed.add(same.id);
    }
  });
  return { ids };
}

/** Codenames that existing steps give up and new steps take (they need the two-request update). */
function freedCodenames(desired: KontentWorkflowWrite, stored: KontentWorkflow): string[] {
  const { ids } = matchSteps(desired, stored);
  const storedCodenames = new Set(stored.steps.map((step) => step.codename));
  return desired.steps
    .filter((step, index) => ids[index] === undefined && storedCodenames.has(step.codename))
    .map((s) => s.codename);
}

/**
 * The update bodies (`IUpdateWorkflowData`) turning `stored` into `desired`: steps that continue an
 * existing step carry its id; a transition to a step whose codename changes in the same request
 * references it by id (as the vendor's PutWorkflow sample does), others by codename.
 *
 * "If you want to reuse codenames of existing workflow steps in new workflow steps, you need to
 * make two requests. First remove the workflow step with the desired codename. … Then add a new
 * workflow step." ([W], Update a workflow). When a new step takes a codename that an existing step
 * gives up (renamed or removed), the first body only renames: the stored workflow as it is
 * (transitions by id as stored, roles as stored), continuing steps under their new codenames and
 * names, and a step that goes away under a spare codename (`…_old`) when a new step wants its
 * codename; the second is the full desired workflow. No transition is added in between.
 */
export function updateBodies(desired: KontentWorkflowWrite, stored: KontentWorkflow): KontentWorkflowWrite[] {
  const { ids } = matchSteps(desired, stored);
  const storedById = new Map(stored.steps.map((step) => [step.id, step]));
  const storedCodenames = new Set(stored.steps.map((step) => step.codename));
  const conflicts = desired.steps.some(
    (step, index) => ids[index] === undefined && storedCodenames.has(step.codename),
  );

  // Steps whose codename changes in this request: transitions reference them by id.
  const renamed = new Map<string, string>();
  desired.steps.forEach((step, index) => {
    const id = ids[index];
    if (id !== undefined && storedById.get(id)?.codename !== step.codename) renamed.set(step.codename, id);
  });
  const whole = (idRefs: Map<string, string>): KontentWorkflowWrite => ({
    ...desired,
    steps: desired.steps.map((step, index) => withId(step, ids[index], idRefs)),
  });
  if (!conflicts) return [whole(renamed)];

  // Second request: the whole workflow; the renames are done, so codenames reference every step.
  return [renamesOnly(desired, stored, ids), whole(new Map())];
}

/**
 * First request: only renames. Every stored step stays with its transitions (by id, as stored),
 * colour and roles; a step that continues into the new form takes its new codename and name, and a
 * step that goes away but holds a codename a new step wants is renamed out of the way. Nothing
 * else changes, so between the two requests content can move exactly as before (no shortcut).
 */
function renamesOnly(
  desired: KontentWorkflowWrite,
  stored: KontentWorkflow,
  ids: ReadonlyArray<string | undefined>,
): KontentWorkflowWrite {
  const continued = new Map<string, KontentStepWrite>();
  desired.steps.forEach((step, index) => {
    const id = ids[index];
    if (id !== undefined) continued.set(id, step);
  });
  const wanted = new Set(desired.steps.map((step) => step.codename));
  const aside = spareCodenames(new Set<string>([...stored.steps.map((step) => step.codename), ...wanted]));
  return {
    name: stored.name,
    codename: stored.codename,
    scopes: stored.scopes.map((scope) => ({
      content_types: scope.content_types.map((ref) => ({ id: ref.id })),
      collections: scope.collections.map((ref) => ({ id: ref.id })),
    })),
    steps: stored.steps.map((step) => {
      const next = continued.get(step.id);
      const codename = next
        ? next.codename
        : wanted.has(step.codename)
          ? aside(step.codename)
          : step.codename;
      return {
        id: step.id,
        name: next ? next.name : step.name,
        codename,
        color: step.color,
        transitions_to: step.transitions_to.map((t) => ({ step: { id: t.step.id } })),
        role_ids: [...step.role_ids],
      };
    }),
    published_step: {
      unpublish_role_ids: [...stored.published_step.unpublish_role_ids],
      create_new_version_role_ids: [...stored.published_step.create_new_version_role_ids],
    },
    archived_step: { role_ids: [...stored.archived_step.role_ids] },
  };
}

/** A codename no step uses (`…_old`, `…_old2`, …), for a step that gives its codename up. */
function spareCodenames(used: Set<string>): (codename: string) => string {
  return (codename) => {
    for (let n = 1; ; n++) {
      const suffix = `_old${n === 1 ? "" : n}`;
      const candidate = `${codename.slice(0, KONTENT_LIMITS.stepCodename - suffix.length)}${suffix}`;
      if (!used.has(candidate)) {
        used.add(candidate);
        return candidate;
      }
    }
  };
}

function withId(
  step: KontentStepWrite,
  id: string | undefined,
  idByCodename: Map<string, string>,
): KontentStepWrite {
  const transitions_to = step.transitions_to.map((t) => {
    const byId = "codename" in t.step ? idByCodename.get(t.step.codename) : undefined;
    return byId === undefined ? t : { step: { id: byId } };
  });
  return id === undefined ? { ...step, transitions_to } : { id, ...step, transitions_to };
}
