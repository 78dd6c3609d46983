export type { RateWindow } from "./budget.ts";
export { windowFloorMs } from "./budget.ts";
export type {
  ErrorDescription,
  HttpClientOptions,
  HttpClientStats,
  HttpEvent,
  HttpMethod,
  HttpRequest,
  HttpResponse,
  RetryOptions,
} from "./client.ts";
export { DEFAULT_USER_AGENT, describeCommonError, HttpClient } from "./client.ts";
export type { RedactedRequest, RedactedResponse } from "./errors.ts";
export { HttpClientError, HttpError, NetworkError, SanitizedCause, UnclearWriteError } from "./errors.ts";
export type { PacerOptions, PacerSlot, PacerStats, RateLimit } from "./pacer.ts";
export { Pacer } from "./pacer.ts";
export { REDACTED, redact, redactHeaders, redactUrl, redactValue } from "./redact.ts";
export { parseRetryAfter } from "./retry-after.ts";
export type { LoadedOnce } from "./transport.ts";
export { loadOnce, requestsWritten } from "./transport.ts";
export { assertSecureUrl, InsecureUrlError } from "./url.ts";
