/*
 * What a simulator holds for a target, without what differs from run to run (ids it made up,
 * timestamps), and the problems that need no reference to see: duplicates, half-written workflows.
 */

interface KontentWireStep {
  id: string;
  codename: string;
}
export interface KontentWireWorkflow {
  id: string;
  codename: string;
  steps: KontentWireStep[];
  published_step: KontentWireStep;
  scheduled_step?: KontentWireStep;
  archived_step: KontentWireStep;
}
export interface KontentWireState {
  workflows: KontentWireWorkflow[];
}
interface ContensisWireDefinition {
  uuid?: string;
  id: string;
  version?: { versionNo?: string | null; published?: string | null } & Record<string, unknown>;
}
export interface ContensisWireState {
  definitions: Array<{
    id: string;
    isSystem: boolean;
    versions: ContensisWireDefinition[];
    latest: ContensisWireDefinition;
    published: ContensisWireDefinition | null;
  }>;
  contentTypes: Array<{ id: string; workflowId?: string }>;
}

export interface TargetState {
  /** Workflow codenames (Kontent.ai) or definition ids (Contensis), in the simulator's order. */
  keys: string[];
  /** Workflows (with step ids replaced by codenames) or definitions (latest, versions, published). */
  workflows: unknown[];
  /** Contensis: content type → workflow. */
  assignments: Record<string, string | undefined>;
  /** Problems that no reference comparison is needed for: duplicates, half-written workflows. */
  problems: string[];
}

/** A Kontent.ai workflow without its id, every step id replaced by `step:<codename>`. */
export function withStepCodenames(workflow: KontentWireWorkflow): unknown {
  const steps = new Map<string, string>();
  for (const step of [
    ...workflow.steps,
    workflow.published_step,
    workflow.scheduled_step,
    workflow.archived_step,
  ]) {
    if (step) steps.set(step.id, step.codename);
  }
  const { id: _id, ...rest } = workflow;
  return JSON.parse(
    JSON.stringify(rest, (_key, value) =>
      typeof value === "string" && steps.has(value) ? `step:${steps.get(value)}` : value,
    ),
  );
}

export function kontentState(state: KontentWireState): TargetState {
  const problems: string[] = [];
  const keys = state.workflows.map((workflow) => workflow.codename);
  const ids = state.workflows.map((workflow) => workflow.id);
  for (const key of new Set(keys)) {
    if (keys.filter((k) => k === key).length > 1) problems.push(`duplicate workflow codename ${key}`);
  }
  if (new Set(ids).size !== ids.length) problems.push("duplicate workflow id");
  const workflows = state.workflows.map((workflow) => {
    const codenames = workflow.steps.map((step) => step.codename);
    if (new Set(codenames).size !== codenames.length)
      problems.push(`${workflow.codename}: duplicate step codename`);
    return withStepCodenames(workflow);
  });
  return { keys, workflows, assignments: {}, problems };
}

export function contensisState(state: ContensisWireState): TargetState {
  const problems: string[] = [];
  const keys = state.definitions.map((definition) => definition.id);
  for (const key of new Set(keys)) {
    if (keys.filter((k) => k === key).length > 1) problems.push(`duplicate definition ${key}`);
  }
  const body = (definition: ContensisWireDefinition | null) => {
    if (!definition) return null;
    const { uuid: _uuid, version, ...rest } = definition;
    return { ...rest, versionNo: version?.versionNo ?? null };
  };
  const workflows = state.definitions.map((definition) => {
    const versions = definition.versions.map((version) => version.version?.versionNo ?? null);
    if (!definition.isSystem) {
      if (!definition.published) problems.push(`${definition.id}: created but never published`);
      else if (definition.published.version?.versionNo !== definition.latest.version?.versionNo) {
        problems.push(
          `${definition.id}: latest version ${definition.latest.version?.versionNo} is not published (published: ${definition.published.version?.versionNo})`,
        );
      }
      if (new Set(versions).size !== versions.length)
        problems.push(`${definition.id}: duplicate version numbers`);
    }
    return {
      id: definition.id,
      isSystem: definition.isSystem,
      versions,
      latest: body(definition.latest),
      published: body(definition.published),
    };
  });
  const assignments = Object.fromEntries(
    state.contentTypes.map((contentType) => [contentType.id, contentType.workflowId]),
  );
  for (const [contentType, workflowId] of Object.entries(assignments)) {
    if (workflowId && !keys.includes(workflowId) && !workflowId.startsWith("contensis")) {
      problems.push(`content type ${contentType} uses ${workflowId}, which does not exist`);
    }
  }
  return { keys, workflows, assignments, problems };
}
