import {
  assertSecureUrl,
  type ErrorDescription,
  HttpClient,
  type HttpClientStats,
  HttpError,
  type HttpEvent,
  type HttpMethod,
  type HttpResponse,
  loadOnce,
  Pacer,
  type RateLimit,
  type RetryOptions,
  requestsWritten,
} from "@workflow-sync/http";
import type { z } from "zod";
import type { ContensisApiErrorDetails, ContensisValidationItem } from "./errors.ts";
import type { ContensisWorkflowDefinition, WireErrorBody } from "./wire.ts";

/*
 * A Contensis Management API client: client-credentials token, paced and retried requests through
 * @workflow-sync/http, zod-checked answers and typed errors.
 *
 * Token (docs/vendors/contensis.md §3; CMA `src/client/client.ts`, `scopes.ts`):
 * `POST {rootUrl}/authenticate/connect/token`, `Content-Type: application/x-www-form-urlencoded;charset=UTF-8`,
 * fields in the order the official client sends them: `scope`, `grant_type=client_credentials`,
 * `client_id`, `client_secret`; the scope is CMA's resource scopes. Fetched once, renewed shortly
 * before `expires_in` runs out (CMA renews 60 s before; here the lesser of 60 s and a tenth of the
 * lifetime, so short-lived tokens are still used) and once on a 401.
 *
 * Sending needs no zod: this module imports wire.ts (the zod schemas that read the answers) and
 * errors.ts (whose base classes come from core, with its schemas) only through `answers()`, a
 * dynamic import started once a project request holds its token. The token answer and error bodies
 * are read without zod (`readToken`, `readErrorBody`, each checked against its schema by
 * client.test.ts), so that the token request and the reads after it go out before zod is evaluated
 * (docs/performance.md, "Start-up").
 */

/** wire.ts and errors.ts: what reading an answer or naming a failure needs. */
type Answers = typeof import("./wire.ts") & typeof import("./errors.ts");

/** wire.ts and errors.ts, loaded once (prefetched with the first project request, while its answer travels). */
const answers = loadOnce(
  (): Promise<Answers> =>
    Promise.all([import("./wire.ts"), import("./errors.ts")]).then(([wire, errors]) => ({
      ...wire,
      ...errors,
    })),
);

/**
 * A schema of wire.ts, or how to pick one from wire.ts once it is loaded: a request given the
 * latter goes out before zod is loaded (see above).
 */
export type WireSchema<S extends z.ZodType> = S | ((wire: typeof import("./wire.ts")) => S);

const pick = <S extends z.ZodType>(wire: typeof import("./wire.ts"), schema: WireSchema<S>): S =>
  typeof schema === "function" ? schema(wire) : schema;

/** The scopes the official client sends for client credentials (CMA `src/client/scopes.ts`, `getResourcesScopes`). */
export const CLIENT_CREDENTIALS_SCOPE = [
  "Security_Administrator",
  "ContentType_Read",
  "ContentType_Write",
  "ContentType_Delete",
  "Entry_Read",
  "Entry_Write",
  "Entry_Delete",
  "Project_Read",
  "Project_Write",
  "Project_Delete",
  "Workflow_Administrator",
].join(" ");

export const TOKEN_PATH = "/authenticate/connect/token";

export interface ContensisClientOptions {
  /** The CMS root, e.g. `https://cms-example.cloud.contensis.com` (https, or http to a loopback host). */
  rootUrl: string;
  projectId: string;
  clientId: string;
  clientSecret: string;
  /** Pacing; default none (Contensis documents no rate limit). Ignored when `pacer` is given. */
  rateLimit?: RateLimit | false;
  /** A Pacer shared with other clients of the same environment. */
  pacer?: Pacer;
  /**
   * Requests of this project in flight at once (ignored when `pacer` is given): default 4 reads and
   * `DEFAULT_WRITE_CONCURRENCY` writes. Writes start in the order they are sent.
   */
  concurrency?: { reads?: number | undefined; writes?: number | undefined };
  /** Per attempt; default 30 s. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Progress lines (every request in an event is redacted). */
  onEvent?: (event: HttpEvent) => void;
  /** Items per page when reading paged lists; default 100. */
  pageSize?: number;
}

