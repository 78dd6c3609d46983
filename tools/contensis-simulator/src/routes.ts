import type { IncomingHttpHeaders } from "node:http";
import type { TokenStore } from "./auth.ts";
import { ApiError, AUTH_DENIED, badRequest, forbidden, notFound } from "./errors.ts";
import {
  createDefinition,
  deleteDefinition,
  getContentType,
  getDefinition,
  getRole,
  listDefinitions,
  type ProjectData,
  publishDefinition,
  requireProject,
  updateContentType,
  updateDefinition,
  updateRole,
  type VersionStatus,
} from "./store.ts";
import type { Entry } from "./types.ts";
import { clone } from "./util.ts";
import { type Actor, invokeEntryEvent, renderEntry, setSchedule, variation } from "./workflow-engine.ts";

/**
 * The HTTP surface. URLs: DMH `workflow-definitions/*.md`, `entries/*.md`, CD roles pages, and the
 * official client (CMA `src/entries/entry-operations.ts`, `content-types/…`, `roles/…`):
 *   POST /authenticate/connect/token
 *   /api/management/projects/{projectId}/workflow/definitions[/{id}[/workflow/events]]
 *   /api/management/projects/{projectId}/contenttypes[/{id}[/entries]]
 *   /api/management/projects/{projectId}/security/roles[/{id}]
 *   /api/management/projects/{projectId}/entries[/{id}[/workflow/events | /schedules/{type}]]
 * Path segments match case-insensitively and a trailing slash is ignored (the DMH examples use both
 * `…/definitions/` and `…/definitions`); query keys are case-insensitive (CD examples use
 * `versionstatus=latest&dataformat=form`).
 */

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiRequest {
  method: string;
  path: string;
  /** Keys lower-cased. */
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ApiContext {
  projects: Map<string, ProjectData>;
  tokens: TokenStore;
}

export const TOKEN_PATH = "/authenticate/connect/token";
const PROJECTS_PREFIX = ["api", "management", "projects"];

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`The path segment '${segment}' is not valid`);
  }
}

export function errorReply(error: ApiError): Reply {
  return { status: error.status, body: error.body(), headers: error.headers };
}

/** `{projectId}` of an API path, for the request log. */
export function projectIdOf(path: string): string | undefined {
  const segments = path.split("/").filter((s) => s.length > 0);
  const prefix = segments.slice(0, 3).map((s) => s.toLowerCase());
  if (prefix.join("/") !== PROJECTS_PREFIX.join("/") || !segments[3]) return undefined;
  try {
    return decodeURIComponent(segments[3]);
  } catch {
    return segments[3];
  }
}

function tokenReply(ctx: ApiContext, req: ApiRequest): Reply {
  if (req.method !== "POST") return errorReply(new ApiError(405, "Method not allowed"));
  const result = ctx.tokens.issue(req.headers["content-type"], req.body);
  if (result.ok) return { status: 200, body: result.body, headers: { "cache-control": "no-store" } };
  const logId = new ApiError(400, "").body().logId;
  return { status: 400, body: { error: result.error, error_description: result.description, logId } };
}

function parseJson(body: string): unknown {
  if (body.trim().length === 0) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    throw badRequest("The request body is not valid JSON");
  }
}

function versionStatus(query: URLSearchParams): VersionStatus {
  const value = query.get("versionstatus");
  if (value === null || value === "") return "latest";
  const lower = value.toLowerCase();
  if (lower === "latest" || lower === "published") return lower;
  throw badRequest(`versionStatus must be 'published' or 'latest', not '${value}'`);
}

