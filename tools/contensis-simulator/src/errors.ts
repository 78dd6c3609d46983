import { randomUUID } from "node:crypto";

/**
 * Error bodies. DMH `key-concepts/errors.md`: every error is `{ logId (GUID), message, data, type }`;
 * validation errors use `type: "Validation"` and `data: [{ field?, message }]` (DMH
 * `roles/create-a-role.md`, `components/create-a-component.md`). The 401 body is documented as
 * `{"message": "Authorization has been denied for this request."}` (DMH `security/authorization.md`);
 * the simulator adds `logId`, `data` and `type` to it so that every error body carries a log id.
 */
export interface ErrorBody {
  logId: string;
  message: string;
  data: unknown;
  type: string;
}

export interface ValidationIssue {
  field?: string;
  message: string;
}

/** A response the router turns into an error body. */
export class ApiError extends Error {
  readonly status: number;
  readonly data: unknown;
  readonly type: string;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, data: unknown = null, type = "error", headers = {}) {
    super(message);
    this.status = status;
    this.data = data;
    this.type = type;
    this.headers = headers;
  }

  body(): ErrorBody {
    return { logId: randomUUID(), message: this.message, data: this.data, type: this.type };
  }
}

export const AUTH_DENIED = "Authorization has been denied for this request.";

export function notFound(message: string, data: unknown = null): ApiError {
  return new ApiError(404, message, data);
}

export function badRequest(message: string, data: unknown = null): ApiError {
  return new ApiError(400, message, data);
}

export function validationError(issues: ValidationIssue[], message = "Validation failed"): ApiError {
  return new ApiError(422, message, issues, "Validation");
}

/**
 * 409: "NotLatestVersion" for a write to a version that is not the latest (DMH
 * workflow-definitions update and invoking-workflow pages: "409 NotLatestVersion",
 * https://github.com/contensis/docs-management-http), "Conflict" for a create whose id exists.
 */
export function conflict(
  message: string,
  data: unknown = null,
  type: "NotLatestVersion" | "Conflict" = "Conflict",
): ApiError {
  return new ApiError(409, message, data, type);
}

/**
 * "If a workflow event is invoked that is not valid for the current state, then a WorkflowException
 * will be raised" (CD `management-http/key-concepts/workflow.md`). The status is not documented for
 * that case; CD `management-http/content/workflow.md` lists 422 for the events endpoint, so the
 * simulator answers 422 with `type: "WorkflowException"` (assumption).
 */
export function workflowException(message: string, data: unknown = null): ApiError {
  return new ApiError(422, message, data, "WorkflowException");
}

/** "If authorization is denied when invoking a workflow event then a 403 response is returned" (CD workflow key concepts). */
export function forbidden(message: string, data: unknown = null): ApiError {
  // The error table of DMH key-concepts/errors.md: 403 is type "AccessDenied".
  return new ApiError(403, message, data, "AccessDenied");
}
