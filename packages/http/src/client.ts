import {
  HttpError,
  NetworkError,
  type RedactedRequest,
  type RedactedResponse,
  SanitizedCause,
  UnclearWriteError,
} from "./errors.ts";
import { Pacer, type PacerSlot } from "./pacer.ts";
import {
  isSensitiveField,
  isSensitiveHeader,
  isSensitiveParam,
  redact,
  redactHeaders,
  redactUrl,
  redactValue,
  truncate,
} from "./redact.ts";
import { parseRetryAfter } from "./retry-after.ts";
import { send, statusText, TransportError, type TransportResponse } from "./transport.ts";
import { assertSecureUrl } from "./url.ts";
import { now, sleep, WaitClock } from "./wait.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface HttpRequest {
  method: HttpMethod;
  /** Appended to `baseUrl` (an absolute URL is accepted only on the same origin as `baseUrl`). */
  path: string;
  searchParams?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded` (OAuth token requests). */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Default: true for GET/PUT/DELETE, false for POST. A non-idempotent request is never retried blindly. */
  idempotent?: boolean;
  /** Which queue of the Pacer: default GET → read, others → write. */
  kind?: "read" | "write";
  /** Default true: add the client's auth headers. */
  auth?: boolean;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON; `undefined` for an empty body; the text itself when the body is not JSON. */
  body: T;
  text: string;
  request: RedactedRequest;
}

export interface ErrorDescription {
  message?: string;
  code?: string | number;
  requestId?: string | undefined;
  details?: unknown;
}

export interface RetryOptions {
  /** Retries after the first attempt; default 5. */
  limit?: number;
  /** First backoff delay; default 250 ms (doubling each retry, jittered between half and all of it). */
  baseDelayMs?: number;
  /** Backoff ceiling; default 8_000 ms. */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the request fails; default 120_000 ms. */
  maxRetryAfterMs?: number;
}

export type HttpEvent =
  | { type: "request"; request: RedactedRequest; attempt: number }
  | { type: "response"; request: RedactedRequest; attempt: number; status: number; durationMs: number }
  | {
      type: "retry";
      request: RedactedRequest;
      attempt: number;
      reason: "server_error" | "network_error" | "timeout" | "unauthorized";
      status?: number;
      waitMs: number;
      message: string;
    }
  | {
      type: "throttled";
      request: RedactedRequest;
      attempt: number;
      status: 429;
      waitMs: number;
      /** From the `Retry-After` header; absent when the server sent none (the wait is then a backoff). */
      retryAfterMs?: number;
    };

export interface HttpClientOptions {
  baseUrl: string;
  /** Default: a new Pacer with no limit. Share one Pacer between all clients of one environment. */
  pacer?: Pacer;
  /** Auth headers; may fetch a token. Called before each request (outside the Pacer's queues). */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  /** On a 401: called once (renew the token), then the request is retried once. */
  onUnauthorized?: () => Promise<void>;
  /** Every secret or token to scrub from errors and events (auth header values are scrubbed as well). */
  secrets?: () => readonly string[];
  /** Per attempt; default 30_000 ms. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Reads the vendor's error body; what it leaves out comes from the built-in reading of common shapes. */
  describeError?: (response: HttpResponse) => ErrorDescription | undefined;
  userAgent?: string;
  /** Progress and `--verbose` lines; every request in an event is redacted. Exceptions thrown here are ignored. */
  onEvent?: (event: HttpEvent) => void;
}

export interface HttpClientStats {
  /** Attempts sent. */
  requests: number;
  /** 429s received. */
  throttled: number;
  /** Attempts after the first, for any reason. */
  retries: number;
  /** Wall-clock ms this client's requests spent waiting for budget, Retry-After and backoff. */
  waitedMs: number;
}

export const DEFAULT_USER_AGENT = "workflow-sync (@workflow-sync/http)";
const ERROR_TEXT_LIMIT = 2_000;
const MESSAGE_LIMIT = 300;
/** Connecting (DNS, TCP, TLS) gets its own limit so that a timeout there is known to be before sending. */
const CONNECT_TIMEOUT_MS = 10_000;

/** Errors raised before anything was sent: nothing can have reached the server. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EADDRNOTAVAIL",
]);
/** Network errors worth another attempt (for an idempotent request, or a request that was not sent). */
const RETRY_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ENETDOWN",
  "EADDRNOTAVAIL",
  "ERR_STREAM_PREMATURE_CLOSE",
  "HPE_INVALID_CONSTANT",
  "ERR_HTTP_PARSER",
]);

interface Prepared {
  method: HttpMethod;
  url: string;
  idempotent: boolean;
  headers: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  secrets: readonly string[];
  redacted: RedactedRequest;
}

interface AttemptsResult {
  kind: "ok" | "unauthorized";
  response: HttpResponse;
  attempts: number;
}

function integer(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min) throw new RangeError(`${name} must be a number ≥ ${min}`);
  return value;
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[name.toLowerCase()] = String(value);
  }
  return out;
}

/** Values of auth headers, and the credential after an auth scheme ("Bearer abc" → "abc"). */
function headerSecrets(headers: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!isSensitiveHeader(name) || !value) continue;
    out.push(value);
    const credential = /^\s*[A-Za-z][\w.+-]*\s+(\S.*)$/.exec(value)?.[1];
    if (credential) out.push(credential);
  }
  return out;
}

/**
 * Values of credential-named fields (query parameters, form and JSON fields such as `client_secret`), so that a
 * server echoing them back cannot leak them either. Very short values are left alone (too common to scrub).
 */
function credentialValues(
  value: unknown,
  sensitive: (name: string) => boolean = isSensitiveField,
  depth = 0,
  out: string[] = [],
): string[] {
  if (depth > 8 || value === null || typeof value !== "object") return out;
  for (const [key, item] of Object.entries(value)) {
    if (sensitive(key) && (typeof item === "string" || typeof item === "number")) {
      const text = String(item);
      if (text.length >= 4) out.push(text);
    } else if (typeof item === "object") credentialValues(item, sensitive, depth + 1, out);
  }
  return out;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text.trim() === "") return undefined;
  const looksJson = /json/i.test(contentType ?? "") || /^\s*[[{"]/.test(text);
  if (!looksJson) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === "string" && value.trim() !== "") return value;
  return undefined;
}

function firstCode(...values: unknown[]): string | number | undefined {
  for (const value of values) {
    if (typeof value === "number" && Number.isFinite(value)) return value;
    if (typeof value === "string" && value.trim() !== "") return value;
  }
  return undefined;
}

/** Text of an HTML page's <title> (or first <h1>), for an error page from a proxy or load balancer. */
function htmlHeadline(text: string): string | undefined {
  const match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text) ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(text);
  const headline = match?.[1]
    ?.replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return headline || undefined;
}

/**
 * The built-in reading of error bodies: Kontent.ai (`message`, `error_code`, `request_id`,
 * `validation_errors`), Contensis (`message`, `type`, `logId`, `data`), OAuth (`error`, `error_description`),
 * problem+json (`title`, `detail`), HTML error pages (`<title>`), and request-id headers.
 */
export function describeCommonError(response: HttpResponse): ErrorDescription {
  const body = response.body;
  const out: ErrorDescription = {};
  if (isRecord(body)) {
    const nested = isRecord(body.error) ? body.error : undefined;
    const message = firstString(
      body.message,
      body.Message,
      body.error_description,
      nested?.message,
      body.detail,
      body.title,
      typeof body.error === "string" ? body.error : undefined,
    );
    if (message !== undefined) out.message = message;
    const code = firstCode(
      body.error_code,
      body.errorCode,
      body.code,
      nested?.code,
      body.type,
      typeof body.error === "string" && body.error !== message ? body.error : undefined,
    );
    if (code !== undefined) out.code = code;
    const requestId = firstString(body.request_id, body.requestId, body.logId, body.traceId, body.trace_id);
    if (requestId !== undefined) out.requestId = requestId;
    const details = [body.validation_errors, body.errors, body.data, body.details].find(
      (value) => value !== undefined && value !== null,
    );
    if (details !== undefined) out.details = details;
  } else if (typeof body === "string" && body.trim() !== "") {
    const headline = htmlHeadline(body) ?? body.trim().split(/\r?\n/, 1)[0];
    if (headline) out.message = headline;
  }
  out.requestId ??= firstString(
    header(response.headers, "x-request-id"),
    header(response.headers, "request-id"),
    header(response.headers, "x-correlation-id"),
  );
  if (out.requestId === undefined) delete out.requestId;
  return out;
}

/** Up to three messages from validation details (`[{message}]`, `[{field, message}]`). */
function detailMessages(details: unknown): string | undefined {
  if (!Array.isArray(details)) return undefined;
  const messages: string[] = [];
  for (const item of details) {
    if (typeof item === "string") messages.push(item);
    else if (isRecord(item) && typeof item.message === "string") {
      const field = firstString(item.field, item.property, item.path);
      messages.push(field ? `${field}: ${item.message}` : item.message);
    }
  }
  if (messages.length === 0) return undefined;
  const shown = messages.slice(0, 3).join("; ");
  return messages.length > 3 ? `${shown} (and ${messages.length - 3} more)` : shown;
}

function oneLine(text: string, limit = MESSAGE_LIMIT): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
}

function statusLine(status: number): string {
  const phrase = statusText(status);
  return phrase ? `${status} ${phrase}` : String(status);
}

/** Nothing can have reached the server: no connection was made (or, for https, no TLS session). */
function provablyNotSent(error: TransportError, url: string): boolean {
  if (NOT_SENT_CODES.has(error.code)) return true;
  if (!error.connected) return true;
  return url.startsWith("https:") && !error.secured;
}

/**
 * An HTTP client for one vendor environment: JSON in and out, auth headers, scrubbed errors, retries
 * (429 with Retry-After for every method; 5xx, timeouts and network errors for idempotent requests) and
 * pacing through a shared `Pacer`.
 */
export class HttpClient {
  readonly #baseUrl: URL;
  readonly #pacer: Pacer;
  readonly #options: HttpClientOptions;
  readonly #timeoutMs: number;
  readonly #limit: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #maxRetryAfterMs: number;
  readonly #waited = new WaitClock();
  #requests = 0;
  #throttled = 0;
  #retries = 0;
  #renewing: Promise<void> | undefined;

  constructor(options: HttpClientOptions) {
    assertSecureUrl(options.baseUrl, "baseUrl");
    this.#baseUrl = new URL(options.baseUrl);
    this.#options = options;
    this.#pacer = options.pacer ?? new Pacer();
    this.#timeoutMs = integer("timeoutMs", options.timeoutMs, 30_000, 1);
    this.#limit = Math.floor(integer("retry.limit", options.retry?.limit, 5, 0));
    this.#baseDelayMs = integer("retry.baseDelayMs", options.retry?.baseDelayMs, 250, 0);
    this.#maxDelayMs = integer("retry.maxDelayMs", options.retry?.maxDelayMs, 8_000, 0);
    this.#maxRetryAfterMs = integer("retry.maxRetryAfterMs", options.retry?.maxRetryAfterMs, 120_000, 0);
  }

  /** The Pacer this client draws from. */
  get pacer(): Pacer {
    return this.#pacer;
  }

  stats(): HttpClientStats {
    return {
      requests: this.#requests,
      throttled: this.#throttled,
      retries: this.#retries,
      waitedMs: Math.round(this.#waited.total()),
    };
  }

  /** Sends a request; resolves with a 2xx response, otherwise throws HttpError, NetworkError or UnclearWriteError. */
  async request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>> {
    const method = request.method;
    if (!["GET", "POST", "PUT", "DELETE"].includes(method)) {
      throw new TypeError(`Unsupported method ${String(method)}`);
    }
    const url = this.#url(request);
    const idempotent = request.idempotent ?? method !== "POST";
    const kind = request.kind ?? (method === "GET" ? "read" : "write");
    let renewed = false;
    let attempts = 0;
    for (;;) {
      // Auth headers are fetched outside the Pacer's queues: fetching a token may itself need the Pacer.
      const auth = request.auth === false ? {} : lowerCaseKeys(await this.#options.headers?.());
      const prepared = this.#prepare(request, url, idempotent, auth);
      const result = await this.#pacer.run(kind, (slot) => this.#attempts(prepared, slot, attempts));
      attempts = result.attempts;
      if (result.kind === "ok") return result.response as HttpResponse<T>;
      // 401: renew once (the Pacer slot is released meanwhile), then one more try.
      if (this.#options.onUnauthorized && !renewed) {
        renewed = true;
        this.#retries++;
        this.#emit({
          type: "retry",
          request: prepared.redacted,
          attempt: attempts,
          reason: "unauthorized",
          status: 401,
          waitMs: 0,
          message: "401 Unauthorized: renewing credentials",
        });
        await this.#renew();
        continue;
      }
      throw this.#httpError(prepared, result.response, attempts);
    }
  }

  #url(request: HttpRequest): string {
    let url: URL;
    if (/^https?:\/\//i.test(request.path)) {
      url = new URL(request.path);
      if (url.origin !== this.#baseUrl.origin) {
        throw new TypeError(`Refusing to send credentials to another origin than ${this.#baseUrl.origin}`);
      }
    } else {
      const base = this.#baseUrl.href.replace(/[?#].*$/, "").replace(/\/+$/, "");
      const path = request.path.startsWith("/") ? request.path : `/${request.path}`;
      url = new URL(base + path);
    }
    for (const [name, value] of Object.entries(request.searchParams ?? {})) {
      if (value !== undefined) url.searchParams.append(name, String(value));
    }
    return url.href;
  }

  #prepare(request: HttpRequest, url: string, idempotent: boolean, auth: Record<string, string>): Prepared {
    const headers: Record<string, string> = {
      "user-agent": this.#options.userAgent ?? DEFAULT_USER_AGENT,
      accept: "application/json",
      ...auth,
      ...lowerCaseKeys(request.headers),
    };
    const secrets = [
      ...(this.#options.secrets?.() ?? []),
      ...headerSecrets(headers),
      ...credentialValues(request.searchParams, isSensitiveParam),
      ...credentialValues(request.form),
      ...credentialValues(request.json),
    ];
    const redacted: RedactedRequest = {
      method: request.method,
      url: redactUrl(url, secrets),
      headers: redactHeaders(headers, secrets),
    };
    if (request.json !== undefined) redacted.body = redactValue(request.json, secrets);
    else if (request.form !== undefined) redacted.body = redactValue(request.form, secrets);
    const prepared: Prepared = { method: request.method, url, idempotent, headers, secrets, redacted };
    if (request.json !== undefined) prepared.json = request.json;
    if (request.form !== undefined) prepared.form = request.form;
    return prepared;
  }

  /** One renewal at a time: requests refused together share it. */
  async #renew(): Promise<void> {
    let renewing = this.#renewing;
    if (renewing === undefined) {
      const started = Promise.resolve().then(() => this.#options.onUnauthorized?.());
      renewing = started;
      this.#renewing = started;
      const clear = () => {
        if (this.#renewing === started) this.#renewing = undefined;
      };
      started.then(clear, clear);
    }
    await renewing;
  }

  #emit(event: HttpEvent): void {
    try {
      this.#options.onEvent?.(event);
    } catch {
      // a progress hook must not break requests
    }
  }

  #backoff(retry: number): number {
    const ceiling = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** Math.max(0, retry - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  async #wait(ms: number): Promise<void> {
    const start = now();
    await sleep(ms);
    this.#waited.add(start, now());
  }

  /** All attempts of one request, holding its place in the Pacer's queue. */
  async #attempts(prepared: Prepared, slot: PacerSlot, before: number): Promise<AttemptsResult> {
    this.#waited.add(now() - slot.waitedMs, now());
    for (let attempt = before + 1; ; attempt++) {
      if (attempt > before + 1) {
        const waited = await slot.nextAttempt();
        this.#waited.add(now() - waited, now());
      }
      this.#requests++;
      this.#emit({ type: "request", request: prepared.redacted, attempt });
      const started = now();
      let raw: TransportResponse;
      try {
        raw = await this.#send(prepared);
        slot.sent(sentAt(raw.sentAt), onPacerClock(raw.answeredAt));
      } catch (error) {
        slot.sent();
        const wait = this.#onNetworkError(prepared, error, attempt);
        await this.#wait(wait);
        continue;
      }
      const response = this.#response(prepared, raw);
      const status = response.status;
      this.#emit({
        type: "response",
        request: prepared.redacted,
        attempt,
        status,
        durationMs: Math.round(now() - started),
      });
      if (status >= 200 && status < 300) return { kind: "ok", response, attempts: attempt };
      if (status === 401) return { kind: "unauthorized", response, attempts: attempt };
      if (status === 429) {
        // The request was not processed: retried whatever the method (the pacer holds the next attempt).
        this.#onThrottled(prepared, response, attempt);
        continue;
      }
      if (status >= 500 || status === 408) {
        await this.#wait(this.#onServerError(prepared, response, attempt));
        continue;
      }
      throw this.#httpError(prepared, response, attempt);
    }
  }

  /** A 429: everyone pauses for Retry-After (or the backoff); throws when it is too long or retries ran out. */
  #onThrottled(prepared: Prepared, response: HttpResponse, attempt: number): void {
    this.#throttled++;
    const retryAfterMs = parseRetryAfter(response.headers["retry-after"]);
    if (retryAfterMs !== undefined && retryAfterMs > this.#maxRetryAfterMs) {
      throw this.#httpError(
        prepared,
        response,
        attempt,
        `Retry-After ${Math.ceil(retryAfterMs / 1000)} s exceeds the ${Math.round(this.#maxRetryAfterMs / 1000)} s this client waits`,
      );
    }
    // The whole environment is over its budget: everyone pauses, not just this request (even if it gives up).
    const waitMs = retryAfterMs ?? this.#backoff(attempt);
    this.#pacer.throttled(waitMs);
    this.#emit({
      type: "throttled",
      request: prepared.redacted,
      attempt,
      status: 429,
      waitMs: Math.round(waitMs),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
    if (attempt > this.#limit) throw this.#httpError(prepared, response, attempt);
    this.#retries++;
  }

  /** A 5xx or 408: how long to wait before the retry; throws when the request may not be retried. */
  #onServerError(prepared: Prepared, response: HttpResponse, attempt: number): number {
    const { status } = response;
    if (!prepared.idempotent) throw this.#unclearFromResponse(prepared, response, attempt);
    if (attempt > this.#limit) throw this.#httpError(prepared, response, attempt);
    const retryAfterMs = parseRetryAfter(response.headers["retry-after"]);
    const waitMs =
      retryAfterMs !== undefined && retryAfterMs <= this.#maxRetryAfterMs
        ? Math.max(retryAfterMs, this.#backoff(attempt))
        : this.#backoff(attempt);
    this.#retries++;
    this.#emit({
      type: "retry",
      request: prepared.redacted,
      attempt,
      reason: "server_error",
      status,
      waitMs: Math.round(waitMs),
      message: statusLine(status),
    });
    return waitMs;
  }

  #send(prepared: Prepared): Promise<TransportResponse> {
    const headers = { ...prepared.headers };
    let body: string | undefined;
    if (prepared.json !== undefined) {
      headers["content-type"] ??= "application/json";
      body = JSON.stringify(prepared.json);
    } else if (prepared.form !== undefined) {
      headers["content-type"] ??= "application/x-www-form-urlencoded";
      body = new URLSearchParams(prepared.form).toString();
    }
    return send({
      method: prepared.method,
      url: prepared.url,
      headers,
      ...(body === undefined ? {} : { body }),
      connectTimeoutMs: Math.min(this.#timeoutMs, CONNECT_TIMEOUT_MS),
      timeoutMs: this.#timeoutMs,
      // Writes go on a fresh connection each: a pooled keep-alive connection the server has just
      // closed would turn a harmless reset into an unclear write.
      freshConnection: !prepared.idempotent,
    });
  }

  /**
   * Decides what a network-level failure means: throws UnclearWriteError / NetworkError, or returns the
   * backoff before the next attempt.
   */
  #onNetworkError(prepared: Prepared, error: unknown, attempt: number): number {
    const cause = new SanitizedCause(error, prepared.secrets);
    const requestError = error instanceof TransportError ? error : undefined;
    const code = requestError?.code ?? cause.code ?? "";
    const timedOut = code === "ETIMEDOUT" || requestError?.timedOut === true;
    const notSent = requestError !== undefined && provablyNotSent(requestError, prepared.url);
    const what = timedOut ? `timed out after ${this.#timeoutMs} ms` : oneLine(cause.message);
    if (!prepared.idempotent && !notSent) {
      throw new UnclearWriteError({
        message:
          `${prepared.method} ${prepared.redacted.url}: unclear whether the write landed ` +
          `(${timedOut ? what : `connection failed after the request was sent: ${what}`}); ` +
          "re-read the target before trying again",
        request: prepared.redacted,
        reason: timedOut ? "timeout" : "connection",
        cause,
        attempts: attempt,
      });
    }
    const retryable = requestError !== undefined && (timedOut || RETRY_CODES.has(code));
    if (!retryable || attempt > this.#limit) {
      const attempts = attempt > 1 ? ` (after ${attempt} attempts)` : "";
      throw new NetworkError({
        message: `${prepared.method} ${prepared.redacted.url} failed: ${what}${code && !what.includes(code) ? ` (${code})` : ""}${attempts}`,
        request: prepared.redacted,
        cause,
        attempts: attempt,
      });
    }
    const waitMs = this.#backoff(attempt);
    this.#retries++;
    this.#emit({
      type: "retry",
      request: prepared.redacted,
      attempt,
      reason: timedOut ? "timeout" : "network_error",
      waitMs: Math.round(waitMs),
      message: code || what,
    });
    return waitMs;
  }

  #response(prepared: Prepared, raw: TransportResponse): HttpResponse {
    const text = raw.text;
    const headers = raw.headers;
    return {
      status: raw.status,
      headers,
      body: parseBody(text, header(headers, "content-type")),
      text,
      request: prepared.redacted,
    };
  }

  #describe(response: HttpResponse): ErrorDescription {
    const common = describeCommonError(response);
    let custom: ErrorDescription | undefined;
    try {
      custom = this.#options.describeError?.(response);
    } catch {
      custom = undefined;
    }
    return {
      ...common,
      ...Object.fromEntries(Object.entries(custom ?? {}).filter(([, v]) => v !== undefined)),
    };
  }

  #redactedResponse(prepared: Prepared, response: HttpResponse): RedactedResponse {
    const secrets = prepared.secrets;
    const text = truncate(redact(response.text, secrets), ERROR_TEXT_LIMIT);
    const body = typeof response.body === "string" ? text : redactValue(response.body, secrets);
    return { status: response.status, headers: redactHeaders(response.headers, secrets), body, text };
  }

  /** "vendor message: details (code 5, request id abc, 3 attempts)" with everything scrubbed. */
  #explain(prepared: Prepared, response: HttpResponse, attempts: number, note?: string) {
    const secrets = prepared.secrets;
    const description = this.#describe(response);
    const vendorMessage = description.message ? redact(oneLine(description.message), secrets) : undefined;
    const details = description.details === undefined ? undefined : redactValue(description.details, secrets);
    const detailText = detailMessages(details);
    const vendorCode =
      typeof description.code === "string" ? redact(description.code, secrets) : description.code;
    const requestId = description.requestId ? redact(description.requestId, secrets) : undefined;
    const facts = [
      vendorCode !== undefined ? `code ${vendorCode}` : undefined,
      requestId ? `request id ${requestId}` : undefined,
      attempts > 1 ? `${attempts} attempts` : undefined,
    ].filter(Boolean);
    let text = statusLine(response.status);
    const said = [vendorMessage, detailText ? redact(oneLine(detailText), secrets) : undefined]
      .filter(Boolean)
      .join(": ");
    if (said && said.toLowerCase() !== text.toLowerCase()) text += `: ${said}`;
    if (note) text += `; ${note}`;
    if (facts.length > 0) text += ` (${facts.join(", ")})`;
    return { text, vendorCode, requestId, details };
  }

  #httpError(prepared: Prepared, response: HttpResponse, attempts: number, note?: string): HttpError {
    const explained = this.#explain(prepared, response, attempts, note);
    return new HttpError({
      message: `${prepared.method} ${prepared.redacted.url} failed with ${explained.text}`,
      request: prepared.redacted,
      response: this.#redactedResponse(prepared, response),
      vendorCode: explained.vendorCode,
      requestId: explained.requestId,
      details: explained.details,
      attempts,
    });
  }

  #unclearFromResponse(prepared: Prepared, response: HttpResponse, attempts: number): UnclearWriteError {
    const explained = this.#explain(prepared, response, attempts);
    return new UnclearWriteError({
      message:
        `${prepared.method} ${prepared.redacted.url}: unclear whether the write landed (answered ${explained.text}); ` +
        "re-read the target before trying again",
      request: prepared.redacted,
      reason: "server_error",
      response: this.#redactedResponse(prepared, response),
      vendorCode: explained.vendorCode,
      requestId: explained.requestId,
      details: explained.details,
      attempts,
    });
  }
}

/**
 * When a request went out, on the Pacer's clock: the transport's `sentAt` (epoch ms, when the request was written
 * to the socket), or now. The server sees it about then (a small body goes in one packet); a window counts it from then.
 */
function sentAt(upload: number | undefined): number {
  return upload === undefined ? now() : onPacerClock(upload);
}

/** An epoch-ms time of the transport on the Pacer's clock (never later than now). */
function onPacerClock(epochMs: number): number {
  const at = now();
  if (!Number.isFinite(epochMs)) return at;
  return Math.min(at, at - (Date.now() - epochMs));
}
