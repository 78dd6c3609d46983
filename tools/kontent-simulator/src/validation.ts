/**
 * Validation of workflow bodies (`POST /workflows`, `PUT /workflows/{identifier}`) and their conversion to the
 * stored wire format. Rules and their sources:
 * - name 1–200, codename 1–60, step name 1–30, step codename 1–40, `transitions_to` min 1 and unique, `scheduled_step`
 *   read-only: the workflow object schema ([W], https://kontent.ai/learn/docs/apis/management-api-v2/workflows).
 * - codename charset: [REF] "Rules for codenames".
 * - "Always make sure that all steps eventually transition to the Published step. […] You can't remove a used
 *   workflow step." ([Q:update-a-workflow-1], quoted in the seed file above).
 * - Steps are referenced by codename or id; a step keeps its identity when referenced by id (rename/recodename) or
 *   by its current codename; "If you want to reuse codenames of existing workflow steps in new workflow steps, you
 *   need to make two requests" ([W], Update a workflow, steps[]).
 * - References in writes by id, codename or external_id; responses always by id ([REF]).
 * The messages are the simulator's own (the real ones are not documented), modelled on the SDK fixture
 * "Provide a nonempty name which fits within 50 characters." and the early CM API guideline's
 * "The reference must be an object containing exactly one identifier - id, codename or external_id.".
 */
import { randomUUID } from "node:crypto";
import {
  ARCHIVED_STEP_ID,
  CODENAME_PATTERN,
  LIMITS,
  PUBLISHED_STEP_ID,
  SCHEDULED_STEP_ID,
  WORKFLOW_COLORS,
} from "./constants.ts";
import { type ValidationIssue, validationError } from "./errors.ts";
import { type Environment, findByReference } from "./state.ts";
import type {
  IdReference,
  Reference,
  Workflow,
  WorkflowColor,
  WorkflowScope,
  WorkflowStep,
} from "./types.ts";

/**
 * `add`: a new workflow (step ids in the body are ignored, every step gets a fresh id).
 * `update`: replaces `existing`, keeping the identity of steps referenced by id or current codename.
 * `seed`: a workflow from a seed file; step ids are kept as given.
 */
export type WriteMode =
  | { kind: "add" }
  | { kind: "update"; existing: Workflow }
  | { kind: "seed"; id: string };

const RESERVED_STEP_CODENAMES = new Set(["published", "scheduled", "archived"]);
const REFERENCE_MESSAGE =
  "The reference must be an object containing exactly one identifier - id, codename or external_id.";

interface DraftStep {
  index: number;
  id: string;
  name: string;
  codename: string;
  color: WorkflowColor;
  roleIds: string[];
  rawTransitions: unknown[];
}

export function buildWorkflow(env: Environment, body: unknown, mode: WriteMode): Workflow {
  const issues: ValidationIssue[] = [];
  const issue = (path: string, message: string) => issues.push({ path, message });

  if (!isRecord(body)) {
    throw validationError([{ message: "The request body must be a JSON object describing a workflow." }]);
  }
  const existing = mode.kind === "update" ? mode.existing : undefined;
  const otherWorkflows = env.workflows.filter((w) => w.id !== existing?.id);

  const name = checkName(body.name, issue);
  const codename = checkWorkflowCodename(body.codename, name, existing, otherWorkflows, issue);
  const scopes = checkScopes(env, body.scopes, issue);
  const steps = checkSteps(body.steps, mode, issue);
  const transitions = resolveTransitions(steps, issue);
  // Reachability only means something once every step and transition is valid.
  if (!issues.some((i) => i.path?.startsWith("steps"))) checkReachability(steps, transitions, issue);
  if (existing) checkStepCodenameReuse(existing, steps, issue);
  if (existing) checkRemovedStepsUnused(env, existing, steps, issue);

  const publishedIn = objectOrIssue(body.published_step, "published_step", mode, issue);
  const archivedIn = objectOrIssue(body.archived_step, "archived_step", mode, issue);
  const roles = (value: unknown, path: string) => checkRoleIds(env, value, path, issue);
  const unpublishRoles = roles(publishedIn.unpublish_role_ids, "published_step.unpublish_role_ids");
  const newVersionRoles = roles(
    publishedIn.create_new_version_role_ids,
    "published_step.create_new_version_role_ids",
  );
  const archivedRoles = roles(archivedIn.role_ids, "archived_step.role_ids");
  const stepRoles = steps.map((s) => roles(s.roleIds, `steps[${s.index}].role_ids`));

  if (issues.length > 0) throw validationError(issues);

  const id = mode.kind === "update" ? mode.existing.id : mode.kind === "seed" ? mode.id : randomUUID();
  return {
    id,
    name: name as string,
    codename,
    scopes,
    steps: steps.map<WorkflowStep>((s, i) => ({
      id: s.id,
      name: s.name,
      codename: s.codename,
      color: s.color,
      transitions_to: (transitions.get(s.id) ?? []).map((target) => ({ step: { id: target } })),
      role_ids: stepRoles[i] ?? [],
    })),
    // Assumption: the predefined steps keep their names; only their role lists are writable.
    published_step: {
      id: PUBLISHED_STEP_ID,
      name: "Published",
      codename: "published",
      unpublish_role_ids: unpublishRoles,
      create_new_version_role_ids: newVersionRoles,
    },
    // `scheduled_step` is read-only ([W]): whatever the body says is ignored.
    scheduled_step: { id: SCHEDULED_STEP_ID, name: "Scheduled", codename: "scheduled" },
    archived_step: { id: ARCHIVED_STEP_ID, name: "Archived", codename: "archived", role_ids: archivedRoles },
  };
}

