/**
 * Public types of the Contensis simulator: options, the seed format, the wire models it stores and
 * serves, the request log and the fault plan.
 *
 * Wire models follow the Contensis Management API documentation (see docs/vendors/contensis.md
 * and the sources cited in each module). They are deliberately loose (`[key: string]: unknown` where the
 * API carries free-form data) because the simulator echoes what clients send.
 */

/** A localized value, e.g. `{ "en-GB": "Draft" }` (DMH `key-concepts/localization.md`). */
export type LocalizedText = Record<string, string>;

/** DMH `model/version.md`: `versionNo` is "{Major}.{Minor}". */
export interface VersionInfo {
  createdBy: string;
  created: string;
  modifiedBy: string;
  modified: string;
  publishedBy: string | null;
  published: string | null;
  versionNo: string | null;
}

/** Old (DMH) shape of a workflow action: `{ "invokeAction": "validateEntry" | "publishEntry" | "updateEntry" }`. */
export interface WorkflowAction {
  invokeAction: string;
}

/** The documented guard on an event (HTTP overview, CustomEntryApproval example). */
export interface InvokableWhen {
  field: string;
  equalTo: unknown;
}

export interface WorkflowParameter {
  id: string;
  name: LocalizedText;
  description?: LocalizedText;
  dataType?: string;
  dataFormat?: string | null;
  default?: unknown;
  validations?: { required?: { message: LocalizedText } };
  editor?: { id: string; instructions?: LocalizedText; properties?: unknown } | null;
}

export interface WorkflowEvent {
  id: string;
  name: LocalizedText;
  description?: LocalizedText;
  auditText?: LocalizedText;
  /** A state id, `sysWorkflow` (publish), or null/absent (stay). */
  transitionTo?: string | null;
  groupId: string;
  color?: string;
  uiAction?: string;
  parameters?: WorkflowParameter[];
  /** New shape. */
  validate?: boolean;
  /** Old (DMH) shape. */
  exitActions?: WorkflowAction[] | null;
  invokableWhen?: InvokableWhen[];
}

export interface WorkflowState {
  id: string;
  name: LocalizedText;
  events: WorkflowEvent[];
  color?: string;
  uiEditorView?: string;
  allowUpdates?: boolean;
  /** Old (DMH) shape. */
  entryActions?: WorkflowAction[] | null;
}

export interface EventGroup {
  id: string;
  name: LocalizedText;
}

/** DMH `model/workflow-definition.md`. `uuid`, `projectId`, `isSystem` and `version` are server-managed. */
export interface WorkflowDefinition {
  id: string;
  uuid: string;
  projectId: string;
  name: LocalizedText;
  description?: LocalizedText;
  states: WorkflowState[];
  eventGroups: EventGroup[];
  isSystem: boolean;
  version: VersionInfo;
}

/** A content type (CORE `src/models/ContentType.ts`); only `id`, `name` and `workflowId` matter here. */
export interface ContentType {
  id: string;
  name: LocalizedText;
  workflowId?: string;
  uuid?: string | undefined;
  projectId?: string;
  version?: VersionInfo;
  fields?: ContentTypeField[];
  [key: string]: unknown;
}

export interface ContentTypeField {
  id: string;
  name?: LocalizedText;
  dataType?: string;
  validations?: { required?: { message?: LocalizedText } | null; [key: string]: unknown } | null;
  [key: string]: unknown;
}

/** CMA `src/models/Permission.ts`: `{ id: contentTypeId | "*", languages, actions }`. */
export interface RolePermission {
  id?: string;
  languages?: string[];
  actions: string[];
}

/** CMA `src/models/Role.ts` (name and description are plain strings since CMA PR #19). */
export interface Role {
  id: string;
  name: string;
  description?: string;
  enabled: boolean;
  permissions: { entries?: RolePermission[]; [key: string]: unknown };
  assignments: { users?: string[]; groups?: string[]; apiKeys?: string[] };
}

/** CMA `src/models/WorkflowTransition.ts`. */
export interface WorkflowTransition {
  event: string;
  from: string;
  invoked: string;
  invokedBy: string;
  data: Record<string, unknown> | null;
}

/** CMA `src/models/Workflow.ts`. */
export interface EntryWorkflow {
  id: string;
  state: string;
  allowedEvents: string[];
  transition?: WorkflowTransition | null;
}

/** Publish/unpublish schedules. The shape is an assumption: the entry sample shows `sys.schedules: {}` only. */
export interface EntrySchedules {
  publish?: { dateTime: string } | null;
  unpublish?: { dateTime: string } | null;
}

export interface EntrySys {
  id: string;
  contentTypeId: string;
  language: string;
  projectId?: string;
  dataFormat?: string;
  uri?: string;
  isPublished?: boolean;
  availableLanguages?: string[];
  metadata?: Record<string, unknown>;
  owner?: string;
  version: VersionInfo;
  workflow: EntryWorkflow;
  schedules?: EntrySchedules;
  [key: string]: unknown;
}