function nonNegativeInt(query: URLSearchParams, key: string, fallback: number, min: number): number {
  const value = query.get(key.toLowerCase());
  if (value === null || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw badRequest(`${key} must be an integer >= ${min}`);
  return n;
}

/** PagedList (DMH `model/paged-list.md`; CORE `PagedList.ts`): pageIndex is 0-based, pageSize defaults to 25. */
function paged<T>(items: T[], query: URLSearchParams): Reply {
  const pageIndex = nonNegativeInt(query, "pageIndex", 0, 0);
  const pageSize = nonNegativeInt(query, "pageSize", 25, 1);
  const totalCount = items.length;
  return {
    status: 200,
    body: {
      pageIndex,
      pageSize,
      totalCount,
      pageCount: Math.ceil(totalCount / pageSize),
      items: clone(items.slice(pageIndex * pageSize, (pageIndex + 1) * pageSize)),
    },
  };
}

function methodNotAllowed(method: string, allowed: string[]): ApiError {
  return new ApiError(405, `The method ${method} is not allowed here`, { allowed }, "error", {
    allow: allowed.join(", "),
  });
}

function is(segment: string | undefined, name: string): boolean {
  return segment !== undefined && segment.toLowerCase() === name.toLowerCase();
}

function entryVersion(project: ProjectData, id: string, req: ApiRequest, actor: Actor): Entry {
  const record = variation(project, id, req.query.get("language"));
  const version = req.query.get("version");
  if (version) {
    if (record.latest.sys.version.versionNo === version) return renderEntry(project, record.latest, actor);
    if (record.published?.sys.version.versionNo === version)
      return renderEntry(project, record.published, actor);
    throw notFound(`Entry '${id}' has no version ${version}`, { entryId: id, version });
  }
  if (versionStatus(req.query) === "published") {
    if (!record.published) throw notFound(`Entry '${id}' has no published version`, { entryId: id });
    return renderEntry(project, record.published, actor);
  }
  return renderEntry(project, record.latest, actor);
}

function listEntries(project: ProjectData, req: ApiRequest, actor: Actor, contentTypeId?: string): Reply {
  const language = req.query.get("language")?.toLowerCase();
  const published = versionStatus(req.query) === "published";
  const items: Entry[] = [];
  for (const variations of project.entries.values()) {
    for (const record of variations.values()) {
      const entry = published ? record.published : record.latest;
      if (!entry) continue;
      if (contentTypeId && entry.sys.contentTypeId !== contentTypeId) continue;
      if (language && entry.sys.language.toLowerCase() !== language) continue;
      items.push(renderEntry(project, entry, actor));
    }
  }
  return paged(items, req.query);
}

function projectRoute(project: ProjectData, rest: string[], req: ApiRequest, actor: Actor): Reply {
  const { method } = req;
  const [a, b, c, d, e, ...extra] = rest;
  if (extra.length > 0) throw notFound("Resource not found");

  if (is(a, "workflow") && is(b, "definitions")) {
    // Writing definitions is an administrator's job: a client restricted by roles (seeded with an
    // `apiKey`) gets 403 AccessDenied. ASSUMPTION: the docs state the administrator requirement for
    // roles ("System Administrators", DMH roles pages) and the CMA client asks for the
    // `Workflow_Administrator` scope; the same is assumed for workflow definitions.
    if (method !== "GET" && actor.apiKey !== undefined) {
      throw forbidden(
        `Not authorised to change workflow definitions ('${actor.apiKey}' is not an administrator)`,
        {
          apiKey: actor.apiKey,
        },
      );
    }
    if (c === undefined) {
      if (method === "GET") return paged(listDefinitions(project, versionStatus(req.query)), req.query);
      if (method === "POST") {
        const created = createDefinition(project, parseJson(req.body), actor.name);
        const location = `/api/management/projects/${project.id}/workflow/definitions/${created.id}`;
        return { status: 201, body: created, headers: { location } };
      }
      throw methodNotAllowed(method, ["GET", "POST"]);
    }
    const id = decode(c);
    if (d === undefined) {
      if (method === "GET")
        return { status: 200, body: getDefinition(project, id, versionStatus(req.query)) };
      if (method === "PUT")
        return { status: 200, body: updateDefinition(project, id, parseJson(req.body), actor.name) };
      if (method === "DELETE") {
        deleteDefinition(project, id);
        return { status: 204 };
      }
      throw methodNotAllowed(method, ["GET", "PUT", "DELETE"]);
    }
    if (is(d, "workflow") && is(e, "events")) {
      if (method !== "POST") throw methodNotAllowed(method, ["POST"]);
      return { status: 200, body: publishDefinition(project, id, parseJson(req.body), actor.name) };
    }
  }

  if (is(a, "contenttypes") && c === undefined) {
    if (b === undefined) {
      if (method !== "GET") throw methodNotAllowed(method, ["GET"]);
      // An array, not a paged list (DMH `content-types/list-content-types.md`: "Content Type [...]"; CMA `list(): Promise<ContentType[]>`).
      const dataFormat = req.query.get("dataformat");
      const items = [...project.contentTypes.values()].filter(
        (ct) => !dataFormat || ct.dataFormat === dataFormat,
      );
      return { status: 200, body: items };
    }
    const id = decode(b);
    if (method === "GET") return { status: 200, body: getContentType(project, id) };
    if (method === "PUT")
      return { status: 200, body: updateContentType(project, id, parseJson(req.body), actor.name) };
    throw methodNotAllowed(method, ["GET", "PUT"]);
  }
  if (is(a, "contenttypes") && b !== undefined && is(c, "entries") && d === undefined) {
    if (method !== "GET") throw methodNotAllowed(method, ["GET"]);
    const contentTypeId = decode(b);
    getContentType(project, contentTypeId);
    return listEntries(project, req, actor, contentTypeId);
  }

  if (is(a, "security") && is(b, "roles") && d === undefined) {
    if (c === undefined) {
      if (method !== "GET") throw methodNotAllowed(method, ["GET"]);
      return paged([...project.roles.values()], req.query);
    }
    if (method === "GET") return { status: 200, body: getRole(project, decode(c)) };
    if (method === "PUT") return { status: 200, body: updateRole(project, decode(c), parseJson(req.body)) };
    throw methodNotAllowed(method, ["GET", "PUT"]);
  }

  if (is(a, "entries")) {
    if (b === undefined) {
      if (method !== "GET") throw methodNotAllowed(method, ["GET"]);
      return listEntries(project, req, actor);
    }
    const id = decode(b);
    if (c === undefined) {
      if (method !== "GET") throw methodNotAllowed(method, ["GET"]);
      return { status: 200, body: entryVersion(project, id, req, actor) };
    }
    if (is(c, "workflow") && is(d, "events") && e === undefined) {
      if (method !== "POST") throw methodNotAllowed(method, ["POST"]);
      return { status: 200, body: invokeEntryEvent(project, id, parseJson(req.body), actor) };
    }
    if (is(c, "schedules") && d !== undefined && e === undefined) {
      const language = req.query.get("language");
      if (method === "PUT") {
        const body = parseJson(req.body) ?? null;
        return { status: 201, body: setSchedule(project, id, d.toLowerCase(), language, body, actor) };
      }
      if (method === "DELETE")
        return { status: 200, body: setSchedule(project, id, d.toLowerCase(), language, undefined, actor) };
      throw methodNotAllowed(method, ["PUT", "DELETE"]);
    }
  }
  throw notFound("Resource not found");
}

/** Answers one non-admin request. */
export function handleApi(ctx: ApiContext, req: ApiRequest): Reply {
  try {
    if (req.path.replace(/\/+$/, "").toLowerCase() === TOKEN_PATH) return tokenReply(ctx, req);
    const segments = req.path.split("/").filter((s) => s.length > 0);
    const isApi = PROJECTS_PREFIX.every((name, i) => is(segments[i], name)) && segments.length >= 4;
    if (!isApi) throw notFound("Resource not found");
    const token = ctx.tokens.check(req.headers.authorization);
    if (!token) throw new ApiError(401, AUTH_DENIED);
    const actor: Actor = { name: token.clientId };
    if (token.apiKey !== undefined) actor.apiKey = token.apiKey;
    const project = requireProject(ctx.projects, decode(segments[3] ?? ""));
    return projectRoute(project, segments.slice(4), req, actor);
  } catch (error) {
    if (error instanceof ApiError) return errorReply(error);
    const message = error instanceof Error ? error.message : String(error);
    return errorReply(new ApiError(500, `An error occurred processing the request: ${message}`));
  }
}
