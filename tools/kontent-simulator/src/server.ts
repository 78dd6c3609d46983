/**
 * The HTTP server: request pipeline (faults → environment → auth → rate limit → route), admin endpoints and the
 * request log.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { authenticate } from "./auth.ts";
import { ERROR_CODES, RATE_LIMIT_MESSAGE } from "./constants.ts";
import { ApiError, newRequestId, notFound, validationError } from "./errors.ts";
import { FaultInjector, type FaultKind, type FaultPlan } from "./faults.ts";
import { DEFAULT_RATE_LIMIT, type RateLimit, RateLimiter } from "./rate-limit.ts";
import { dispatch, type Reply } from "./routes.ts";
import { buildEnvironments, resolveSeed } from "./seeds.ts";
import type { Environment } from "./state.ts";
import type { EnvironmentState, KontentSeed } from "./types.ts";

export interface KontentSimulatorOptions {
  /** Object or path to a JSON file; default: the built-in demo seed (seeds/demo.json). */
  seed?: KontentSeed | string;
  /** 0 (default) = a free port. */
  port?: number;
  /** Default { perSecond: 10, perMinute: 400 }, per environment ([LIM]). */
  rateLimit?: RateLimit | false;
  faults?: FaultPlan;
  /**
   * Milliseconds every API answer is held back after the request was counted and handled, as a network round
   * trip and server time would (loopback answers in about a millisecond; a real API is further away). Default 0.
   */
  latencyMs?: number;
  /**
   * Page size of paged lists (content types, languages). Default 50: an assumption. Listings are "dynamically
   * paginated" and clients must follow `continuation_token` (an early CM API guideline says "up to 100 objects" per
   * page for items and assets; the page size of content types is not documented).
   */
  pageSize?: number;
}

export interface KontentSimulator {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + "/v2": what the SDK's `baseUrl` and our adapter take. */
  baseUrl: string;
  close(): Promise<void>;
  /** The request log (admin requests excluded). */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Deep copy: workflows (wire format), roles, types, collections, variants… */
  state(environmentId: string): EnvironmentState;
  setFaults(plan: FaultPlan | undefined): void;
  setRateLimit(limit: RateLimit | false): void;
  /** See `latencyMs` of the options. */
  setLatency(ms: number): void;
  /** Rebuilds all environments from `seed`, or from the seed given at start; clears the rate-limit windows. */
  reset(seed?: KontentSeed): void;
}

export interface RequestLogEntry {
  time: string;
  method: string;
  /** The URL path without query, e.g. `/v2/projects/ID/workflows`. */
  path: string;
  /** 0 when no response was sent (dropped connection). */
  status: number;
  environmentId?: string;
  fault?: FaultKind;
  /** Any method but GET, HEAD and OPTIONS. */
  write: boolean;
  durationMs: number;
}

export const DEFAULT_PAGE_SIZE = 50;
const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function startKontentSimulator(
  options: KontentSimulatorOptions = {},
): Promise<KontentSimulator> {
  const core = new SimulatorCore(options);
  return core.start(options.port ?? 0);
}

class SimulatorCore {
  private initialSeed: KontentSeed;
  private environments: Map<string, Environment>;
  private readonly log: RequestLogEntry[] = [];
  private readonly rateLimiter: RateLimiter;
  private readonly faults: FaultInjector;
  private readonly pageSize: number;
  private latencyMs: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server: Server;
  private origin = "";
  private closed = false;

