import { redact } from "./redact.ts";

/** A request as it may be shown: credential headers and secrets scrubbed from the URL, headers and body. */
export interface RedactedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** A response as it may be shown: headers and body scrubbed; a non-JSON body is kept as truncated text. */
export interface RedactedResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON (scrubbed), or the truncated, scrubbed text when the body is not JSON. */
  body: unknown;
  /** The raw body text, truncated and scrubbed. */
  text: string;
}

function setName(error: Error, name: string): void {
  Object.defineProperty(error, "name", {
    value: name,
    enumerable: false,
    configurable: true,
    writable: true,
  });
}

/**
 * An error's cause with nothing left that could hold a secret: the original name, code and message (scrubbed),
 * and no options, headers or request objects (got's errors carry all of them).
 */
export class SanitizedCause extends Error {
  declare readonly code?: string;
  constructor(error: unknown, secrets: readonly string[]) {
    const source = error instanceof Error ? error : undefined;
    super(redact(source ? source.message : String(error), secrets));
    setName(this, source?.name ?? "Error");
    const code = (source as { code?: unknown } | undefined)?.code;
    if (typeof code === "string") this.code = code;
    this.stack = source?.stack ? redact(source.stack, secrets) : `${this.name}: ${this.message}`;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...(this.code ? { code: this.code } : {}) };
  }
}

/** The base of this package's request errors: a stable `code`, the redacted request, a one-line message. */
export class HttpClientError extends Error {
  readonly code: string;
  readonly request: RedactedRequest;

  constructor(code: string, message: string, request: RedactedRequest, cause?: SanitizedCause) {
    super(message, cause === undefined ? undefined : { cause });
    setName(this, new.target.name);
    this.code = code;
    this.request = request;
  }

  /** A plain object for `JSON.stringify` (name, code and message included; everything already scrubbed). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [key, value] of Object.entries(this)) if (!(key in out)) out[key] = value;
    if (this.cause instanceof SanitizedCause) out.cause = this.cause.toJSON();
    return out;
  }
}

/** A non-2xx answer after retries (or one that is not retried: 4xx, a 401 after renewal, …). */
export class HttpError extends HttpClientError {
  declare readonly code: "http_error";
  readonly status: number;
  readonly response: RedactedResponse;
  /** The vendor's error code (Kontent `error_code`, Contensis `type`, OAuth `error`, …). */
  declare readonly vendorCode?: string | number;
  /** The vendor's request id (Kontent `request_id`, Contensis `logId`, or an `x-request-id` header). */
  declare readonly requestId?: string;
  /** The vendor's details (validation errors, …), scrubbed. */
  declare readonly details?: unknown;
  /** Attempts made (1 when not retried). */
  readonly attempts: number;

  constructor(init: {
    message: string;
    request: RedactedRequest;
    response: RedactedResponse;
    vendorCode?: string | number | undefined;
    requestId?: string | undefined;
    details?: unknown;
    attempts: number;
  }) {
    super("http_error", init.message, init.request);
    this.status = init.response.status;
    this.response = init.response;
    if (init.vendorCode !== undefined) this.vendorCode = init.vendorCode;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.details !== undefined) this.details = init.details;
    this.attempts = init.attempts;
  }
}

/** An idempotent request (or one that provably never left) still failing at the network level after retries. */
export class NetworkError extends HttpClientError {
  declare readonly code: "network_error";
  declare readonly cause?: SanitizedCause;
  /** The network error code (`ECONNREFUSED`, `ETIMEDOUT`, `ECONNRESET`, …). */
  declare readonly errorCode?: string;
  readonly attempts: number;

  constructor(init: { message: string; request: RedactedRequest; cause: SanitizedCause; attempts: number }) {
    super("network_error", init.message, init.request, init.cause);
    if (init.cause.code !== undefined) this.errorCode = init.cause.code;
    this.attempts = init.attempts;
  }
}

/**
 * A non-idempotent request (POST) failed in a way that leaves open whether the server acted on it: a 5xx, a
 * timeout, or a connection dropped after the request was sent. It is never retried blindly: re-read the target
 * and decide.
 */
export class UnclearWriteError extends HttpClientError {
  declare readonly code: "unclear_write";
  declare readonly cause?: SanitizedCause;
  /** What happened: a 5xx answer, a timeout, or a dropped connection. */
  readonly reason: "server_error" | "timeout" | "connection";
  /** The 5xx status, when there was an answer. */
  declare readonly status?: number;
  declare readonly response?: RedactedResponse;
  declare readonly vendorCode?: string | number;
  declare readonly requestId?: string;
  declare readonly details?: unknown;
  readonly attempts: number;

  constructor(init: {
    message: string;
    request: RedactedRequest;
    reason: "server_error" | "timeout" | "connection";
    response?: RedactedResponse | undefined;
    vendorCode?: string | number | undefined;
    requestId?: string | undefined;
    details?: unknown;
    cause?: SanitizedCause | undefined;
    attempts: number;
  }) {
    super("unclear_write", init.message, init.request, init.cause);
    this.reason = init.reason;
    if (init.response !== undefined) {
      this.status = init.response.status;
      this.response = init.response;
    }
    if (init.vendorCode !== undefined) this.vendorCode = init.vendorCode;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.details !== undefined) this.details = init.details;
    this.attempts = init.attempts;
  }
}