type Issue = (path: string, message: string) => void;

function checkName(value: unknown, issue: Issue): string | undefined {
  if (typeof value !== "string" || value.trim().length === 0 || value.length > LIMITS.workflowName) {
    issue("name", `Provide a nonempty name which fits within ${LIMITS.workflowName} characters.`);
    return undefined;
  }
  return value;
}

function checkWorkflowCodename(
  value: unknown,
  name: string | undefined,
  existing: Workflow | undefined,
  others: Workflow[],
  issue: Issue,
): string {
  if (value === undefined || value === null) {
    // Assumption: an update without codename keeps the current one; an add derives one from the name.
    if (existing) return existing.codename;
    return uniqueCodename(
      codenameFromName(name ?? "workflow", LIMITS.workflowCodename),
      others.map((w) => w.codename),
      LIMITS.workflowCodename,
    );
  }
  if (!checkCodename(value, "codename", LIMITS.workflowCodename, "workflow", issue)) return "";
  if (others.some((w) => w.codename === value)) {
    issue(
      "codename",
      `The codename '${value}' is already used by another workflow. Codenames must be unique.`,
    );
  }
  return value as string;
}

function checkCodename(value: unknown, path: string, max: number, what: string, issue: Issue): boolean {
  if (typeof value !== "string" || value.length === 0 || value.length > max) {
    issue(path, `Provide a nonempty ${what} codename which fits within ${max} characters.`);
    return false;
  }
  if (!CODENAME_PATTERN.test(value)) {
    issue(
      path,
      `The codename '${value}' is invalid. A codename can contain only lowercase letters, numbers and underscores, and must start with a letter or an underscore.`,
    );
    return false;
  }
  return true;
}

function checkScopes(env: Environment, value: unknown, issue: Issue): WorkflowScope[] {
  if (!Array.isArray(value)) {
    issue("scopes", "Provide the workflow's scopes as an array. Use an empty array for no limitation.");
    return [];
  }
  return value.map((scope, i) => {
    const path = `scopes[${i}]`;
    if (!isRecord(scope)) {
      issue(path, "A scope must be an object with the properties 'content_types' and 'collections'.");
      return { content_types: [], collections: [] };
    }
    return {
      content_types: resolveReferences(scope.content_types, `${path}.content_types`, issue, (ref) =>
        lookup(env.contentTypes, ref, "content type"),
      ),
      collections: resolveReferences(scope.collections, `${path}.collections`, issue, (ref) =>
        lookup(env.collections, ref, "collection"),
      ),
    };
  });
}

function lookup<T extends { id: string; codename?: string | null; external_id?: string }>(
  list: T[],
  ref: Reference,
  what: string,
): string | { error: string } {
  const found = findByReference(list, ref);
  return found ? found.id : { error: `The referenced ${what} ${describeReference(ref)} does not exist.` };
}

