/**
 * Wire shapes of the Kontent.ai Management API v2 as the simulator stores and returns them, and the seed format.
 * Field names follow the SDK contracts (@kontent-ai/management-sdk lib/contracts/*.ts).
 */
import type { WORKFLOW_COLORS } from "./constants.ts";

export type WorkflowColor = (typeof WORKFLOW_COLORS)[number];

/** A reference in a request body: exactly one of id, codename, external_id ([REF]). */
export interface Reference {
  id?: string | undefined;
  codename?: string;
  external_id?: string;
}

/** A reference in a response: always by id ([REF]). */
export interface IdReference {
  id: string;
}

export interface WorkflowScope {
  content_types: IdReference[];
  collections: IdReference[];
}

export interface WorkflowStep {
  id: string;
  name: string;
  codename: string;
  color: WorkflowColor;
  transitions_to: Array<{ step: IdReference }>;
  role_ids: string[];
}

export interface WorkflowPublishedStep {
  id: string;
  name: string;
  codename: string;
  unpublish_role_ids: string[];
  create_new_version_role_ids: string[];
}

export interface WorkflowScheduledStep {
  id: string;
  name: string;
  codename: string;
}

export interface WorkflowArchivedStep {
  id: string;
  name: string;
  codename: string;
  role_ids: string[];
}

/** A workflow as `GET /workflows` returns it. */
export interface Workflow {
  id: string;
  name: string;
  codename: string;
  scopes: WorkflowScope[];
  steps: WorkflowStep[];
  published_step: WorkflowPublishedStep;
  scheduled_step: WorkflowScheduledStep;
  archived_step: WorkflowArchivedStep;
}

export interface Role {
  id: string;
  name: string;
  /** "only applicable for the Project manager role" ([ROLES]); absent (or null) for custom roles. */
  codename?: string | null;
}

export interface ContentType {
  id: string;
  name: string;
  codename: string;
  external_id?: string;
  last_modified: string;
  elements: unknown[];
}

export interface Collection {
  id: string;
  name: string;
  codename: string;
  external_id?: string;
}

export interface Language {
  id: string;
  name: string;
  codename: string;
  external_id?: string;
  is_active: boolean;
  is_default: boolean;
  fallback_language: IdReference;
}

export interface ContentItem {
  id: string;
  name: string;
  codename: string;
  type: IdReference;
  collection: IdReference;
  external_id?: string;
  last_modified: string;
}

export interface VariantSchedule {
  publish_time: string | null;
  publish_display_timezone: string | null;
  unpublish_time: string | null;
  unpublish_display_timezone: string | null;
}

/** A language variant as `GET /items/{item}/variants/{language}` returns it (SDK ILanguageVariantModelContract). */
export interface LanguageVariant {
  item: IdReference;
  language: IdReference;
  elements: unknown[];
  workflow: { workflow_identifier: IdReference; step_identifier: IdReference };
  /** Deprecated mirror of `workflow.step_identifier`, still in the SDK contract. */
  workflow_step: IdReference;
  last_modified: string;
  schedule: VariantSchedule;
  due_date: { value: string | null };
  contributors: IdReference[];
  note: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Seed format

/** A workflow in a seed: wire format; `scheduled_step` may be left out, predefined step names/codenames too. */
export interface WorkflowSeed {
  id: string;
  name: string;
  codename: string;
  scopes?: Array<{ content_types?: Reference[]; collections?: Reference[] }>;
  steps: Array<{
    id: string;
    name: string;
    codename: string;
    color: WorkflowColor;
    transitions_to: Array<{ step: Reference }>;
    role_ids?: string[];
  }>;
  published_step?: Partial<WorkflowPublishedStep>;
  scheduled_step?: Partial<WorkflowScheduledStep>;
  archived_step?: Partial<WorkflowArchivedStep>;
}

export interface VariantSeed {
  item: Reference;
  language: Reference;
  /** Defaults to the first step of the default workflow. References by id or codename. */
  workflow?: { workflow_identifier: Reference; step_identifier: Reference };
  elements?: unknown[];
  last_modified?: string;
}

export interface EnvironmentSeed {
  /** Bearer keys accepted for this environment. */
  apiKeys: string[];
  /**
   * Keys (among `apiKeys`) that lack the "Manage custom roles" permission, which the roles
   * endpoints require ([ROLES]): `GET /roles` and `GET /roles/{id}` answer 403 to them.
   */
  keysWithoutRoles?: string[];
  roles?: Role[];
  contentTypes?: Array<Omit<ContentType, "last_modified" | "elements"> & Partial<ContentType>>;
  collections?: Collection[];
  languages?: Array<Pick<Language, "id" | "name" | "codename"> & Partial<Language>>;
  /** Wire format; the default workflow (id 000…0) is added when absent. */
  workflows?: WorkflowSeed[];
  items?: Array<{
    id: string;
    name: string;
    codename: string;
    type: Reference;
    collection?: Reference;
    external_id?: string;
    last_modified?: string;
  }>;
  variants?: VariantSeed[];
}

export interface KontentSeed {
  environments: Record<string, EnvironmentSeed>;
}

/** A deep copy of one environment, as `state()` and `GET /__admin/state` return it. */
export interface EnvironmentState {
  environmentId: string;
  workflows: Workflow[];
  roles: Role[];
  contentTypes: ContentType[];
  collections: Collection[];
  languages: Language[];
  items: ContentItem[];
  variants: LanguageVariant[];
}