export interface ContensisRequest {
  method: HttpMethod;
  /** Relative to `/api/management/projects/{projectId}`, e.g. `/workflow/definitions`. */
  path: string;
  searchParams?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  idempotent?: boolean;
  kind?: "read" | "write";
}

export interface ContensisClient {
  readonly rootUrl: string;
  readonly projectId: string;
  /** The Pacer every request of this project goes through. */
  readonly pacer: Pacer;
  /** The path prefix of project requests: `/api/management/projects/{projectId}`. */
  readonly projectPath: string;
  /** A project request; a non-2xx answer is a `ContensisApiError` (network trouble: the http package's errors). */
  request<T = unknown>(request: ContensisRequest): Promise<HttpResponse<T>>;
  /** GET a project resource and check its shape. */
  get<S extends z.ZodType>(
    path: string,
    schema: WireSchema<S>,
    what: string,
    searchParams?: ContensisRequest["searchParams"],
  ): Promise<z.infer<S>>;
  /** Every item of a PagedList resource, page after page. */
  getAllPages<S extends z.ZodType>(
    path: string,
    item: WireSchema<S>,
    what: string,
    searchParams?: ContensisRequest["searchParams"],
  ): Promise<Array<z.infer<S>>>;
  /** Counters of the underlying HTTP client. */
  stats(): HttpClientStats;
  /** Drops the current token (the next request fetches a new one). */
  dropToken(): void;
  /**
   * Resolves once the requests this client has started have been handed to their sockets, those
   * that waited for a token included (`requestsWritten` of @workflow-sync/http, after the token).
   */
  requestsWritten(): Promise<void>;
  /** Definitions this client has read, by id (entries are checked against them without a request). */
  readonly definitions: Map<string, ContensisWorkflowDefinition>;
}

const PAGE_SIZE = 100;

/**
 * Writes in flight at once by default: four. Contensis documents no rate limit and no 429
 * (https://www.contensis.com/help-and-docs/apis/management-http), so only latency bounds a
 * sequential apply: 30 new definitions are 60 writes, about 9 s of round trips at 150 ms, about
 * 2.3 s four at a time (measured: docs/performance.md, "Overlapping requests"). Bounded so as not
 * to hammer a CMS that its editors share. An apply's journal names every request in flight, so a
 * resume after a crash tells its own landed writes from someone else's edits with several in flight
 * as with one. `concurrency: { writes: 1 }` sends one at a time.
 */
export const DEFAULT_WRITE_CONCURRENCY = 4;

/** The error body of a response, read leniently (a proxy's HTML page has none). */
export function apiErrorDetails(error: HttpError, method: string, path: string): ContensisApiErrorDetails {
  const body: WireErrorBody = readErrorBody(error.response.body) ?? {};
  const data = body.data;
  const validation: ContensisValidationItem[] = [];
  if (Array.isArray(data)) {
    for (const item of data) {
      if (item && typeof item === "object" && typeof (item as { message?: unknown }).message === "string") {
        const field = (item as { field?: unknown }).field;
        validation.push({
          ...(typeof field === "string" && field !== "" ? { field } : {}),
          message: (item as { message: string }).message,
        });
      }
    }
  }
  const details: ContensisApiErrorDetails = { status: error.status, method, path, validation };
  if (body.logId) details.logId = body.logId;
  if (body.type) details.type = body.type;
  if (body.message) details.vendorMessage = body.message;
  else if (typeof error.response.body === "string" && error.response.body.trim()) {
    details.vendorMessage = error.response.body.trim().split(/\r?\n/, 1)[0]?.slice(0, 200);
  }
  if (data !== undefined && data !== null) details.data = data;
  if (error.requestId && !body.logId) details.requestId = error.requestId;
  return details;
}

/**
 * A client for one Contensis project. Over 60 lines: one closure holds the token state that the
 * request headers, the 401 handler and `dropToken` share; the pieces without state are below.
 */