function resolveReferences(
  value: unknown,
  path: string,
  issue: Issue,
  resolve: (ref: Reference) => string | { error: string },
): IdReference[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    issue(path, "Provide an array of references.");
    return [];
  }
  const ids: IdReference[] = [];
  value.forEach((raw, j) => {
    const ref = asReference(raw);
    if (!ref) {
      issue(`${path}[${j}]`, REFERENCE_MESSAGE);
      return;
    }
    const resolved = resolve(ref);
    if (typeof resolved !== "string") issue(`${path}[${j}]`, resolved.error);
    // One object referenced twice in one list (by id and by codename, say) is refused rather than
    // stored twice. ASSUMPTION: the docs do not state it for scopes (they do for `transitions_to`:
    // "unique items", https://kontent.ai/learn/docs/apis/management-api-v2/workflows); an
    // independent implementation refuses it.
    else if (ids.some((known) => known.id === resolved))
      issue(`${path}[${j}]`, "The same object is referenced more than once in this list.");
    else ids.push({ id: resolved });
  });
  return ids;
}

function checkSteps(value: unknown, mode: WriteMode, issue: Issue): DraftStep[] {
  if (!Array.isArray(value) || value.length === 0) {
    issue("steps", "Provide at least one workflow step.");
    return [];
  }
  const drafts: DraftStep[] = [];
  const givenIds: Array<string | undefined> = [];
  const seenCodenames = new Set<string>();
  value.forEach((raw, index) => {
    const path = `steps[${index}]`;
    if (!isRecord(raw)) {
      issue(path, "A workflow step must be an object.");
      return;
    }
    if (typeof raw.name !== "string" || raw.name.trim().length === 0 || raw.name.length > LIMITS.stepName) {
      issue(`${path}.name`, `Provide a nonempty step name which fits within ${LIMITS.stepName} characters.`);
    }
    const codenameOk = checkCodename(raw.codename, `${path}.codename`, LIMITS.stepCodename, "step", issue);
    const codename = typeof raw.codename === "string" ? raw.codename : "";
    if (codenameOk && RESERVED_STEP_CODENAMES.has(codename)) {
      issue(`${path}.codename`, `The codename '${codename}' is reserved for a predefined workflow step.`);
    } else if (codenameOk && seenCodenames.has(codename)) {
      issue(
        `${path}.codename`,
        `The codename '${codename}' is used by more than one step. Codenames must be unique.`,
      );
    }
    seenCodenames.add(codename);
    if (!(WORKFLOW_COLORS as readonly unknown[]).includes(raw.color)) {
      issue(
        `${path}.color`,
        `The color '${String(raw.color)}' is not supported. Use one of: ${WORKFLOW_COLORS.join(", ")}.`,
      );
    }
    if (!Array.isArray(raw.role_ids)) {
      issue(
        `${path}.role_ids`,
        "Provide the step's role_ids as an array. An empty array means no role limitation.",
      );
    }
    if (!Array.isArray(raw.transitions_to) || raw.transitions_to.length === 0) {
      issue(`${path}.transitions_to`, "A workflow step must transition to at least one step.");
    }
    if (raw.id !== undefined && raw.id !== null && typeof raw.id !== "string") {
      issue(`${path}.id`, "A step id must be a string.");
    }
    givenIds.push(typeof raw.id === "string" ? raw.id : undefined);
    drafts.push({
      index,
      id: "",
      name: typeof raw.name === "string" ? raw.name : "",
      codename,
      color: raw.color as WorkflowColor,
      roleIds: Array.isArray(raw.role_ids) ? (raw.role_ids as string[]) : [],
      rawTransitions: Array.isArray(raw.transitions_to) ? raw.transitions_to : [],
    });
  });
  assignStepIds(drafts, givenIds, mode, issue);
  return drafts;
}

