import { z } from "zod";
import { ContensisResponseError } from "./errors.ts";

/*
 * The Contensis Management API's shapes, checked with zod at the boundary. Objects are loose: a
 * field the vendor adds later survives a read → neutral → write round trip (the mapping keeps
 * unknown fields in `extensions.contensis.unknown`).
 *
 * Sources: docs/vendors/contensis.md §1 (DMH `model/workflow-definition.md`, contensis.com
 * `…/workflow-definition-*`), §2 (entry `sys.workflow`), §3 (token, error body), §4 (roles);
 * CMA `src/models/*.ts` and CORE `src/models/ContentType.ts`, `PagedList.ts`.
 */

/** A localized value, e.g. `{ "en-GB": "Draft" }` (may be `{}`: the `sysDelete` events' names). */
export const Localized = z.record(z.string(), z.string());
export type Localized = z.infer<typeof Localized>;

/** The older (DMH) action shape: `{ invokeAction: "validateEntry" | "publishEntry" | "updateEntry" }`. */
export const WireAction = z.looseObject({ invokeAction: z.string() });

/** `invokableWhen` item, e.g. `{ field: "isScheduledForPublish()", equalTo: false }` (the seed example). */
export const WireCondition = z.looseObject({
  field: z.string(),
  equalTo: z.union([z.string(), z.number(), z.boolean(), z.null()]),
});

export const WireParameter = z.looseObject({
  id: z.string(),
  name: Localized,
  description: Localized.nullish(),
  dataType: z.string().nullish(),
  dataFormat: z.string().nullish(),
  default: z.unknown().optional(),
  validations: z
    .looseObject({ required: z.looseObject({ message: Localized.nullish() }).nullish() })
    .nullish(),
  editor: z
    .looseObject({
      id: z.string(),
      instructions: Localized.nullish(),
      properties: z.record(z.string(), z.unknown()).nullish(),
    })
    .nullish(),
});
export type WireParameter = z.infer<typeof WireParameter>;

export const WireEvent = z.looseObject({
  id: z.string(),
  name: Localized,
  description: Localized.nullish(),
  auditText: Localized.nullish(),
  /** A state id, `"sysWorkflow"` (publish, or schedule), or null/absent: stay. */
  transitionTo: z.string().nullish(),
  exitActions: z.array(WireAction).nullish(),
  color: z.string().nullish(),
  groupId: z.string().nullish(),
  uiAction: z.string().nullish(),
  validate: z.boolean().nullish(),
  parameters: z.array(WireParameter).nullish(),
  invokableWhen: z.array(WireCondition).nullish(),
});
export type WireEvent = z.infer<typeof WireEvent>;

export const WireState = z.looseObject({
  id: z.string(),
  name: Localized,
  events: z.array(WireEvent).nullish(),
  color: z.string().nullish(),
  uiEditorView: z.string().nullish(),
  allowUpdates: z.boolean().nullish(),
  entryActions: z.array(WireAction).nullish(),
});
export type WireState = z.infer<typeof WireState>;

export const WireEventGroup = z.looseObject({ id: z.string(), name: Localized });
export type WireEventGroup = z.infer<typeof WireEventGroup>;

/** `{createdBy, created, modifiedBy, modified, publishedBy, published, versionNo}` (DMH `model/version.md`). */
export const WireVersion = z.looseObject({
  versionNo: z.string().nullish(),
  created: z.string().nullish(),
  createdBy: z.string().nullish(),
  modified: z.string().nullish(),
  modifiedBy: z.string().nullish(),
  published: z.string().nullish(),
  publishedBy: z.string().nullish(),
});
export type WireVersion = z.infer<typeof WireVersion>;

export const WireWorkflowDefinition = z.looseObject({
  id: z.string(),
  uuid: z.string().nullish(),
  projectId: z.string().nullish(),
  name: Localized,
  description: Localized.nullish(),
  states: z.array(WireState),
  eventGroups: z.array(WireEventGroup).nullish(),
  isSystem: z.boolean().nullish(),
  version: WireVersion.nullish(),
});
/** A workflow definition as the Management API sends and takes it. */
export type ContensisWorkflowDefinition = z.infer<typeof WireWorkflowDefinition>;

