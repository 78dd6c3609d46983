/** Workflow endpoints: list, add, update, delete and the deprecated step list. */
import { DEFAULT_WORKFLOW_ID, ERROR_CODES } from "./constants.ts";
import { ApiError, notFound } from "./errors.ts";
import { allSteps, type Environment, type PathIdentifier } from "./state.ts";
import type { Workflow } from "./types.ts";
import { buildWorkflow } from "./validation.ts";

export function listWorkflows(env: Environment): Workflow[] {
  return structuredClone(env.workflows);
}

export function addWorkflow(env: Environment, body: unknown): Workflow {
  const workflow = buildWorkflow(env, body, { kind: "add" });
  env.workflows.push(workflow);
  return structuredClone(workflow);
}

export function updateWorkflow(env: Environment, identifier: PathIdentifier, body: unknown): Workflow {
  const existing = requireWorkflow(env, identifier);
  const workflow = buildWorkflow(env, body, { kind: "update", existing });
  env.workflows[env.workflows.indexOf(existing)] = workflow;
  return structuredClone(workflow);
}

export function deleteWorkflow(env: Environment, identifier: PathIdentifier): void {
  const existing = requireWorkflow(env, identifier);
  if (existing.id === DEFAULT_WORKFLOW_ID) {
    // The documented 400 example of "Delete a workflow" ([W]).
    throw new ApiError(
      400,
      ERROR_CODES.defaultWorkflowUndeletable,
      `The default workflow '${DEFAULT_WORKFLOW_ID}' cannot be deleted.`,
    );
  }
  // "Deletes an unused workflow." ([W]); the error code and message for a used one are assumptions.
  const used = env.variantsInWorkflow(existing.id).length;
  if (used > 0) {
    throw new ApiError(
      400,
      ERROR_CODES.workflowInUse,
      `The workflow '${existing.codename}' can't be deleted because ${used} language variant(s) use it. Move them to another workflow first.`,
    );
  }
  env.workflows.splice(env.workflows.indexOf(existing), 1);
}

/**
 * Deprecated `GET /workflow`: the steps of the default workflow in the legacy shape `{id, name, codename,
 * transitions_to: string[]}`; predefined steps come last with no transitions, as in the documented example.
 */
export function listLegacyWorkflowSteps(env: Environment) {
  const wf = env.workflows.find((w) => w.id === DEFAULT_WORKFLOW_ID) as Workflow;
  return allSteps(wf).map((s) => ({
    id: s.id,
    name: s.name,
    codename: s.codename,
    transitions_to:
      s.kind === "regular"
        ? (wf.steps.find((x) => x.id === s.id)?.transitions_to ?? []).map((t) => t.step.id)
        : [],
  }));
}

function requireWorkflow(env: Environment, identifier: PathIdentifier): Workflow {
  const workflow = env.findWorkflow(identifier);
  if (!workflow) {
    const shown = identifier.kind === "id" ? identifier.value : `codename/${identifier.value}`;
    throw notFound(`The requested workflow '${shown}' was not found.`);
  }
  return workflow;
}
