import { formatPath } from "@workflow-sync/core";
import { z } from "zod";
import { KontentResponseError } from "./errors.ts";
import { KONTENT_COLORS, type KontentColor } from "./rules.ts";

/*
 * The Kontent.ai Management API v2 formats, checked with zod at the boundary. Responses are read
 * leniently about fields we do not use (a vendor may add fields) and strictly about the ones we do,
 * so that an unexpected answer fails here, naming the field, not later in the mapping.
 *
 * Sources: docs/vendors/kontent.md, whose citation keys ([W] workflows, [ROLES], [COLL], [LV],
 * [ERR], [REF]) the comments here use; each key stands for a public page, e.g. [W] is
 * https://kontent.ai/learn/docs/apis/management-api-v2/workflows (the workflow object and samples).
 */

/** The default workflow's id: "The ID of the default workflow is always 00000000-…" ([W]). */
export const DEFAULT_WORKFLOW_ID = "00000000-0000-0000-0000-000000000000";

/** The codenames of the predefined steps, as the update sample references them ([W], PutWorkflow sample). */
export const PUBLISHED_CODENAME = "published";
export const SCHEDULED_CODENAME = "scheduled";
export const ARCHIVED_CODENAME = "archived";

const Color = z.enum(KONTENT_COLORS);

/** `{ id }` as responses give references ("Responses always return internal IDs", [REF]). */
const IdReference = z.looseObject({ id: z.string().min(1) });

const Scope = z.looseObject({
  content_types: z.array(IdReference),
  collections: z.array(IdReference),
});

const Step = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  codename: z.string().min(1),
  color: Color,
  transitions_to: z.array(z.looseObject({ step: IdReference })),
  role_ids: z.array(z.string()),
});

export const KontentWorkflowSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  codename: z.string().min(1),
  scopes: z.array(Scope),
  steps: z.array(Step).min(1),
  published_step: z.looseObject({
    id: z.string().min(1),
    name: z.string(),
    codename: z.string(),
    unpublish_role_ids: z.array(z.string()),
    create_new_version_role_ids: z.array(z.string()),
  }),
  /** Read-only; absent from the add/update response examples in [W], so optional. */
  scheduled_step: z.looseObject({ id: z.string().min(1), name: z.string(), codename: z.string() }).optional(),
  archived_step: z.looseObject({
    id: z.string().min(1),
    name: z.string(),
    codename: z.string(),
    role_ids: z.array(z.string()),
  }),
});
export type KontentWorkflow = z.infer<typeof KontentWorkflowSchema>;
export type KontentStep = KontentWorkflow["steps"][number];

/** `GET /workflows` answers a bare array ([W]; SDK `IListWorkflowsResponseContract`). */
export const KontentWorkflowListSchema = z.array(KontentWorkflowSchema);

/** `GET /roles` → `{ roles: [{ id, name, codename? }] }` ([ROLES]; codename only on Project manager). */
export const KontentRoleSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  codename: z.string().nullish(),
});
export type KontentRole = z.infer<typeof KontentRoleSchema>;
export const KontentRoleListSchema = z.looseObject({ roles: z.array(KontentRoleSchema) });

/** `pagination: { continuation_token, next_page }` (SDK `IPaginationModelContract`). */
export const KontentPaginationSchema = z.looseObject({
  continuation_token: z.string().nullable(),
  next_page: z.string().nullish(),
});

export const KontentContentTypeSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  codename: z.string().min(1),
});
export type KontentContentType = z.infer<typeof KontentContentTypeSchema>;
/** `GET /types` → `{ types: [...], pagination }` (paged, kontent.md §2). */
export const KontentContentTypePageSchema = z.looseObject({
  types: z.array(KontentContentTypeSchema),
  pagination: KontentPaginationSchema,
});

export const KontentCollectionSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  codename: z.string().min(1),
});
export type KontentCollection = z.infer<typeof KontentCollectionSchema>;
/** `GET /collections` → `{ collections: [...], last_modified }` ([COLL]; not paged). */
export const KontentCollectionListSchema = z.looseObject({
  collections: z.array(KontentCollectionSchema),
});

/**
 * A language variant ([LV]): `workflow: { workflow_identifier: { id }, step_identifier: { id } }`.
 * The older `workflow_step: { id }` is accepted too (the SDK still types both). Elements are not
 * ours to check.
 */
export const KontentVariantSchema = z.looseObject({
  item: IdReference,
  language: IdReference,
  workflow: z
    .looseObject({
      workflow_identifier: IdReference,
      step_identifier: IdReference,
    })
    .optional(),
  workflow_step: IdReference.optional(),
});
export type KontentVariant = z.infer<typeof KontentVariantSchema>;
/** `GET /types/{type}/variants` → `{ variants: [...], pagination }` (paged). */
export const KontentVariantPageSchema = z.looseObject({
  variants: z.array(KontentVariantSchema),
  pagination: KontentPaginationSchema,
});

/**
 * The error body: `{ request_id, error_code, message, validation_errors?: [{ message, … }] }`
 * (SDK `SharedContracts.IContentManagementError`; kontent.md §1).
 */
export const KontentErrorBodySchema = z.looseObject({
  request_id: z.string().optional(),
  error_code: z.number().optional(),
  message: z.string(),
  /** `path` is not in the SDK contract; the early CM API guidelines show `path`, `line`, `position`. */
  validation_errors: z.array(z.looseObject({ message: z.string(), path: z.string().optional() })).optional(),
});
export type KontentErrorBody = z.infer<typeof KontentErrorBodySchema>;

// ---------------------------------------------------------------------------------------------
// Write bodies (what fromNeutral produces). Types only: the vendor validates them.

/** A reference in a write: by codename or external id (write-only, [REF]) or by id. */
export type KontentReference = { id: string } | { codename: string } | { external_id: string };

export interface KontentStepWrite {
  /** Only in updates: keeps the step's identity (and the content in it) across a rename. */
  id?: string;
  name: string;
  codename: string;
  color: KontentColor;
  transitions_to: Array<{ step: KontentReference }>;
  role_ids: string[];
}

/** `IAddWorkflowData` / `IUpdateWorkflowData` (SDK `lib/models/workflow/workflow.models.ts`). */
export interface KontentWorkflowWrite {
  name: string;
  codename: string;
  scopes: Array<{ content_types: KontentReference[]; collections: KontentReference[] }>;
  steps: KontentStepWrite[];
  published_step: { unpublish_role_ids: string[]; create_new_version_role_ids: string[] };
  archived_step: { role_ids: string[] };
}

// ---------------------------------------------------------------------------------------------

/**
 * Parse a vendor answer or throw a `KontentResponseError` naming the request and the first fields
 * that do not fit, e.g. `GET /workflows: [2].steps[0].color: expected one of gray, red, …`.
 */
export function parseWire<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map((part) => (typeof part === "symbol" ? String(part) : part));
    return `${path.length === 0 ? "(body)" : formatPath(path)}: ${describeIssue(issue)}`;
  });
  const more = result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : "";
  throw new KontentResponseError(what, problems, more);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_value":
      return `expected one of ${issue.values.map(String).join(", ")}`;
    case "invalid_type":
      // zod 4 does not keep the input on the issue; its message says what was received.
      return issue.message.replace(/^Invalid input: /, "");
    default:
      return issue.message;
  }
}
