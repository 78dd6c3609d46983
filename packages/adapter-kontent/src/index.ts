/**
 * @workflow-sync/adapter-kontent: the Kontent.ai Management API v2 client and the mapping of
 * workflows to and from workflow-sync's neutral model.
 */
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
export {
  fireOnVariant,
  type InvokeTransitionOptions,
  type InvokeTransitionResult,
  invokeTransition,
} from "./content.ts";
export {
  KontentEnvironment,
  type KontentEnvironmentOptions,
  type KontentEnvironmentSnapshot,
} from "./environment.ts";
export {
  KontentApiError,
  type KontentApiErrorDetails,
  KontentDeleteRefusedError,
  KontentMappingError,
  KontentResponseError,
  KontentStepInUseError,
  KontentVariantStateError,
  type StepInUse,
} from "./errors.ts";
export {
  codenameFromName,
  isKontentWorkflowFile,
  type KontentWorkflowFile,
  KontentWorkflowFileSchema,
  type ReadFileOptions,
  readKontentFile,
} from "./file.ts";
export {
  ARCHIVED_KEY,
  DEFAULT_COLOR,
  DEFAULT_LOCALE,
  fromNeutral,
  type IdLookup,
  IMPLICIT_TRANSITIONS,
  type KontentMappingContext,
  KontentRolesUnavailableError,
  KontentUnresolvedReferencesError,
  offlineContext,
  PUBLISHED_KEY,
  ROLE_ID_PREFIX,
  roleIdOf,
  roleIdReference,
  SCHEDULED_KEY,
  toNeutral,
} from "./mapping.ts";
export { kontentProfile } from "./profile.ts";
export { type KontentNativeSnapshot, readKontent } from "./read.ts";
export { readVariantsByStep, refuseRemovingUsedSteps, stepsRemovedBy } from "./steps-in-use.ts";
export { type VariantPosition, variantsByWorkflow } from "./usage.ts";
export { kontentVendor } from "./vendor.ts";
export {
  CODENAME_PATTERN,
  DEFAULT_WORKFLOW_ID,
  KONTENT_COLORS,
  KONTENT_LIMITS,
  type KontentCollection,
  type KontentColor,
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
  parseResponse,
} from "./wire.ts";
export {
  matchSteps,
  type PlanOptions,
  planCreateRequests,
  planDeleteRequests,
  planUpdateRequests,
  projectWorkflow,
  targetContext,
  updateBodies,
} from "./write.ts";
