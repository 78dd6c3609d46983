/** Error bodies of the Management API: `{request_id, error_code, message, validation_errors?}` (SDK IContentManagementError). */
import { randomBytes } from "node:crypto";
import { ERROR_CODES, INVALID_BODY_MESSAGE } from "./constants.ts";

export interface ValidationIssue {
  message: string;
  /** JSON path into the request body, e.g. `steps[1].codename`. The early CM API guidelines show `path`, `line`, `position`. */
  path?: string;
}

export interface ErrorBody {
  request_id: string;
  error_code: number;
  message: string;
  validation_errors?: ValidationIssue[];
}

/** A request id shaped like the one of the documented 400 example of `DELETE /workflows` ("703be4d0773e5647"). */
export function newRequestId(): string {
  return randomBytes(8).toString("hex");
}

export class ApiError extends Error {
  readonly status: number;
  readonly errorCode: number;
  readonly validationErrors: ValidationIssue[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    errorCode: number,
    message: string,
    validationErrors?: ValidationIssue[],
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.errorCode = errorCode;
    this.validationErrors = validationErrors;
    this.headers = headers;
  }

  body(requestId: string): ErrorBody {
    const body: ErrorBody = { request_id: requestId, error_code: this.errorCode, message: this.message };
    if (this.validationErrors) body.validation_errors = this.validationErrors;
    return body;
  }
}

export function validationError(issues: ValidationIssue[]): ApiError {
  return new ApiError(400, ERROR_CODES.invalidBody, INVALID_BODY_MESSAGE, issues);
}

export function notFound(message: string): ApiError {
  return new ApiError(404, ERROR_CODES.notFound, message);
}

/** A request that is well formed but not allowed in the current state (e.g. publishing an archived variant). */
export function invalidOperation(message: string): ApiError {
  return new ApiError(400, ERROR_CODES.invalidOperation, message);
}