/** Gives every step its identity (see WriteMode). */
function assignStepIds(
  drafts: DraftStep[],
  givenIds: Array<string | undefined>,
  mode: WriteMode,
  issue: Issue,
) {
  if (mode.kind === "add") {
    // Assumption: ids in an add request are ignored (the SDK's IAddWorkflowData has none).
    for (const d of drafts) d.id = randomUUID();
    return;
  }
  if (mode.kind === "seed") {
    const seen = new Set<string>();
    drafts.forEach((d, i) => {
      const id = givenIds[i];
      if (!id || seen.has(id) || [PUBLISHED_STEP_ID, SCHEDULED_STEP_ID, ARCHIVED_STEP_ID].includes(id)) {
        issue(`steps[${d.index}].id`, "A seeded workflow step needs a unique id of its own.");
      }
      seen.add(id ?? "");
      d.id = id ?? randomUUID();
    });
    return;
  }
  const existing = mode.existing;
  const byId = new Map(existing.steps.map((s) => [s.id, s]));
  const byCodename = new Map(existing.steps.map((s) => [s.codename, s]));
  const claimed = new Set<string>();
  drafts.forEach((d, i) => {
    const id = givenIds[i];
    if (id === undefined) return;
    if (!byId.has(id)) {
      issue(
        `steps[${d.index}].id`,
        `The workflow step '${id}' does not exist in the workflow '${existing.codename}'.`,
      );
    } else if (claimed.has(id)) {
      issue(`steps[${d.index}].id`, `The workflow step '${id}' is listed more than once.`);
    }
    claimed.add(id);
    d.id = id;
  });
  drafts.forEach((d, i) => {
    if (givenIds[i] !== undefined) return;
    // "You can reference existing workflow steps by their codename or ID." ([W]): a step without id whose codename
    // is the current codename of an existing step that no other entry claims by id is that step.
    const match = byCodename.get(d.codename);
    if (match && !claimed.has(match.id)) {
      claimed.add(match.id);
      d.id = match.id;
    } else {
      d.id = randomUUID();
    }
  });
}

/**
 * "If you want to reuse codenames of existing workflow steps in new workflow steps, you need to make two requests.
 * First remove the workflow step with the desired codename. This make the codename available." ([W]).
 * So a step may not take a codename that an existing step of another identity holds before this request.
 */
function checkStepCodenameReuse(existing: Workflow, steps: DraftStep[], issue: Issue) {
  const holder = new Map(existing.steps.map((s) => [s.codename, s]));
  for (const d of steps) {
    const owner = holder.get(d.codename);
    if (owner && owner.id !== d.id) {
      issue(
        `steps[${d.index}].codename`,
        `The codename '${d.codename}' still belongs to the existing step '${owner.name}' (${owner.id}). To reuse the codename of an existing step, make two requests: first remove or recodename that step, then add the new step.`,
      );
    }
  }
}

function checkRemovedStepsUnused(env: Environment, existing: Workflow, steps: DraftStep[], issue: Issue) {
  const kept = new Set(steps.map((s) => s.id));
  for (const removed of existing.steps.filter((s) => !kept.has(s.id))) {
    const count = env.variantsInWorkflow(existing.id, removed.id).length;
    if (count > 0) {
      issue(
        "steps",
        `The workflow step '${removed.name}' (${removed.codename}) can't be removed because ${count} language variant(s) are in it. Move them to another step first.`,
      );
    }
  }
}

/** Resolves `transitions_to` references to step ids. */
function resolveTransitions(steps: DraftStep[], issue: Issue): Map<string, string[]> {
  const idSet = new Set(steps.map((s) => s.id));
  const byCodename = new Map(steps.map((s) => [s.codename, s.id]));
  const result = new Map<string, string[]>();
  for (const step of steps) {
    const targets: string[] = [];
    step.rawTransitions.forEach((raw, j) => {
      const path = `steps[${step.index}].transitions_to[${j}]`;
      const ref = isRecord(raw) ? asReference(raw.step) : undefined;
      if (!ref) {
        issue(`${path}.step`, REFERENCE_MESSAGE);
        return;
      }
      const target = resolveStepReference(ref, idSet, byCodename);
      if (typeof target !== "string") {
        issue(`${path}.step`, target.error);
      } else if (target === step.id) {
        // ASSUMPTION (not stated in the API reference): the workflow editor offers no transition
        // from a step to itself, and an independent implementation of the API refuses one.
        issue(`${path}.step`, `The workflow step '${step.codename}' can't transition to itself.`);
      } else if (targets.includes(target)) {
        issue(path, "The transitions of a workflow step must be unique.");
      } else {
        targets.push(target);
      }
    });
    result.set(step.id, targets);
  }
  return result;
}

