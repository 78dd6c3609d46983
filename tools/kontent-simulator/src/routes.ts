/**
 * Routing of the Management API paths under `/v2/projects/{environment_id}` (paths from the SDK's
 * lib/models/content-management-api-endpoints.ts and [W], [LV], [PUB], [ROLES], [COLL]).
 */
import { ERROR_CODES } from "./constants.ts";
import { ApiError, notFound } from "./errors.ts";
import type { Environment, PathIdentifier } from "./state.ts";
import {
  cancelScheduledPublish,
  cancelScheduledUnpublish,
  changeWorkflow,
  createNewVersion,
  publish,
  requireVariant,
  unpublish,
  viewVariant,
} from "./variants.ts";
import {
  addWorkflow,
  deleteWorkflow,
  listLegacyWorkflowSteps,
  listWorkflows,
  updateWorkflow,
} from "./workflows.ts";

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  env: Environment;
  method: string;
  /** Path segments after `/v2/projects/{environment_id}`, URL-decoded. */
  segments: string[];
  body: unknown;
  /** The `x-continuation` header or `continuationToken` query parameter, if any. */
  continuation: string | undefined;
  /** Origin of the simulator (`http://127.0.0.1:PORT`), for `next_page` links. */
  origin: string;
  pageSize: number;
  /** The API key of the request (checked by `authenticate`). */
  apiKey?: string;
}

/**
 * "The endpoints for retrieving roles require the Manage custom roles permission" ([ROLES],
 * https://kontent.ai/learn/docs/apis/management-api-v2/roles); a key without it gets 403 with the
 * message and code quoted in data-ops issue #116.
 */
function requireRolePermission(ctx: RouteContext): void {
  if (ctx.apiKey !== undefined && ctx.env.keysWithoutRoles.has(ctx.apiKey)) {
    throw new ApiError(
      403,
      ERROR_CODES.forbidden,
      "You do not have sufficient permissions to perform requested action.",
    );
  }
}

type Handler = (ctx: RouteContext, ids: PathIdentifier[]) => Reply;

