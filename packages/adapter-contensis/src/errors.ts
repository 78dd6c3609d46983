import { formatPath, type Issue, type Path, StaleWriteError, WorkflowSyncError } from "@workflow-sync/core";
import type { ScopeOverlap } from "./scopes.ts";

/** One validation problem from a Contensis error body (`data: [{ field?, message }]`). */
export interface ContensisValidationItem {
  field?: string;
  message: string;
}

export interface ContensisApiErrorDetails {
  status: number;
  method: string;
  /** The request path (never a secret: query strings carry none, tokens travel in headers). */
  path: string;
  /** The vendor's `logId` (a GUID), for a support ticket. */
  logId?: string | undefined;
  /** The vendor's error `type`, e.g. `"Validation"`. */
  type?: string | undefined;
  /** The vendor's `message`. */
  vendorMessage?: string | undefined;
  /** Validation problems (`type: "Validation"`, `data: [{field?, message}]`). */
  validation: ContensisValidationItem[];
  /** The raw `data` of the error body. */
  data?: unknown;
  /** A request id header, when the server sends one. */
  requestId?: string | undefined;
}

/**
 * The Management API answered with an error status. Carries the status, the vendor's `logId`,
 * `type` and validation data. Secrets (the client secret and tokens) never appear in it: they travel
 * only in the token form and the Authorization header, and every text is redacted besides.
 */
export class ContensisApiError extends WorkflowSyncError {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly logId: string | undefined;
  readonly type: string | undefined;
  readonly vendorMessage: string | undefined;
  readonly validation: ContensisValidationItem[];
  readonly data: unknown;
  readonly requestId: string | undefined;
  constructor(
    details: ContensisApiErrorDetails,
    options?: ErrorOptions & { code?: string; message?: string },
  ) {
    super(options?.code ?? "contensis_api_error", options?.message ?? describeApiError(details), options);
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.logId = details.logId;
    this.type = details.type;
    this.vendorMessage = details.vendorMessage;
    this.validation = details.validation;
    this.data = details.data;
    this.requestId = details.requestId;
  }
}

export function describeApiError(details: ContensisApiErrorDetails): string {
  const what = details.vendorMessage?.trim() || `HTTP ${details.status}`;
  const fields = details.validation
    .map((item) => (item.field ? `${item.field}: ${item.message}` : item.message))
    .join("; ");
  const log = details.logId ? ` [logId ${details.logId}]` : "";
  return `Contensis answered ${details.status} to ${details.method} ${details.path}: ${what}${fields ? ` (${fields})` : ""}${log}`;
}

/** A response did not have the shape this adapter expects; names every offending field path. */
export class ContensisResponseError extends WorkflowSyncError {
  readonly what: string;
  readonly problems: Array<{ path: string; message: string }>;
  constructor(what: string, problems: Array<{ path: string; message: string }>) {
    super(
      "contensis_unexpected_response",
      `unexpected response for ${what}: ${problems.map((problem) => `${problem.path}: ${problem.message}`).join("; ")}`,
    );
    this.what = what;
    this.problems = problems;
  }
}

/** The token endpoint refused the client credentials (`{"error":"invalid_client"}`). */
export class ContensisAuthError extends WorkflowSyncError {
  readonly status: number;
  readonly vendorError: string | undefined;
  constructor(status: number, vendorError: string | undefined) {
    super(
      "contensis_auth_failed",
      `Contensis refused the client credentials (HTTP ${status}${vendorError ? `: ${vendorError}` : ""}); check the client id and secret`,
    );
    this.status = status;
    this.vendorError = vendorError;
  }
}

/**
 * A write met a newer version (409 NotLatestVersion) or an existing definition (409 on create).
 * The adapter re-read the definition: `currentVersion` is what the server holds now. Nothing was
 * overwritten.
 */
export class ContensisConflictError extends ContensisApiError {
  readonly workflowId: string;
  readonly currentVersion: string | undefined;
  readonly reason: "stale_version" | "exists";
  constructor(
    details: ContensisApiErrorDetails,
    workflowId: string,
    reason: "stale_version" | "exists",
    currentVersion: string | undefined,
    options?: ErrorOptions,
  ) {
    const base = describeApiError(details);
    const message =
      reason === "stale_version"
        ? `workflow definition "${workflowId}" changed on the server (now version ${currentVersion ?? "unknown"}); not overwritten: re-read and plan again. ${base}`
        : `workflow definition "${workflowId}" already exists${currentVersion ? ` (version ${currentVersion})` : ""}: ${base}`;
    super(details, { ...options, code: "contensis_conflict", message });
    this.workflowId = workflowId;
    this.currentVersion = currentVersion;
    this.reason = reason;
  }
}

