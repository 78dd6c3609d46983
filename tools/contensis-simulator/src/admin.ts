import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "./errors.ts";
import type { Reply } from "./routes.ts";
import type { ContensisSeed, FaultPlan, ProjectState, RateLimit, RequestLogEntry } from "./types.ts";

/**
 * Admin endpoints: no auth, not rate limited, not logged, never faulted.
 *   GET    /__admin/state?project=ID   one project's state (all projects, keyed by id, without `project`)
 *   GET    /__admin/requests           the request log
 *   DELETE /__admin/requests           clear it
 *   POST   /__admin/faults             body: a FaultPlan, or null / {} to turn faults off
 *   POST   /__admin/reset              body: optional seed
 *   POST   /__admin/expire-tokens
 *   POST   /__admin/rate-limit         body: {perSecond, perMinute?} or false
 */
export interface AdminTarget {
  projectIds(): string[];
  state(projectId: string): ProjectState;
  requests(): RequestLogEntry[];
  clearRequests(): void;
  setFaults(plan: FaultPlan | undefined): void;
  reset(seed?: ContensisSeed): void;
  expireTokens(): void;
  setRateLimit(limit: RateLimit | false): void;
}

export const ADMIN_PREFIX = "/__admin/";

function parse(body: string): unknown {
  if (body.trim() === "") return undefined;
  try {
    return JSON.parse(body);
  } catch {
    throw new ApiError(400, "The request body is not valid JSON");
  }
}

function route(target: AdminTarget, method: string, url: URL, body: string): Reply {
  const name = url.pathname.slice(ADMIN_PREFIX.length).replace(/\/+$/, "");
  const done: Reply = { status: 204 };
  if (name === "state" && method === "GET") {
    const project = url.searchParams.get("project");
    if (project) {
      if (!target.projectIds().includes(project)) throw new ApiError(404, `Project '${project}' not found`);
      return { status: 200, body: target.state(project) };
    }
    return { status: 200, body: Object.fromEntries(target.projectIds().map((id) => [id, target.state(id)])) };
  }
  if (name === "requests" && method === "GET") return { status: 200, body: target.requests() };
  if (name === "requests" && method === "DELETE") {
    target.clearRequests();
    return done;
  }
  if (name === "faults" && method === "POST") {
    const plan = parse(body);
    const empty =
      plan === undefined || plan === null || (typeof plan === "object" && Object.keys(plan).length === 0);
    target.setFaults(empty ? undefined : (plan as FaultPlan));
    return done;
  }
  if (name === "reset" && method === "POST") {
    const seed = parse(body);
    target.reset(seed === undefined || seed === null ? undefined : (seed as ContensisSeed));
    return done;
  }
  if (name === "expire-tokens" && method === "POST") {
    target.expireTokens();
    return done;
  }
  if (name === "rate-limit" && method === "POST") {
    const limit = parse(body);
    target.setRateLimit(limit === undefined || limit === null ? false : (limit as RateLimit | false));
    return done;
  }
  throw new ApiError(404, `Unknown admin endpoint ${method} ${url.pathname}`);
}

export function handleAdmin(
  target: AdminTarget,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: string,
): void {
  let reply: Reply;
  try {
    reply = route(target, req.method ?? "GET", url, body);
  } catch (error) {
    const apiError =
      error instanceof ApiError
        ? error
        : new ApiError(400, error instanceof Error ? error.message : String(error));
    reply = { status: apiError.status, body: apiError.body() };
  }
  if (reply.body === undefined) {
    res.writeHead(reply.status).end();
    return;
  }
  res
    .writeHead(reply.status, { "content-type": "application/json; charset=utf-8" })
    .end(JSON.stringify(reply.body));
}