/** One language variation of an entry: field data plus `sys`. */
export interface Entry {
  sys: EntrySys;
  [key: string]: unknown;
}

// ---------------------------------------------------------------------------------------------- seed

export interface SeedClient {
  clientId: string;
  clientSecret: string;
  /**
   * Optional API key name. When set, workflow events invoked with this client's tokens are checked
   * against the roles whose `assignments.apiKeys` name it (403 when not permitted, and
   * `allowedEvents` is filtered). Without it the client may do everything (an administrator key).
   */
  apiKey?: string;
}

/** A seed entry: `sys.version` and `sys.workflow` may be partial; the simulator fills the rest. */
export interface SeedEntry {
  sys: {
    id: string;
    contentTypeId: string;
    language: string;
    version?: Partial<VersionInfo>;
    workflow?: Partial<EntryWorkflow> & { id?: string; state?: string };
    schedules?: EntrySchedules;
    /** Shorthand for `schedules.publish.dateTime`. */
    publishSchedule?: string;
    isPublished?: boolean;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * A seed workflow definition in wire format. `version` is optional: without it the definition is
 * stored as published version "1.0". Several items with the same `id` form that definition's
 * version history, in order (the last one is the latest).
 */
export type SeedWorkflow = Omit<WorkflowDefinition, "uuid" | "projectId" | "isSystem" | "version"> & {
  uuid?: string;
  projectId?: string;
  isSystem?: boolean;
  version?: Partial<VersionInfo>;
};

export interface SeedProject {
  workflows?: SeedWorkflow[];
  contentTypes?: ContentType[];
  roles?: Role[];
  entries?: SeedEntry[];
}

export interface ContensisSeed {
  clients: SeedClient[];
  projects: Record<string, SeedProject>;
}

// ----------------------------------------------------------------------------------------- state

/** Every version of one definition, oldest first; `latest` and `published` repeat two of them. */
export interface StoredDefinition {
  id: string;
  isSystem: boolean;
  versions: WorkflowDefinition[];
  latest: WorkflowDefinition;
  published: WorkflowDefinition | null;
}

export interface ProjectState {
  projectId: string;
  definitions: StoredDefinition[];
  contentTypes: ContentType[];
  roles: Role[];
  /** Every language variation, latest version. */
  entries: Entry[];
}

// ------------------------------------------------------------------------------- log and faults

export type FaultKind = "5xx" | "drop-before" | "drop-after" | "slow" | "429" | "token-expiry";

export interface RequestLogEntry {
  time: string;
  method: string;
  /** The URL path without the query string. */
  path: string;
  /** The query string including `?`, when there was one. */
  query?: string;
  /** 0 when the connection was dropped (no response). */
  status: number;
  projectId?: string;
  fault?: FaultKind;
  write: boolean;
  durationMs: number;
}

export interface FaultScriptItem {
  method?: string;
  /** RegExp source, matched against the URL path (no query string). */
  path?: string;
  kind: FaultKind;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  /** How many matching requests pass untouched first (default 0). */
  skip?: number;
}

export interface FaultPlan {
  seed?: number;
  random?: { rate: number; kinds: FaultKind[]; writesOnly?: boolean };
  script?: FaultScriptItem[];
  /** Delay of a `slow` answer (default 15000). */
  slowMs?: number;
}

export interface RateLimit {
  perSecond: number;
  perMinute?: number;
}

export interface ContensisSimulatorOptions {
  /** A seed object or the path of a JSON file; default: the built-in demo seed. */
  seed?: ContensisSeed | string;
  /** 0 (default) = a free port. */
  port?: number;
  /** Default 3600 (DMH `security/authentication.md`). */
  tokenLifetimeSeconds?: number;
  /** Default false: Contensis documents no rate limit. */
  rateLimit?: RateLimit | false;
  faults?: FaultPlan;
  /** Milliseconds every API answer is held back (a network round trip and server time); default 0. */
  latencyMs?: number;
}

export interface ContensisSimulator {
  /** Root URL `http://127.0.0.1:PORT`: the official client's `rootUrl`. */
  url: string;
  close(): Promise<void>;
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Deep copy of one project's state; throws when the project does not exist. */
  state(projectId: string): ProjectState;
  setFaults(plan: FaultPlan | undefined): void;
  setRateLimit(limit: RateLimit | false): void;
  /** See `latencyMs` of the options. */
  setLatency(ms: number): void;
  /** Every issued token becomes invalid now. */
  expireTokens(): void;
  /** Back to the given seed (or the one the simulator started with); clears tokens and the request log. */
  reset(seed?: ContensisSeed): void;
}