export function createContensisClient(options: ContensisClientOptions): ContensisClient {
  assertSecureUrl(options.rootUrl, "Contensis rootUrl");
  if (!options.projectId) throw new TypeError("Contensis projectId is required");
  if (!options.clientId || !options.clientSecret)
    throw new TypeError("Contensis clientId and clientSecret are required");
  const rootUrl = options.rootUrl.replace(/\/+$/, "");
  const projectPath = `/api/management/projects/${encodeURIComponent(options.projectId)}`;
  const pacer =
    options.pacer ??
    new Pacer({
      rateLimit: options.rateLimit ?? false,
      readConcurrency: options.concurrency?.reads ?? 4,
      writeConcurrency: options.concurrency?.writes ?? DEFAULT_WRITE_CONCURRENCY,
    });

  let token: { value: string; renewAt: number } | undefined;
  let fetching: Promise<string> | undefined;
  const secrets = () => (token ? [options.clientSecret, token.value] : [options.clientSecret]);

  const common = {
    baseUrl: rootUrl,
    pacer,
    secrets,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  };
  // Token requests go through their own client: a 401 from the token endpoint must not ask for a token.
  const tokenHttp = new HttpClient(common);
  const http = new HttpClient({
    ...common,
    headers: async () => {
      const value = await currentToken();
      answers.prefetch(); // the answer is read with them: they load while it travels
      return { Authorization: `Bearer ${value}` };
    },
    onUnauthorized: async () => {
      token = undefined;
      await currentToken();
    },
    describeError: (response) => describeErrorBody(response.body),
  });

  function currentToken(): Promise<string> {
    if (token && Date.now() < token.renewAt) return Promise.resolve(token.value);
    fetching ??= requestToken(tokenHttp, options)
      .then((fresh) => {
        token = fresh;
        return fresh.value;
      })
      .finally(() => {
        fetching = undefined;
      });
    return fetching;
  }

  const client: ContensisClient = {
    rootUrl,
    projectId: options.projectId,
    projectPath,
    pacer,
    definitions: new Map(),
    request: <T = unknown>(request: ContensisRequest) => projectRequest<T>(http, projectPath, request),
    async get(path, schema, what, searchParams) {
      const response = await client.request({
        method: "GET",
        path,
        ...(searchParams ? { searchParams } : {}),
      });
      const wire = await answers();
      return wire.parseWire(pick(wire, schema), response.body, what);
    },
    getAllPages: (path, item, what, searchParams) =>
      readAllPages(client, options.pageSize ?? PAGE_SIZE, path, item, what, searchParams),
    stats: () => sumStats(http.stats(), tokenHttp.stats()),
    dropToken() {
      token = undefined;
    },
    async requestsWritten() {
      await requestsWritten(); // the requests sent, or the token request they wait for
      while (fetching) {
        await fetching.catch(() => {}); // a refused token fails the requests: nothing more to wait for
        await requestsWritten();
      }
    },
  };
  return client;
}

