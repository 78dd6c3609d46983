import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { ADMIN_PREFIX, type AdminTarget, handleAdmin } from "./admin.ts";
import type { TokenStore } from "./auth.ts";
import { ApiError, AUTH_DENIED } from "./errors.ts";
import type { FaultInjector } from "./faults.ts";
import type { RateLimiter } from "./rate-limit.ts";
import { type ApiContext, errorReply, handleApi, projectIdOf, type Reply } from "./routes.ts";
import type { FaultKind, RequestLogEntry } from "./types.ts";

/**
 * The HTTP layer: reads the request, applies the rate limit, then a fault (if the plan says so), then
 * answers through `handleApi`, and logs every non-admin request.
 *
 * Fault kinds: `drop-before` destroys the socket without applying; `drop-after` applies, then
 * destroys the socket with no response; `5xx` answers 500/502/503 (seeded) without applying;
 * `slow` applies and answers after `slowMs`; `429` answers 429 with `Retry-After: 1`;
 * `token-expiry` invalidates the request's bearer token and answers 401 as for an expired token.
 */

export interface ServerParts {
  api: ApiContext;
  tokens: TokenStore;
  faults: FaultInjector;
  limiter: RateLimiter;
  log: RequestLogEntry[];
  admin: AdminTarget;
  /** Milliseconds every API answer is held back. */
  latency: { ms: number };
}

const MAX_BODY = 5 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  headers["content-type"] = "application/json; charset=utf-8";
  res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
}

function isApiPath(path: string): boolean {
  return path.toLowerCase().startsWith("/api/");
}

export function createSimulatorServer(parts: ServerParts): { server: Server; stop(): void } {
  const pending = new Set<{ timer: NodeJS.Timeout; res: ServerResponse }>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const body = await readBody(req);

    if (url.pathname.startsWith(ADMIN_PREFIX)) {
      handleAdmin(parts.admin, req, res, url, body ?? "");
      return;
    }

    const path = url.pathname;
    const write = isApiPath(path) && method !== "GET" && method !== "HEAD";
    const entry: RequestLogEntry = {
      time: new Date().toISOString(),
      method,
      path,
      status: 0,
      write,
      durationMs: 0,
    };
    if (url.search) entry.query = url.search;
    const projectId = projectIdOf(path);
    if (projectId !== undefined) entry.projectId = projectId;
    const finish = (status: number, fault?: FaultKind): void => {
      entry.status = status;
      if (fault) entry.fault = fault;
      entry.durationMs = Math.round((performance.now() - started) * 100) / 100;
      parts.log.push(entry);
    };
    const reply = (r: Reply, fault?: FaultKind): void => {
      send(res, r);
      finish(r.status, fault);
    };

    if (body === undefined) {
      reply(errorReply(new ApiError(413, "The request body is too large")));
      return;
    }
    const retryAfter = parts.limiter.take();
    if (retryAfter !== undefined) {
      const error = new ApiError(429, "Too many requests", { retryAfter }, "error", {
        "retry-after": String(retryAfter),
      });
      reply(errorReply(error));
      return;
    }

    const fault = parts.faults.decide({ method, path, write, api: isApiPath(path) });
    if (fault === "drop-before") {
      req.socket.destroy();
      finish(0, fault);
      return;
    }
    if (fault === "5xx") {
      const status = parts.faults.status5xx();
      reply(
        errorReply(new ApiError(status, "An error occurred processing the request (simulated fault)")),
        fault,
      );
      return;
    }
    if (fault === "429") {
      reply(
        errorReply(
          new ApiError(429, "Too many requests (simulated fault)", null, "error", { "retry-after": "1" }),
        ),
        fault,
      );
      return;
    }
    if (fault === "token-expiry") {
      parts.tokens.invalidate(req.headers.authorization);
      reply(errorReply(new ApiError(401, AUTH_DENIED)), fault);
      return;
    }

    const query = new URLSearchParams();
    for (const [key, value] of url.searchParams) query.append(key.toLowerCase(), value);
    const answer = handleApi(parts.api, { method, path, query, headers: req.headers, body });

    if (fault === "drop-after") {
      req.socket.destroy();
      finish(0, fault);
      return;
    }
    if (fault === "slow") {
      const item = {
        res,
        timer: setTimeout(() => {
          pending.delete(item);
          reply(answer, fault);
        }, parts.faults.slowMs),
      };
      pending.add(item);
      return;
    }
    if (parts.latency.ms > 0) {
      const item = {
        res,
        timer: setTimeout(() => {
          pending.delete(item);
          reply(answer);
        }, parts.latency.ms),
      };
      pending.add(item);
      return;
    }
    reply(answer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, errorReply(new ApiError(500, error instanceof Error ? error.message : String(error))));
    });
  });
  return {
    server,
    stop() {
      for (const item of pending) {
        clearTimeout(item.timer);
        item.res.destroy();
      }
      pending.clear();
    },
  };
}
