/** In-memory state of one environment, with the lookups the routes need. */
import { ARCHIVED_STEP_ID, PUBLISHED_STEP_ID, SCHEDULED_STEP_ID } from "./constants.ts";
import type {
  Collection,
  ContentItem,
  ContentType,
  EnvironmentState,
  Language,
  LanguageVariant,
  Reference,
  Role,
  Workflow,
} from "./types.ts";

/** A language variant plus what the simulator needs to remember about it. */
export interface StoredVariant {
  data: LanguageVariant;
  /** The step a variant was in before it was scheduled, so that cancelling the schedule can return to it. */
  stepBeforeSchedule: string | null;
}

/** A path identifier: `{id}`, `codename/{codename}` or `external-id/{external_id}`. */
export interface PathIdentifier {
  kind: "id" | "codename" | "external_id";
  value: string;
}

/** Any step of a workflow, predefined ones included. */
export interface AnyStep {
  id: string;
  name: string;
  codename: string;
  kind: "regular" | "published" | "scheduled" | "archived";
}

export class Environment {
  readonly id: string;
  readonly apiKeys: Set<string>;
  /** Keys without the "Manage custom roles" permission: the roles endpoints answer 403. */
  keysWithoutRoles: Set<string> = new Set();
  roles: Role[] = [];
  contentTypes: ContentType[] = [];
  collections: Collection[] = [];
  collectionsLastModified: string;
  languages: Language[] = [];
  items: ContentItem[] = [];
  workflows: Workflow[] = [];
  variants: StoredVariant[] = [];

  constructor(id: string, apiKeys: string[], seedTime: string) {
    this.id = id;
    this.apiKeys = new Set(apiKeys);
    this.collectionsLastModified = seedTime;
  }

  findWorkflow(identifier: PathIdentifier): Workflow | undefined {
    if (identifier.kind === "id") return this.workflows.find((w) => w.id === identifier.value);
    if (identifier.kind === "codename") return this.workflows.find((w) => w.codename === identifier.value);
    return undefined;
  }

  findWorkflowByReference(ref: Reference): Workflow | undefined {
    if (ref.id !== undefined) return this.workflows.find((w) => w.id === ref.id);
    if (ref.codename !== undefined) return this.workflows.find((w) => w.codename === ref.codename);
    return undefined;
  }

  findItem(identifier: PathIdentifier): ContentItem | undefined {
    return findByIdentifier(this.items, identifier);
  }

  findLanguage(identifier: PathIdentifier): Language | undefined {
    return findByIdentifier(this.languages, identifier);
  }

  findRole(identifier: PathIdentifier): Role | undefined {
    if (identifier.kind === "id") return this.roles.find((r) => r.id === identifier.value);
    if (identifier.kind === "codename") return this.roles.find((r) => r.codename === identifier.value);
    return undefined;
  }

  findContentType(identifier: PathIdentifier): ContentType | undefined {
    return findByIdentifier(this.contentTypes, identifier);
  }

  findCollection(identifier: PathIdentifier): Collection | undefined {
    return findByIdentifier(this.collections, identifier);
  }

  findVariant(itemId: string, languageId: string): StoredVariant | undefined {
    return this.variants.find((v) => v.data.item.id === itemId && v.data.language.id === languageId);
  }

  variantsInWorkflow(workflowId: string, stepId?: string): StoredVariant[] {
    return this.variants.filter(
      (v) =>
        v.data.workflow.workflow_identifier.id === workflowId &&
        (stepId === undefined || v.data.workflow.step_identifier.id === stepId),
    );
  }

  snapshot(): EnvironmentState {
    return structuredClone({
      environmentId: this.id,
      workflows: this.workflows,
      roles: this.roles,
      contentTypes: this.contentTypes,
      collections: this.collections,
      languages: this.languages,
      items: this.items,
      variants: this.variants.map((v) => v.data),
    });
  }
}

/** All steps of a workflow, predefined ones included, in the order of the deprecated `GET /workflow`. */
export function allSteps(workflow: Workflow): AnyStep[] {
  return [
    ...workflow.steps.map((s) => ({
      id: s.id,
      name: s.name,
      codename: s.codename,
      kind: "regular" as const,
    })),
    { ...pick(workflow.scheduled_step), kind: "scheduled" as const },
    { ...pick(workflow.published_step), kind: "published" as const },
    { ...pick(workflow.archived_step), kind: "archived" as const },
  ];
}

export function findStep(workflow: Workflow, ref: Reference): AnyStep | undefined {
  const steps = allSteps(workflow);
  if (ref.id !== undefined) return steps.find((s) => s.id === ref.id);
  if (ref.codename !== undefined) return steps.find((s) => s.codename === ref.codename);
  return undefined;
}

export function stepKind(stepId: string): AnyStep["kind"] {
  if (stepId === PUBLISHED_STEP_ID) return "published";
  if (stepId === SCHEDULED_STEP_ID) return "scheduled";
  if (stepId === ARCHIVED_STEP_ID) return "archived";
  return "regular";
}

function pick(step: { id: string; name: string; codename: string }) {
  return { id: step.id, name: step.name, codename: step.codename };
}

function findByIdentifier<T extends { id: string; codename: string; external_id?: string }>(
  list: T[],
  identifier: PathIdentifier,
): T | undefined {
  if (identifier.kind === "id") return list.find((x) => x.id === identifier.value);
  if (identifier.kind === "codename") return list.find((x) => x.codename === identifier.value);
  return list.find((x) => x.external_id !== undefined && x.external_id === identifier.value);
}

/** Finds an object by a body reference (`{id}`, `{codename}` or `{external_id}`). */
export function findByReference<T extends { id: string; codename?: string | null; external_id?: string }>(
  list: T[],
  ref: Reference,
): T | undefined {
  if (ref.id !== undefined) return list.find((x) => x.id === ref.id);
  if (ref.codename !== undefined) return list.find((x) => x.codename === ref.codename);
  if (ref.external_id !== undefined) return list.find((x) => x.external_id === ref.external_id);
  return undefined;
}