/** A definition cannot be deleted while content types use it (422); names them. */
export class WorkflowInUseError extends ContensisApiError {
  readonly workflowId: string;
  readonly contentTypes: string[];
  constructor(workflowId: string, contentTypes: readonly string[], details?: ContensisApiErrorDetails) {
    const list = contentTypes.length > 0 ? contentTypes.join(", ") : "(the server did not say which)";
    super(
      details ?? {
        status: 422,
        method: "DELETE",
        path: `workflow/definitions/${workflowId}`,
        validation: [],
      },
      {
        code: "contensis_workflow_in_use",
        message: `workflow definition "${workflowId}" cannot be deleted: content types use it: ${list}. Assign them another workflow first.${details?.logId ? ` [logId ${details.logId}]` : ""}`,
      },
    );
    this.workflowId = workflowId;
    this.contentTypes = [...contentTypes];
  }
}

/** System definitions (`isSystem: true`: contensisEntryBasic, contensisEntryApproval) are never written. */
export class ReadOnlyWorkflowError extends WorkflowSyncError {
  readonly workflowId: string;
  constructor(workflowId: string, action: string) {
    super(
      "contensis_read_only",
      `workflow definition "${workflowId}" is a Contensis system definition (isSystem: true): it is read-only, so this tool does not ${action} it`,
    );
    this.workflowId = workflowId;
  }
}

/** An entry or a call that cannot be sent (the official client's checks, and system events). */
export class InvalidWorkflowCallError extends WorkflowSyncError {
  constructor(message: string) {
    super("contensis_invalid_call", message);
  }
}

/**
 * A publish was sent, but the published version read back is not the one it should have made: the
 * definition written is not in effect (entries and content types still follow the older one).
 */
export class DefinitionNotPublishedError extends WorkflowSyncError {
  readonly workflowId: string;
  readonly sentVersion: string | undefined;
  readonly publishedVersion: string | undefined;
  constructor(workflowId: string, sentVersion: string | undefined, publishedVersion: string | undefined) {
    super(
      "contensis_not_published",
      `workflow definition "${workflowId}" version ${sentVersion ?? "(latest)"} was sent for publishing, but the published version is ${publishedVersion ?? "none"}: what was written is not in effect; run the apply again (it publishes the latest version)`,
    );
    this.workflowId = workflowId;
    this.sentVersion = sentVersion;
    this.publishedVersion = publishedVersion;
  }
}

/**
 * A content type's workflow is no longer the one the plan saw, so assigning another one would
 * decide over someone else's change: nothing was written. Re-plan.
 */
export class ContentTypeChangedError extends StaleWriteError {
  readonly contentTypeId: string;
  readonly expectedWorkflowId: string | null;
  readonly currentWorkflowId: string | null;
  readonly workflowId: string;
  constructor(
    contentTypeId: string,
    expectedWorkflowId: string | null,
    currentWorkflowId: string | null,
    workflowId: string,
    reason?: string,
  ) {
    super(
      workflowId,
      `content type "${contentTypeId}" changed since the plan was made: ${reason ?? `its workflow is now ${currentWorkflowId ?? "none"}, the plan saw ${expectedWorkflowId ?? "none"}`}; workflow ${workflowId} was not assigned (nothing written to it): make a new plan`,
      { code: "contensis_content_type_changed" },
    );
    this.contentTypeId = contentTypeId;
    this.expectedWorkflowId = expectedWorkflowId;
    this.currentWorkflowId = currentWorkflowId;
    this.workflowId = workflowId;
  }
}

/**
 * A definition breaks Contensis's rules: one about to be written (nothing is sent), or one read
 * from a file (`what`: the file; nothing is mapped). `issues` have paths into the definition.
 */
export class DefinitionRulesError extends WorkflowSyncError {
  readonly issues: Issue[];
  constructor(workflowId: string, issues: Issue[], what?: string) {
    super(
      "contensis_rules",
      `${what === undefined ? "" : `${what}: `}workflow definition "${workflowId}" breaks Contensis's rules${what === undefined ? ", so nothing is sent" : ""}:\n${issues
        .map((issue) => `  ${formatPath(issue.path)}: ${issue.message}`)
        .join("\n")}`,
    );
    this.issues = issues;
  }
}

/** A role changed since the plan read it: the PUT is not sent (it would overwrite that change). */
export class StaleRoleError extends StaleWriteError {
  readonly roleId: string;
  constructor(roleId: string, name: string) {
    super(
      `role:${name}`,
      `role "${name}" (${roleId}) changed since the plan was made; it was not written (make a new plan)`,
      { code: "stale_role" },
    );
    this.roleId = roleId;
  }
}

/**
 * Two workflows scope the same content type (in Kontent.ai they may, in different collections):
 * Contensis cannot hold that, and a sync would flip the content type between them on every run.
 */
export class ScopeOverlapError extends WorkflowSyncError {
  readonly overlaps: ScopeOverlap[];
  readonly path: Path = ["scope", "contentTypes"];
  constructor(overlaps: ScopeOverlap[], where: string) {
    super(
      "scope_overlap",
      `${where}: a Contensis content type has one workflow, but ${overlaps
        .map(
          (overlap) =>
            `content type "${overlap.contentType}" is in the scope of ${overlap.workflows.map((key) => `"${key}"`).join(" and ")}`,
        )
        .join("; ")}; limit each content type to one workflow (or rename with --map) before syncing`,
    );
    this.overlaps = overlaps;
  }
}
