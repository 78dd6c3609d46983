/**
 * Fixed identifiers and enumerations of the Kontent.ai Management API v2.
 * Sources: docs/vendors/kontent.md and the workflow reference
 * (https://kontent.ai/learn/docs/apis/management-api-v2/workflows).
 */

/** "The ID of the default workflow is always 00000000-0000-0000-0000-000000000000." [W] */
export const DEFAULT_WORKFLOW_ID = "00000000-0000-0000-0000-000000000000";

/** The predefined steps carry the same ids in every workflow (all examples in [W]). */
export const PUBLISHED_STEP_ID = "c199950d-99f0-4983-b711-6c4c91624b22";
export const SCHEDULED_STEP_ID = "9d2b0228-4d0d-4c23-8b49-01a698857709";
export const ARCHIVED_STEP_ID = "7a535a69-ad34-47f8-806a-def1fdf4d391";

/**
 * Id of the first step of the built-in default workflow. The id is the one of the "Draft" step in the
 * example of the deprecated `GET /workflow` ([W], "Retrieve workflow steps"). Real environments have
 * their own id here: an assumption, any UUID would do.
 */
export const DEFAULT_DRAFT_STEP_ID = "eee6db3b-545a-4785-8e86-e3772c8756f9";

/** "The default collection ID is 00000000-…" ([COLL] in vendors/kontent.md). */
export const DEFAULT_COLLECTION_ID = "00000000-0000-0000-0000-000000000000";

/**
 * Id of the default language. Assumption: the default language of a Kontent.ai environment has the empty
 * GUID, like the default workflow and collection; only used when a seed lists no language.
 */
export const DEFAULT_LANGUAGE_ID = "00000000-0000-0000-0000-000000000000";

/** The 16 step colours (SDK `WorkflowContracts.WorkflowColor`, lib/contracts/workflow-contracts.ts). */
export const WORKFLOW_COLORS = [
  "gray",
  "red",
  "rose",
  "light-purple",
  "dark-purple",
  "dark-blue",
  "light-blue",
  "sky-blue",
  "mint-green",
  "persian-green",
  "dark-green",
  "light-green",
  "yellow",
  "pink",
  "orange",
  "brown",
] as const;

/** Codename charset ([REF] "Rules for codenames"): lowercase letters, digits and `_`, starting with a letter or `_`. */
export const CODENAME_PATTERN = /^[a-z_][a-z0-9_]*$/;

/** Length limits from the workflow object schema ([W], https://kontent.ai/learn/docs/apis/management-api-v2/workflows). */
export const LIMITS = {
  workflowName: 200,
  workflowCodename: 60,
  stepName: 30,
  stepCodename: 40,
} as const;

/** Error codes. Documented ones carry their source; the others are assumptions (see README). */
export const ERROR_CODES = {
  /** [ERR]-era guideline and SDK fixture: InternalServerError is 0. */
  internal: 0,
  /** Invalid body, with `validation_errors` (SDK fixture cm-error-with-validation-errors.json). */
  invalidBody: 5,
  /** 403 "You do not have sufficient permissions…" (data-ops issue #116): roles without the permission. */
  forbidden: 16,
  /** "The default workflow '…' cannot be deleted." ([W], Delete a workflow, 400 example). */
  defaultWorkflowUndeletable: 235,
  /** 429 ([LIM]). */
  rateLimit: 10000,
  /** Assumption: the real codes for these are not documented. */
  unauthorized: 1,
  notFound: 100,
  methodNotAllowed: 2,
  invalidOperation: 3,
  workflowInUse: 236,
} as const;

export const RATE_LIMIT_MESSAGE = "API rate limit exceeded. Please retry your request later.";

export const INVALID_BODY_MESSAGE =
  "The provided request body is invalid. See the 'validation_errors' attribute for more information and specify a valid JSON object.";
