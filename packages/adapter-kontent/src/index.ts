/**
 * @workflow-sync/adapter-kontent: the Kontent.ai Management API v2 client and the mapping of
 * workflows to and from workflow-sync's neutral model.
 *
 * The public API by name, grouped as the source is laid out (the same layout and headings as
 * @workflow-sync/adapter-contensis). Test helpers stay in src/test-support and are not exported.
 */

// client.ts: the HTTP client (paths, auth header, requests, pacing options)
export {
  type BodyReference,
  type ChangeWorkflowData,
  createKontentClient,
  DEFAULT_BASE_URL,
  DEFAULT_RATE_LIMIT,
  DEFAULT_WRITE_CONCURRENCY,
  type ItemRef,
  type KontentClient,
  type KontentClientOptions,
  type LanguageRef,
  languageFromText,
  referenceFromText,
  type ScheduleData,
  variantPath,
  type WorkflowRef,
  workflowPath,
} from "./client.ts";
// content.ts: language variants, the transitions fired on them, and the in-use checks
export {
  fireOnVariant,
  type InvokeTransitionOptions,
  type InvokeTransitionResult,
  invokeTransition,
  readVariantsByStep,
  refuseRemovingUsedSteps,
  stepsRemovedBy,
  type VariantPosition,
  variantsByWorkflow,
} from "./content.ts";
// environment.ts: core's environment interface, including invokeTransition
export {
  KontentEnvironment,
  type KontentEnvironmentOptions,
  type KontentEnvironmentSnapshot,
} from "./environment.ts";
// errors.ts
export {
  KontentApiError,
  type KontentApiErrorDetails,
  KontentDeleteRefusedError,
  KontentMappingError,
  KontentResponseError,
  KontentRolesUnavailableError,
  KontentStepInUseError,
  KontentUnresolvedReferencesError,
  KontentVariantStateError,
  type StepInUse,
} from "./errors.ts";
// file.ts: Kontent.ai's own workflow file format
export {
  codenameFromName,
  isKontentWorkflowFile,
  type KontentWorkflowFile,
  KontentWorkflowFileSchema,
  type ReadFileOptions,
  readKontentFile,
} from "./file.ts";

// mapping/: Kontent.ai ⇄ neutral
export {
  ARCHIVED_KEY,
  DEFAULT_LOCALE,
  type IdLookup,
  IMPLICIT_TRANSITIONS,
  type KontentMappingContext,
  offlineContext,
  PUBLISHED_KEY,
  ROLE_ID_PREFIX,
  roleIdOf,
  roleIdReference,
  SCHEDULED_KEY,
} from "./mapping/context.ts";
export { DEFAULT_COLOR, fromNeutral } from "./mapping/from-neutral.ts";
export { toNeutral } from "./mapping/to-neutral.ts";
// open.ts: an environment whose first read is sent before the mapping and zod are loaded
// (also the package's light entry, `@workflow-sync/adapter-kontent/open`)
export {
  KontentEnvironmentNotLoadedError,
  OpenedKontentEnvironment,
  openKontentEnvironment,
} from "./open.ts";
// plan-writes.ts: PURE, the requests that turn the target into the desired workflow
export {
  matchSteps,
  type PlanOptions,
  planCreateRequests,
  planDeleteRequests,
  planUpdateRequests,
  projectWorkflow,
  targetContext,
  updateBodies,
} from "./plan-writes.ts";
// profile.ts: the VendorProfile core's checks run
export { kontentProfile } from "./profile.ts";
// read.ts: reading an environment's snapshot
export { type KontentNativeSnapshot, readKontent } from "./read.ts";
// rules.ts: Kontent.ai's documented limits, palette and codename pattern
export { CODENAME_PATTERN, KONTENT_COLORS, KONTENT_LIMITS, type KontentColor } from "./rules.ts";
// vendor.ts: what the CLI needs from this vendor (core's VendorAdapter)
export { kontentVendor } from "./vendor.ts";
// wire.ts: the shapes Kontent.ai sends and accepts
export {
  DEFAULT_WORKFLOW_ID,
  type KontentCollection,
  type KontentContentType,
  type KontentErrorBody,
  type KontentReference,
  type KontentRole,
  type KontentStep,
  type KontentStepWrite,
  type KontentVariant,
  type KontentWorkflow,
  KontentWorkflowSchema,
  type KontentWorkflowWrite,
  parseWire,
} from "./wire.ts";