/** Fields the server sets; they are not part of a definition's meaning (and never written). */
export const SERVER_MANAGED_FIELDS = ["uuid", "projectId", "version", "isSystem"] as const;

/** `{pageIndex, pageSize, totalCount, pageCount, items}` (DMH `model/paged-list.md`). */
export function pagedList<T extends z.ZodType>(item: T) {
  return z.looseObject({
    pageIndex: z.number().int(),
    pageSize: z.number().int(),
    totalCount: z.number().int(),
    pageCount: z.number().int().optional(),
    items: z.array(item),
  });
}

/** A content type: only what this tool needs (`workflowId`, CORE `ContentType.ts`); the rest is kept. */
export const WireContentType = z.looseObject({
  id: z.string(),
  name: z.union([Localized, z.string()]).nullish(),
  workflowId: z.string().nullish(),
  defaultLanguage: z.string().nullish(),
  dataFormat: z.string().nullish(),
  version: WireVersion.nullish(),
});
export type ContensisContentType = z.infer<typeof WireContentType>;
/** The content types of a project: a plain array, not a PagedList (DMH `content-types/list-content-types.md`). */
export const WireContentTypeList = z.array(WireContentType);

/** `{ id: contentTypeId | "*", languages: [...], actions: [...] }` (CMA `Permission.ts`). */
export const WirePermission = z.looseObject({
  id: z.string().nullish(),
  languages: z.array(z.string()).nullish(),
  actions: z.array(z.string()).nullish(),
});

/**
 * A role (CMA `Role.ts`). `name` became a plain string in CMA PR #19; the older DMH shape is
 * localized: both are read.
 */
export const WireRole = z.looseObject({
  id: z.string(),
  name: z.union([z.string(), Localized]),
  description: z.union([z.string(), Localized]).nullish(),
  enabled: z.boolean().nullish(),
  permissions: z.looseObject({ entries: z.array(WirePermission).nullish() }).nullish(),
});
export type ContensisRole = z.infer<typeof WireRole>;

/** `entry.sys.workflow` (CMA `Workflow.ts`, `WorkflowTransition.ts`). */
export const WireEntryWorkflow = z.looseObject({
  id: z.string(),
  state: z.string(),
  allowedEvents: z.array(z.string()).nullish(),
  transition: z.unknown().optional(),
});

export const WireEntry = z.looseObject({
  sys: z.looseObject({
    id: z.string(),
    language: z.string().nullish(),
    contentTypeId: z.string().nullish(),
    isPublished: z.boolean().nullish(),
    version: WireVersion.nullish(),
    workflow: WireEntryWorkflow.nullish(),
  }),
});
export type ContensisEntryWire = z.infer<typeof WireEntry>;

/** `{access_token, expires_in, token_type}` (DMH `security/authentication.md`). */
export const WireToken = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string().optional(),
});

/** `{logId, message, data, type}` (DMH `key-concepts/errors.md`); validation `data: [{field?, message}]`. */
export const WireErrorBody = z.looseObject({
  logId: z.string().nullish(),
  message: z.string().nullish(),
  data: z.unknown().optional(),
  type: z.string().nullish(),
});
export type WireErrorBody = z.infer<typeof WireErrorBody>;

/** `states[2].events[0].name`: a zod path as a reader finds it in the JSON. */
export function formatWirePath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(root)";
}

/**
 * Check a response body against a schema; an unexpected body is a `ContensisResponseError` naming
 * each offending field path (`items[3].states[0].name: expected record, received undefined`).
 */
export function parseWire<T extends z.ZodType>(schema: T, body: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 10).map((issue) => ({
    path: formatWirePath(issue.path),
    message: issue.message,
  }));
  throw new ContensisResponseError(what, problems);
}