function resolveStepReference(
  ref: Reference,
  idSet: Set<string>,
  byCodename: Map<string, string>,
): string | { error: string } {
  if (ref.id === SCHEDULED_STEP_ID || ref.codename === "scheduled") {
    return { error: "A workflow step can't transition to the Scheduled step. Schedule publishing instead." };
  }
  if (ref.id !== undefined) {
    if (ref.id === PUBLISHED_STEP_ID || ref.id === ARCHIVED_STEP_ID || idSet.has(ref.id)) return ref.id;
    return {
      error: `The referenced workflow step ${describeReference(ref)} does not exist in this workflow.`,
    };
  }
  if (ref.codename !== undefined) {
    if (ref.codename === "published") return PUBLISHED_STEP_ID;
    if (ref.codename === "archived") return ARCHIVED_STEP_ID;
    const id = byCodename.get(ref.codename);
    if (id) return id;
    return {
      error: `The referenced workflow step ${describeReference(ref)} does not exist in this workflow.`,
    };
  }
  // Assumption: workflow steps have no external ids.
  return { error: "Workflow steps can be referenced only by id or codename." };
}

/**
 * "Always make sure that all steps eventually transition to the Published step" ([W], Update a
 * workflow). Archived content is restored to the first step (the archived step's `role_ids`: "the
 * roles that can restore archived content items", [W] Workflow object), so a step that reaches
 * Published only through Archived (and then the first step) is valid.
 */
function checkReachability(steps: DraftStep[], transitions: Map<string, string[]>, issue: Issue) {
  const first = steps[0]?.id;
  const edges = (id: string) =>
    id === ARCHIVED_STEP_ID ? (first === undefined ? [] : [first]) : (transitions.get(id) ?? []);
  for (const step of steps) {
    const seen = new Set<string>([step.id]);
    const queue = [step.id];
    let reaches = false;
    while (queue.length > 0 && !reaches) {
      for (const next of edges(queue.shift() as string)) {
        if (next === PUBLISHED_STEP_ID) reaches = true;
        else if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    if (!reaches) {
      issue(
        `steps[${step.index}]`,
        `The workflow step '${step.codename}' never reaches the Published step. All steps must eventually transition to the Published step.`,
      );
    }
  }
}

function objectOrIssue(value: unknown, path: string, mode: WriteMode, issue: Issue): Record<string, unknown> {
  if (isRecord(value)) return value;
  if (mode.kind !== "seed") issue(path, `Provide the ${path} object.`);
  return {};
}

/** Role lists of the predefined steps are optional in the SDK's IAddWorkflowData; missing means "no limitation". */
function checkRoleIds(env: Environment, value: unknown, path: string, issue: Issue): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    issue(path, "Provide an array of role ids.");
    return [];
  }
  const result: string[] = [];
  value.forEach((id, j) => {
    if (typeof id !== "string") {
      issue(`${path}[${j}]`, "A role id must be a string.");
    } else if (!env.roles.some((r) => r.id === id)) {
      issue(`${path}[${j}]`, `The role '${id}' does not exist.`);
    } else if (result.includes(id)) {
      issue(`${path}[${j}]`, `The role '${id}' is listed more than once.`);
    } else {
      result.push(id);
    }
  });
  return result;
}

/** A reference object with exactly one identifier, or undefined. */
export function asReference(value: unknown): Reference | undefined {
  if (!isRecord(value)) return undefined;
  const keys = (["id", "codename", "external_id"] as const).filter(
    (k) => value[k] !== undefined && value[k] !== null,
  );
  if (keys.length !== 1) return undefined;
  const key = keys[0] as "id" | "codename" | "external_id";
  const v = value[key];
  if (typeof v !== "string" || v.length === 0) return undefined;
  return { [key]: v };
}

export function describeReference(ref: Reference): string {
  if (ref.id !== undefined) return `with id '${ref.id}'`;
  if (ref.codename !== undefined) return `with codename '${ref.codename}'`;
  return `with external id '${ref.external_id}'`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Assumption: the API derives a missing codename from the name (lowercase, `_` for other characters). */
export function codenameFromName(name: string, max: number): string {
  let c = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (c === "") c = "workflow";
  if (/^[0-9]/.test(c)) c = `n${c}`;
  return c.slice(0, max);
}

function uniqueCodename(base: string, taken: string[], max: number): string {
  let candidate = base;
  for (let n = 2; taken.includes(candidate); n++) {
    const suffix = `_${n}`;
    candidate = base.slice(0, max - suffix.length) + suffix;
  }
  return candidate;
}