/** The message, code, log id and validation details of a Contensis error body, when it has that shape. */
function describeErrorBody(body: unknown): ErrorDescription | undefined {
  const read = readErrorBody(body);
  if (!read) return undefined;
  return {
    ...(read.message ? { message: read.message } : {}),
    ...(read.type ? { code: read.type } : {}),
    ...(read.logId ? { requestId: read.logId } : {}),
    ...(read.data !== undefined && read.data !== null ? { details: read.data } : {}),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isTextOrNothing = (value: unknown) =>
  value === undefined || value === null || typeof value === "string";

/**
 * An error body read as wire.ts's `WireErrorBody` reads it (undefined where its safeParse fails),
 * written out without zod: the HTTP client describes an error body as soon as it arrives, which may
 * be before wire.ts is loaded. client.test.ts checks both agree on any input.
 */
export function readErrorBody(body: unknown): WireErrorBody | undefined {
  if (!isRecord(body)) return undefined;
  if (!isTextOrNothing(body.logId) || !isTextOrNothing(body.message) || !isTextOrNothing(body.type))
    return undefined;
  return body as WireErrorBody;
}

/**
 * A token answer read as wire.ts's `WireToken` reads it (undefined where its safeParse fails),
 * without zod: the reads wait for the token, and must not wait for zod. client.test.ts checks both
 * agree on any input; an answer this refuses is parsed with the schema, which names what is wrong.
 */
export function readToken(body: unknown): { access_token: string; expires_in: number } | undefined {
  if (!isRecord(body)) return undefined;
  const { access_token, expires_in, token_type } = body;
  if (typeof access_token !== "string" || access_token.length < 1) return undefined;
  if (typeof expires_in !== "number" || !Number.isFinite(expires_in) || !(expires_in > 0)) return undefined;
  if (token_type !== undefined && typeof token_type !== "string") return undefined;
  return { access_token, expires_in };
}

/** A new access token (client credentials grant), renewed a little before it expires. */
async function requestToken(
  tokenHttp: HttpClient,
  options: Pick<ContensisClientOptions, "clientId" | "clientSecret">,
): Promise<{ value: string; renewAt: number }> {
  let response: HttpResponse;
  try {
    response = await tokenHttp.request({
      method: "POST",
      path: TOKEN_PATH,
      // The order and content type of the official client (CMA getAuthenticatePayload).
      form: {
        scope: CLIENT_CREDENTIALS_SCOPE,
        grant_type: "client_credentials",
        client_id: options.clientId,
        client_secret: options.clientSecret,
      },
      headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
      auth: false,
      // Asking for a token twice does no harm: retried like a read.
      idempotent: true,
      kind: "read",
    });
  } catch (error) {
    if (error instanceof HttpError && error.status >= 400 && error.status < 500) {
      const body = error.response.body as { error?: unknown } | undefined;
      const { ContensisAuthError } = await answers();
      throw new ContensisAuthError(error.status, typeof body?.error === "string" ? body.error : undefined);
    }
    throw error;
  }
  let body = readToken(response.body);
  if (!body) {
    const wire = await answers(); // the schema names what is wrong (readToken agrees with it)
    body = wire.parseWire(wire.WireToken, response.body, "the token request");
  }
  const lifetimeMs = body.expires_in * 1000;
  const marginMs = Math.min(60_000, lifetimeMs / 10);
  return { value: body.access_token, renewAt: Date.now() + lifetimeMs - marginMs };
}

/** Every item of a paged list, page by page (`pageIndex`, `pageSize`) until the last. */
async function readAllPages<T extends z.ZodType>(
  client: ContensisClient,
  pageSize: number,
  path: string,
  item: WireSchema<T>,
  what: string,
  searchParams?: ContensisRequest["searchParams"],
): Promise<Array<z.infer<T>>> {
  // The page's schema is built once wire.ts is loaded (the first page goes out before), then kept.
  let paged: ReturnType<typeof import("./wire.ts").pagedList<T>> | undefined;
  const schema = (wire: typeof import("./wire.ts")) => {
    paged ??= wire.pagedList(pick(wire, item));
    return paged;
  };
  const items: Array<z.infer<T>> = [];
  for (let pageIndex = 0; ; pageIndex++) {
    const page = await client.get(path, schema, `${what} (page ${pageIndex})`, {
      ...searchParams,
      pageIndex,
      pageSize,
    });
    items.push(...(page.items as Array<z.infer<T>>));
    const pageCount = page.pageCount ?? Math.ceil(page.totalCount / Math.max(1, page.pageSize));
    if (page.items.length === 0 || items.length >= page.totalCount || pageIndex + 1 >= pageCount) break;
  }
  return items;
}

/** A project request (`path` under `/api/management/projects/{projectId}`); a non-2xx answer is a `ContensisApiError`. */
async function projectRequest<T>(
  http: HttpClient,
  projectPath: string,
  request: ContensisRequest,
): Promise<HttpResponse<T>> {
  const path = `${projectPath}${request.path.startsWith("/") ? request.path : `/${request.path}`}`;
  try {
    return await http.request<T>({
      method: request.method,
      path,
      ...(request.searchParams ? { searchParams: request.searchParams } : {}),
      ...(request.json !== undefined ? { json: request.json } : {}),
      ...(request.idempotent !== undefined ? { idempotent: request.idempotent } : {}),
      ...(request.kind ? { kind: request.kind } : {}),
    });
  } catch (error) {
    if (error instanceof HttpError) {
      const { ContensisApiError } = await answers();
      throw new ContensisApiError(apiErrorDetails(error, request.method, path), { cause: error });
    }
    throw error;
  }
}

/** The API client's and the token client's counters, added up. */
function sumStats(api: HttpClientStats, auth: HttpClientStats): HttpClientStats {
  return {
    requests: api.requests + auth.requests,
    throttled: api.throttled + auth.throttled,
    retries: api.retries + auth.retries,
    waitedMs: api.waitedMs + auth.waitedMs,
  };
}