interface Route {
  /** Literal segments, `:id` for an identifier (`{id}`, `codename/{c}` or `external-id/{x}`). */
  pattern: string[];
  methods: Partial<Record<string, Handler>>;
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const noContent = (): Reply => ({ status: 204 });

const routes: Route[] = [
  {
    pattern: ["workflows"],
    methods: {
      GET: ({ env }) => ok(listWorkflows(env)),
      POST: ({ env, body }) => ({ status: 201, body: addWorkflow(env, body) }),
    },
  },
  {
    pattern: ["workflows", ":id"],
    methods: {
      PUT: ({ env, body }, [id]) => ok(updateWorkflow(env, id as PathIdentifier, body)),
      DELETE: ({ env }, [id]) => {
        deleteWorkflow(env, id as PathIdentifier);
        return noContent();
      },
    },
  },
  { pattern: ["workflow"], methods: { GET: ({ env }) => ok(listLegacyWorkflowSteps(env)) } },
  {
    pattern: ["roles"],
    methods: {
      GET: (ctx) => {
        requireRolePermission(ctx);
        return ok({ roles: structuredClone(ctx.env.roles) });
      },
    },
  },
  {
    pattern: ["roles", ":id"],
    methods: {
      GET: (ctx, [id]) => {
        requireRolePermission(ctx);
        const env = ctx.env;
        const role = env.findRole(id as PathIdentifier);
        if (!role) throw notFound(`The requested role '${(id as PathIdentifier).value}' was not found.`);
        return ok(structuredClone(role));
      },
    },
  },
  {
    pattern: ["types"],
    methods: { GET: (ctx) => ok(paged(ctx, "types", ctx.env.contentTypes, "types")) },
  },
  {
    pattern: ["types", ":id"],
    methods: {
      GET: ({ env }, [id]) => {
        const type = env.findContentType(id as PathIdentifier);
        if (!type)
          throw notFound(`The requested content type '${(id as PathIdentifier).value}' was not found.`);
        return ok(structuredClone(type));
      },
    },
  },
  {
    pattern: ["types", ":id", "variants"],
    methods: {
      GET: (ctx, [id]) => {
        const type = ctx.env.findContentType(id as PathIdentifier);
        if (!type)
          throw notFound(`The requested content type '${(id as PathIdentifier).value}' was not found.`);
        const itemIds = new Set(ctx.env.items.filter((i) => i.type.id === type.id).map((i) => i.id));
        const variants = ctx.env.variants.filter((v) => itemIds.has(v.data.item.id)).map((v) => v.data);
        return ok(paged(ctx, `types/${type.id}/variants`, variants, "variants"));
      },
    },
  },
  {
    pattern: ["collections"],
    methods: {
      GET: ({ env }) =>
        ok({ collections: structuredClone(env.collections), last_modified: env.collectionsLastModified }),
    },
  },
  {
    // "List language variants by collection" (language-variants page of the Management API v2 docs;
    // SDK 8.5.1 `listLanguageVariantsByCollection`: `/collections/{collection}/variants`), paged like by type.
    pattern: ["collections", ":id", "variants"],
    methods: {
      GET: (ctx, [id]) => {
        const ref = id as PathIdentifier;
        const collection = ctx.env.findCollection(ref);
        if (!collection) throw notFound(`The requested collection '${ref.value}' was not found.`);
        const itemIds = new Set(
          ctx.env.items.filter((i) => i.collection.id === collection.id).map((i) => i.id),
        );
        const variants = ctx.env.variants.filter((v) => itemIds.has(v.data.item.id)).map((v) => v.data);
        return ok(paged(ctx, `collections/${collection.id}/variants`, variants, "variants"));
      },
    },
  },
  {
    pattern: ["languages"],
    methods: { GET: (ctx) => ok(paged(ctx, "languages", ctx.env.languages, "languages")) },
  },
  {
    pattern: ["items", ":id", "variants"],
    methods: {
      GET: ({ env }, [id]) => {
        const item = env.findItem(id as PathIdentifier);
        if (!item)
          throw notFound(`The requested content item '${(id as PathIdentifier).value}' was not found.`);
        return ok(env.variants.filter((v) => v.data.item.id === item.id).map((v) => structuredClone(v.data)));
      },
    },
  },
  {
    pattern: ["items", ":id", "variants", ":id"],
    methods: { GET: ({ env }, [item, lang]) => ok(viewVariant(requireVariant(env, item!, lang!))) },
  },
  ...variantAction("change-workflow", (env, v, body) => changeWorkflow(env, v, body)),
  ...variantAction("publish", (env, v, body) => publish(env, v, body)),
  ...variantAction("unpublish-and-archive", (env, v, body) => unpublish(env, v, body)),
  ...variantAction("new-version", (env, v) => createNewVersion(env, v)),
  ...variantAction("cancel-scheduled-publish", (env, v) => cancelScheduledPublish(env, v)),
  ...variantAction("cancel-scheduled-unpublish", (env, v) => cancelScheduledUnpublish(env, v)),
];

function variantAction(
  name: string,
  apply: (env: Environment, variant: ReturnType<typeof requireVariant>, body: unknown) => void,
): Route[] {
  return [
    {
      pattern: ["items", ":id", "variants", ":id", name],
      methods: {
        PUT: ({ env, body }, [item, lang]) => {
          apply(env, requireVariant(env, item!, lang!), body);
          return noContent();
        },
      },
    },
  ];
}

/** Dispatches a request; throws ApiError for 404/405 and for every API error. */
export function dispatch(ctx: RouteContext): Reply {
  let methodMismatch = false;
  for (const route of routes) {
    const ids = match(route.pattern, ctx.segments);
    if (!ids) continue;
    const handler = route.methods[ctx.method];
    if (!handler) {
      methodMismatch = true;
      continue;
    }
    return handler(ctx, ids);
  }
  if (methodMismatch) {
    throw new ApiError(
      405,
      ERROR_CODES.methodNotAllowed,
      `The requested HTTP method ${ctx.method} is not supported for the specified resource.`,
    );
  }
  throw notFound("The requested resource doesn't exist.");
}

function match(pattern: string[], segments: string[]): PathIdentifier[] | undefined {
  const ids: PathIdentifier[] = [];
  let i = 0;
  for (const part of pattern) {
    const segment = segments[i];
    if (segment === undefined) return undefined;
    if (part !== ":id") {
      if (segment !== part) return undefined;
      i += 1;
      continue;
    }
    if (segment === "codename" || segment === "external-id") {
      const value = segments[i + 1];
      if (value === undefined) return undefined;
      ids.push({ kind: segment === "codename" ? "codename" : "external_id", value });
      i += 2;
    } else {
      ids.push({ kind: "id", value: segment });
      i += 1;
    }
  }
  return i === segments.length ? ids : undefined;
}

/**
 * A page of a listing: `{<key>: [...], pagination: {continuation_token, next_page}}`; the next page is requested with
 * the header `x-continuation` ([OAS] curl example; SDK BaseListingQuery). The token is the base64 of the offset, like
 * "MTAw" (= "100") in the SDK's fixture fake-list-all-query.json, whose `next_page` carries `?continuationToken=`.
 */
function paged<T>(ctx: RouteContext, path: string, all: T[], key: string): Record<string, unknown> {
  let offset = 0;
  if (ctx.continuation !== undefined && ctx.continuation !== "") {
    const decoded = Buffer.from(ctx.continuation, "base64").toString("utf8");
    offset = /^\d+$/.test(decoded) ? Number(decoded) : Number.NaN;
    if (!Number.isSafeInteger(offset) || offset > all.length) {
      throw new ApiError(400, ERROR_CODES.invalidOperation, "The continuation token is invalid.");
    }
  }
  const page = structuredClone(all.slice(offset, offset + ctx.pageSize));
  const next = offset + ctx.pageSize;
  const token = next < all.length ? Buffer.from(String(next)).toString("base64") : null;
  return {
    [key]: page,
    pagination: {
      continuation_token: token,
      next_page:
        token === null
          ? null
          : `${ctx.origin}/v2/projects/${ctx.env.id}/${path}?continuationToken=${encodeURIComponent(token)}`,
    },
  };
}