  constructor(options: KontentSimulatorOptions) {
    this.initialSeed = resolveSeed(options.seed);
    this.environments = buildEnvironments(structuredClone(this.initialSeed));
    this.rateLimiter = new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
    this.faults = new FaultInjector(options.faults);
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.latencyMs = checkLatency(options.latencyMs ?? 0);
    if (!(Number.isInteger(this.pageSize) && this.pageSize > 0))
      throw new Error("pageSize must be a positive integer.");
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        // Last resort: never leave a request hanging on a simulator bug.
        if (!res.headersSent) sendJson(res, 500, { message: String(error) }, newRequestId());
        else res.destroy();
      });
    });
  }

  async start(port: number): Promise<KontentSimulator> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${address.port}`;
    return {
      url: this.origin,
      baseUrl: `${this.origin}/v2`,
      close: () => this.close(),
      requests: () => structuredClone(this.log),
      clearRequests: () => {
        this.log.length = 0;
      },
      state: (environmentId) => this.requireEnvironment(environmentId).snapshot(),
      setFaults: (plan) => this.faults.set(plan),
      setRateLimit: (limit) => this.rateLimiter.set(limit),
      setLatency: (ms) => {
        this.latencyMs = checkLatency(ms);
      },
      reset: (seed) => this.reset(seed),
    };
  }

  private reset(seed?: KontentSeed): void {
    this.environments = buildEnvironments(structuredClone(seed ?? this.initialSeed));
    this.rateLimiter.reset();
  }

  private requireEnvironment(environmentId: string): Environment {
    const env = this.environments.get(environmentId);
    if (!env) throw new Error(`Unknown environment '${environmentId}'.`);
    return env;
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const time = new Date().toISOString();
    const url = new URL(req.url ?? "/", this.origin || "http://127.0.0.1");
    const method = (req.method ?? "GET").toUpperCase();
    if (url.pathname === "/__admin" || url.pathname.startsWith("/__admin/")) {
      await this.handleAdmin(req, res, url, method);
      return;
    }

    const write = !READ_METHODS.has(method);
    const environmentId = safeDecode(/^\/v2\/projects\/([^/]+)/.exec(url.pathname)?.[1]);
    const fault = this.faults.decide(method, url.pathname, write);
    const record = (status: number) => {
      const entry: RequestLogEntry = { time, method, path: url.pathname, status, write, durationMs: 0 };
      if (environmentId !== undefined) entry.environmentId = environmentId;
      if (fault !== undefined) entry.fault = fault;
      entry.durationMs = Math.round((performance.now() - started) * 10) / 10;
      this.log.push(entry);
    };

    if (fault === "drop-before") {
      req.socket.destroy();
      record(0);
      return;
    }
    let raw: string;
    try {
      raw = await readBody(req);
    } catch {
      record(0);
      return;
    }
    const requestId = newRequestId();
    // "late": the request is applied only after the delay (a slow server, or a request queued
    // behind others), whether or not the client is still waiting for the answer.
    if (fault === "late") await this.sleep(this.faults.slowMs);
    if (this.closed) return;
    let reply: Reply;
    if (fault === "5xx") {
      const status = this.faults.pick5xx();
      reply = errorReply(
        new ApiError(status, ERROR_CODES.internal, "The service is temporarily unavailable."),
        requestId,
      );
    } else if (fault === "429") {
      reply = errorReply(rateLimitError(1), requestId);
    } else {
      reply = this.apiReply(method, url, req.headers, raw, requestId);
    }
    if (fault === "drop-after") {
      req.socket.destroy();
      record(0);
      return;
    }
    if (fault === "slow") await this.sleep(this.faults.slowMs);
    if (this.latencyMs > 0) await this.sleep(this.latencyMs);
    if (this.closed) return;
    send(res, reply, requestId);
    record(reply.status);
  }

  private apiReply(
    method: string,
    url: URL,
    headers: IncomingHttpHeaders,
    raw: string,
    requestId: string,
  ): Reply {
    try {
      const segments = url.pathname.split("/").filter((s) => s !== "");
      const decoded = segments.map((s) => {
        const d = safeDecode(s);
        if (d === undefined) throw notFound("The requested resource doesn't exist.");
        return d;
      });
      if (decoded[0] !== "v2" || decoded[1] !== "projects" || decoded[2] === undefined) {
        throw notFound("The requested resource doesn't exist.");
      }
      const env = this.environments.get(decoded[2]);
      // Assumption: an unknown environment is a 404 (the real API may answer 401/403 for a key without access).
      if (!env) throw notFound(`The environment '${decoded[2]}' was not found.`);
      const apiKey = authenticate(headerValue(headers.authorization), env);
      const decision = this.rateLimiter.take(env.id);
      if (!decision.allowed) throw rateLimitError(decision.retryAfterSeconds);
      return dispatch({
        env,
        method,
        segments: decoded.slice(3),
        body: READ_METHODS.has(method) ? undefined : parseJsonBody(raw),
        continuation:
          headerValue(headers["x-continuation"]) ?? url.searchParams.get("continuationToken") ?? undefined,
        origin: this.origin,
        pageSize: this.pageSize,
        apiKey,
      });
    } catch (error) {
      if (error instanceof ApiError) return errorReply(error, requestId);
      return errorReply(
        new ApiError(500, ERROR_CODES.internal, `Internal error: ${String(error)}`),
        requestId,
      );
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  // ------------------------------------------------------------------------------------------------------------
  // Admin endpoints: no auth, no rate limit, not logged.

  private async handleAdmin(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    method: string,
  ): Promise<void> {
    const requestId = newRequestId();
    const answer = (status: number, body?: unknown) =>
      body === undefined ? sendEmpty(res, status, requestId) : sendJson(res, status, body, requestId);
    try {
      const raw = await readBody(req);
      const route = `${method} ${url.pathname.replace(/\/+$/, "")}`;
      switch (route) {
        case "GET /__admin/state": {
          const id = url.searchParams.get("environment");
          if (id === null) {
            const all = Object.fromEntries([...this.environments].map(([key, env]) => [key, env.snapshot()]));
            return answer(200, { environments: all });
          }
          const env = this.environments.get(id);
          return env ? answer(200, env.snapshot()) : answer(404, { message: `Unknown environment '${id}'.` });
        }
        case "GET /__admin/requests":
          return answer(200, this.log);
        case "DELETE /__admin/requests":
          this.log.length = 0;
          return answer(204);
        case "POST /__admin/faults":
          this.faults.set(parseAdminJson(raw) as FaultPlan | null);
          return answer(204);
        case "POST /__admin/reset": {
          const seed = parseAdminJson(raw);
          this.reset(seed === null ? undefined : (seed as KontentSeed));
          return answer(204);
        }
        case "POST /__admin/rate-limit": {
          const limit = parseAdminJson(raw);
          this.rateLimiter.set(
            limit === null || limit === false || limit === "off" ? false : (limit as RateLimit),
          );
          return answer(204);
        }
        default:
          return answer(404, { message: `No admin endpoint ${route}.` });
      }
    } catch (error) {
      answer(400, { message: (error as Error).message });
    }
  }
}

function checkLatency(ms: number): number {
  if (!(typeof ms === "number" && Number.isFinite(ms) && ms >= 0)) {
    throw new Error("latencyMs must be a number of milliseconds ≥ 0.");
  }
  return ms;
}

function rateLimitError(retryAfterSeconds: number): ApiError {
  return new ApiError(429, ERROR_CODES.rateLimit, RATE_LIMIT_MESSAGE, undefined, {
    "Retry-After": String(retryAfterSeconds),
  });
}

function errorReply(error: ApiError, requestId: string): Reply {
  return { status: error.status, body: error.body(requestId), headers: error.headers };
}

function parseJsonBody(raw: string): unknown {
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw validationError([{ message: `The request body is not valid JSON: ${(error as Error).message}` }]);
  }
}

function parseAdminJson(raw: string): unknown {
  if (raw.trim() === "") return null;
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new Error(`The request body is not valid JSON: ${(error as Error).message}`);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("Request body too large."));
        req.destroy();
      } else {
        chunks.push(chunk);
      }
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
    req.on("aborted", () => reject(new Error("Request aborted.")));
  });
}

/**
 * Every response carries the request id in an `X-Request-Id` header (an assumption: the real header is not
 * documented; error bodies carry it as `request_id`, which is documented).
 */
function send(res: ServerResponse, reply: Reply, requestId: string): void {
  if (reply.body === undefined) sendEmpty(res, reply.status, requestId, reply.headers);
  else sendJson(res, reply.status, reply.body, requestId, reply.headers);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "X-Request-Id": requestId,
  });
  res.end(text);
}

function sendEmpty(
  res: ServerResponse,
  status: number,
  requestId: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { ...headers, "X-Request-Id": requestId });
  res.end();
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function safeDecode(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
