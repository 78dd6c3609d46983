/**
 * @workflow-sync/adapter-contensis: the Contensis Management API client and the mapping of
 * workflow definitions to and from workflow-sync's neutral model.
 *
 * The public API by name, grouped as the source is laid out (the same layout and headings as
 * @workflow-sync/adapter-kontent). Test helpers stay in src/test-support and are not exported.
 */

// client.ts: the HTTP client (paths, auth header, requests, pacing options)
export {
  type ContensisClient,
  type ContensisClientOptions,
  type ContensisRequest,
  createContensisClient,
  DEFAULT_WRITE_CONCURRENCY,
  type WireSchema,
} from "./client.ts";
// content.ts: entries and the workflow events fired on them
export {
  type ContensisEntry,
  getEntry,
  type InvokeOptions,
  invokeWorkflow,
  invokeWorkflowByTrigger,
  type WorkflowTrigger,
} from "./content.ts";
// content-types.ts: assigning a workflow to a content type (re-read first, only `workflowId` changed)
export { assignWorkflow } from "./content-types.ts";
// environment.ts: core's environment interface, including invokeTransition
export { ContensisEnvironment, type ContensisEnvironmentOptions } from "./environment.ts";
// errors.ts
export {
  ContensisApiError,
  type ContensisApiErrorDetails,
  ContensisAuthError,
  ContensisConflictError,
  ContensisResponseError,
  type ContensisValidationItem,
  ContentTypeChangedError,
  DefinitionNotPublishedError,
  DefinitionRulesError,
  InvalidWorkflowCallError,
  ReadOnlyWorkflowError,
  ScopeOverlapError,
  StaleRoleError,
  WorkflowInUseError,
} from "./errors.ts";
// file.ts: Contensis's own definition documents, read offline
export { isContensisDefinitionFile, type ReadFileOptions, readContensisFile } from "./file.ts";
// grants.ts: workflow permissions written onto roles
export { applyGrants, renameGrantReferences, type WantedGrant, type WorkflowGrants } from "./grants.ts";

// mapping/: Contensis ⇄ neutral
export { DEFAULT_GROUP_ID, isSystemWorkflow, PUBLISHED_KEY } from "./mapping/context.ts";
export { type ContensisMappingResult, type FromNeutralOptions, fromNeutral } from "./mapping/from-neutral.ts";
export type { GrantRecord } from "./mapping/grants.ts";
export { snapshotFromNative, type ToNeutralOptions, toNeutral } from "./mapping/to-neutral.ts";
// open.ts: an environment whose token request and reads are sent before the mapping and zod are
// loaded (also the package's light entry, `@workflow-sync/adapter-contensis/open`)
export {
  ContensisEnvironmentNotLoadedError,
  type OpenContensisOptions,
  OpenedContensisEnvironment,
  openContensisEnvironment,
} from "./open.ts";
// plan-writes.ts: PURE, the requests that turn the target into the desired workflow
export {
  LATEST_VERSION,
  type PlanOptions,
  planCreateRequests,
  planDeleteRequests,
  planRoleRequests,
  planRoleRestoreRequests,
  planUpdateRequests,
  projectWorkflow,
} from "./plan-writes.ts";
// profile.ts: the VendorProfile core's checks run
export { contensisProfile } from "./profile.ts";
// read.ts: reading an environment's snapshot
export { type ContensisNative, type ReadOptions, readContensis, readContensisNative } from "./read.ts";
// roles.ts: what a project's roles grant on workflows
export {
  type Grant,
  grantsFromRoles,
  type RoleGrants,
  WORKFLOW_ACTIONS,
  type WorkflowAction,
} from "./roles.ts";
// rules.ts: Contensis's documented limits, palettes and definition rules, with their sources
export {
  assertDefinition,
  BUTTON_COLORS,
  checkDefinition,
  EVENT_ID_RULE,
  EXIT_ACTIONS,
  GROUP_ID_RULE,
  type IdRule,
  LEGACY_COLORS,
  PARAMETER_EDITORS,
  PARAMETER_ID_RULE,
  STATE_COLORS,
  STATE_ID_RULE,
  SYS_WORKFLOW,
  SYSTEM_WORKFLOW_IDS,
  UI_ACTIONS,
  UI_EDITOR_VIEWS,
  WORKFLOW_ID_RULE,
} from "./rules.ts";
// scopes.ts: a content type has one workflow
export type { ScopeOverlap } from "./scopes.ts";
// vendor.ts: what the CLI needs from this vendor (core's VendorAdapter)
export { contensisVendor } from "./vendor.ts";
// versions.ts: which version of a definition is in effect
export { isPublishedVersionNo, latestIsPublished } from "./versions.ts";
// wire.ts: the shapes Contensis sends and accepts
export {
  type ContensisContentType,
  type ContensisRole,
  type ContensisWorkflowDefinition,
  type Localized,
  parseWire,
  WireContentType,
  type WireEvent,
  type WireEventGroup,
  type WireParameter,
  WireRole,
  type WireState,
  WireWorkflowDefinition,
} from "./wire.ts";
// write.ts: the HTTP writes of definitions (guarded: each checks what it replaces)
export {
  createDefinition,
  deleteDefinition,
  getDefinition,
  publishDefinition,
  type UpdateOptions,
  updateDefinition,
} from "./write.ts";
