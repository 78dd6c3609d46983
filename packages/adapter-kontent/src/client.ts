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
  UnclearWriteError,
} from "@workflow-sync/http";
import type { z } from "zod";
import type {
  KontentCollection,
  KontentContentType,
  KontentErrorBody,
  KontentRole,
  KontentVariant,
  KontentWorkflow,
  KontentWorkflowWrite,
} from "./wire.ts";

/*
 * Sending needs no zod: this module imports wire.ts (the zod schemas that read the answers) and
 * errors.ts (whose base classes come from core, with its schemas) only through `answers()`, a
 * dynamic import started with the first request. They load while the answers travel, so a run's
 * first requests go out before zod is evaluated (docs/performance.md, "Start-up").
 */

/** wire.ts and errors.ts: what reading an answer or naming a failure needs. */
type Answers = typeof import("./wire.ts") & typeof import("./errors.ts");

/** wire.ts and errors.ts, loaded once (prefetched on the first request, while its answer travels). */
const answers = loadOnce(
  (): Promise<Answers> =>
    Promise.all([import("./wire.ts"), import("./errors.ts")]).then(([wire, errors]) => ({
      ...wire,
      ...errors,
    })),
);

/** The Management API v2 root (kontent.md §2; [OAS]). */
export const DEFAULT_BASE_URL = "https://manage.kontent.ai/v2";
/**
 * "10 requests per second, 400 requests per minute", per environment, counted in "two separate time
 * windows, second and minute" (https://kontent.ai/learn/docs/apis/management-api-v2/api-limitations).
 * The Pacer keeps every second under 10 and every minute under 400 (bursts allowed within them), which
 * a server counting fixed windows, sliding windows or token buckets of that size all accept.
 */
export const DEFAULT_RATE_LIMIT: Required<Pick<RateLimit, "perSecond" | "perMinute">> = {
  perSecond: 10,
  perMinute: 400,
};

/**
 * Writes in flight at once by default: one. The vendor "strongly advise[s] against making multiple
 * requests to the API in parallel" because of inconsistencies in content
 * (https://kontent.ai/learn/docs/apis/management-api-v2/api-limitations), and each write is guarded
 * by a re-read of the workflows right before it (write.ts), which another write in flight could
 * confuse. `concurrency: { writes: N }` overlaps writes for teams that accept going against the advice.
 */
export const DEFAULT_WRITE_CONCURRENCY = 1;

export interface KontentClientOptions {
  environmentId: string;
  /** Management API key (sent as `Authorization: Bearer …`; never shown in errors or events). */
  apiKey: string;
  /** Default `https://manage.kontent.ai/v2`; a simulator: `http://127.0.0.1:PORT/v2`. https only, except loopback. */
  baseUrl?: string;
  /** Default 10/s and 400/min; `false`: no pacing. Ignored when `pacer` is given. */
  rateLimit?: RateLimit | false;
  /** Share one Pacer between every client of the same environment. */
  pacer?: Pacer;
  /**
   * Requests in flight at once (ignored when `pacer` is given): default 4 reads and
   * `DEFAULT_WRITE_CONCURRENCY` writes. Writes start in the order they are sent.
   */
  concurrency?: { reads?: number | undefined; writes?: number | undefined };
  /** Per attempt; default 30 s. */
  timeoutMs?: number;
  retry?: RetryOptions;
  onEvent?: (event: HttpEvent) => void;
}

/** A workflow by id or by codename (`/workflows/{id}` or `/workflows/codename/{c}`, [W]). */
export type WorkflowRef = string | { id: string } | { codename: string };
/** An item by id, codename or external id; a language by id or codename ([LV]). */
export type ItemRef = string | { id: string } | { codename: string } | { externalId: string };
export type LanguageRef = string | { id: string } | { codename: string };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A reference typed by a person (a command line): an internal id (a UUID), `codename/…` or
 * `external-id/…` as the API spells them ([LV]), else a codename.
 */
export function referenceFromText(text: string): ItemRef {
  if (UUID.test(text)) return text;
  if (text.startsWith("codename/")) return { codename: text.slice("codename/".length) };
  if (text.startsWith("external-id/")) return { externalId: text.slice("external-id/".length) };
  return { codename: text };
}

/** A language typed by a person: its id (a UUID), or its codename (`en-US` or `codename/en-US`). */
export function languageFromText(text: string): LanguageRef {
  if (UUID.test(text)) return text;
  return { codename: text.startsWith("codename/") ? text.slice("codename/".length) : text };
}

/** A reference in a request body ([REF]). */
export type BodyReference = { id: string } | { codename: string };

export interface ChangeWorkflowData {
  workflow_identifier: BodyReference;
  step_identifier: BodyReference;
  due_date?: { value: string | null };
  note?: string | null;
  contributors?: Array<{ id: string } | { email: string }>;
}

export interface ScheduleData {
  scheduled_to?: string;
  display_timezone?: string;
}

export interface KontentClient {
  readonly environmentId: string;
  readonly baseUrl: string;
  readonly pacer: Pacer;
  listWorkflows(): Promise<KontentWorkflow[]>;
  /**
   * `POST /workflows`. Never blindly retried: after an unclear failure (5xx, timeout, dropped
   * connection) it re-lists the workflows; a workflow with this codename means the create landed.
   */
  addWorkflow(body: KontentWorkflowWrite): Promise<KontentWorkflow>;
  updateWorkflow(ref: WorkflowRef, body: KontentWorkflowWrite): Promise<KontentWorkflow>;
  /** Refuses the default workflow before sending anything; a workflow content is in: `KontentDeleteRefusedError`. */
  deleteWorkflow(ref: WorkflowRef): Promise<void>;
  listRoles(): Promise<KontentRole[]>;
  /** Every page, following `x-continuation` (kontent.md §2). */
  listContentTypes(): Promise<KontentContentType[]>;
  listCollections(): Promise<KontentCollection[]>;
  /** Every variant of the items of one content type (`GET /types/{type}/variants`, paged). */
  listVariantsOfType(type: ItemRef): Promise<KontentVariant[]>;
  /**
   * Every variant of the items of one collection (`GET /collections/{collection}/variants`, paged;
   * "List language variants by collection", language-variants page of the Management API v2 docs).
   */
  listVariantsOfCollection(collection: ItemRef): Promise<KontentVariant[]>;
  getVariant(item: ItemRef, language: LanguageRef): Promise<KontentVariant>;
  changeWorkflow(item: ItemRef, language: LanguageRef, data: ChangeWorkflowData): Promise<void>;
  publish(item: ItemRef, language: LanguageRef, data?: ScheduleData): Promise<void>;
  unpublishAndArchive(item: ItemRef, language: LanguageRef, data?: ScheduleData): Promise<void>;
  createNewVersion(item: ItemRef, language: LanguageRef): Promise<void>;
  /**
   * One request relative to `/projects/{environmentId}`, errors translated (`KontentApiError`).
   * The building block of the methods above; `execute` of `KontentEnvironment` sends plans with it.
   * `idempotent: false`: sent once, an unclear failure is an `UnclearWriteError` (never retried).
   */
  send(
    method: HttpMethod,
    path: string,
    options?: { json?: unknown; headers?: Record<string, string>; idempotent?: boolean },
  ): Promise<HttpResponse>;
  stats(): HttpClientStats;
}

const segment = (value: string) => encodeURIComponent(value);

export function workflowPath(ref: WorkflowRef): string {
  if (typeof ref === "string") return `/workflows/${segment(ref)}`;
  if ("id" in ref) return `/workflows/${segment(ref.id)}`;
  return `/workflows/codename/${segment(ref.codename)}`;
}

function itemSegment(ref: ItemRef): string {
  if (typeof ref === "string") return segment(ref);
  if ("id" in ref) return segment(ref.id);
  if ("codename" in ref) return `codename/${segment(ref.codename)}`;
  return `external-id/${segment(ref.externalId)}`;
}

function languageSegment(ref: LanguageRef): string {
  if (typeof ref === "string") return segment(ref);
  if ("id" in ref) return segment(ref.id);
  return `codename/${segment(ref.codename)}`;
}

export function variantPath(item: ItemRef, language: LanguageRef): string {
  return `/items/${itemSegment(item)}/variants/${languageSegment(language)}`;
}

/** Whether a vendor refusal of a delete means "content still uses this workflow". */
function isInUse(error: InstanceType<Answers["KontentApiError"]>): boolean {
  // Assumption: the real code and wording are undocumented ("Deletes an unused workflow", SDK doc
  // comment). The simulator answers 400 with code 236 and a message naming the variants; any 400
  // whose message speaks of use is read the same way.
  return (
    error.status === 400 &&
    (error.errorCode === 236 || /\b(in use|use[sd]?|using)\b/i.test(error.vendorMessage))
  );
}

/** The paced, retrying HTTP client for one environment (checked options), and the path all its requests start with. */
function httpClientFor(options: KontentClientOptions): {
  http: HttpClient;
  root: string;
  baseUrl: string;
  pacer: Pacer;
} {
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  assertSecureUrl(baseUrl, "baseUrl of the Kontent.ai client");
  if (!options.environmentId) throw new TypeError("environmentId is required");
  if (!options.apiKey) throw new TypeError("apiKey is required (from an environment variable)");
  const pacer =
    options.pacer ??
    new Pacer({
      rateLimit: options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit,
      readConcurrency: options.concurrency?.reads ?? 4,
      writeConcurrency: options.concurrency?.writes ?? DEFAULT_WRITE_CONCURRENCY,
    });
  const apiKey = options.apiKey;
  const http = new HttpClient({
    baseUrl,
    pacer,
    headers: () => ({ Authorization: `Bearer ${apiKey}` }),
    secrets: () => [apiKey],
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    userAgent: "workflow-sync (@workflow-sync/adapter-kontent)",
    describeError: (response) => describeErrorBody(response.body),
  });
  return { http, root: `/projects/${segment(options.environmentId)}`, baseUrl, pacer };
}

/**
 * A client for one Kontent.ai environment's Management API v2: paced (one Pacer per environment),
 * retried (429 with Retry-After for every method; 5xx and network errors for idempotent ones),
 * every answer checked with zod, errors typed and free of the API key.
 */
// Over ~60 lines on purpose: one short closure per endpoint, all over the one `send` below.
export function createKontentClient(options: KontentClientOptions): KontentClient {
  const { http, root, baseUrl, pacer } = httpClientFor(options);

  const send: KontentClient["send"] = async (method, path, extra = {}) => {
    answers.prefetch(); // the answer is read with them: they load while it travels
    try {
      return await http.request({
        method,
        path: root + path,
        ...(extra.json === undefined ? {} : { json: extra.json }),
        ...(extra.headers === undefined ? {} : { headers: extra.headers }),
        ...(extra.idempotent === undefined ? {} : { idempotent: extra.idempotent }),
      });
    } catch (error) {
      throw translate(await answers(), error, `${method} ${path}`);
    }
  };

  /** A GET whose answer is checked with a schema of wire.ts (picked once wire.ts is loaded). */
  const get = async <T>(path: string, schema: (wire: Answers) => z.ZodType<T>): Promise<T> => {
    const response = await send("GET", path);
    const wire = await answers();
    return wire.parseWire(schema(wire), response.body, `GET ${path}`);
  };

  const listWorkflows = () => get("/workflows", (wire) => wire.KontentWorkflowListSchema);

  const addWorkflow = async (body: KontentWorkflowWrite): Promise<KontentWorkflow> => {
    // A create is never blindly retried (docs/reliability.md): after an unclear failure, re-list
    // the workflows. A workflow with this codename means the create landed: done. Otherwise the
    // POST provably did not land, so it is sent once more, checked the same way; a second unclear
    // failure that left nothing behind is thrown. Codenames are unique per environment (the
    // vendor refuses a duplicate), so the codename identifies our create.
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await send("POST", "/workflows", { json: body });
        const wire = await answers();
        return wire.parseWire(wire.KontentWorkflowSchema, response.body, "POST /workflows");
      } catch (error) {
        const { KontentApiError } = await answers();
        // A refusal of the second attempt may be the first one having landed late meanwhile (the
        // codename is taken now): the re-list tells.
        const afterUnclear = attempt > 1 && error instanceof KontentApiError && error.status === 400;
        if (!(error instanceof UnclearWriteError) && !afterUnclear) throw error;
        const landed = (await listWorkflows()).find((workflow) => workflow.codename === body.codename);
        if (afterUnclear && !landed) throw error;
        if (landed) return landed;
        if (attempt >= 2) throw error;
      }
    }
  };

  const deleteWorkflow = async (ref: WorkflowRef): Promise<void> => {
    const { DEFAULT_WORKFLOW_ID, KontentApiError, KontentDeleteRefusedError } = await answers();
    const id = typeof ref === "string" ? ref : "id" in ref ? ref.id : undefined;
    if (id === DEFAULT_WORKFLOW_ID) {
      throw new KontentDeleteRefusedError(id, "default_workflow", `id ${DEFAULT_WORKFLOW_ID}`);
    }
    try {
      await send("DELETE", workflowPath(ref));
    } catch (error) {
      if (error instanceof KontentApiError) {
        // DELETE is idempotent: when a retry (after a lost answer) finds the workflow gone, the
        // first attempt deleted it.
        const cause = error.cause;
        if (error.status === 404 && cause instanceof HttpError && cause.attempts > 1) return;
        const name = typeof ref === "string" ? ref : "id" in ref ? ref.id : ref.codename;
        if (error.errorCode === 235) {
          throw new KontentDeleteRefusedError(name, "default_workflow", error.vendorMessage, {
            cause: error,
          });
        }
        if (isInUse(error)) {
          throw new KontentDeleteRefusedError(
            name,
            "in_use",
            `${error.vendorMessage} (Kontent.ai deletes only unused workflows; move the content to another workflow first)`,
            { cause: error },
          );
        }
      }
      throw error;
    }
  };

  const listPaged = async <T>(
    path: string,
    pick: (wire: Answers, page: unknown) => { items: T[]; token: string | null },
  ): Promise<T[]> => {
    const all: T[] = [];
    let token: string | null = null;
    const seen = new Set<string>();
    do {
      const headers: Record<string, string> | undefined =
        token === null ? undefined : { "x-continuation": token };
      const response = await send("GET", path, headers ? { headers } : {});
      const wire = await answers();
      const page = pick(wire, response.body);
      all.push(...page.items);
      token = page.token;
      // A token seen before would loop forever: the answer is broken.
      if (token !== null) {
        if (seen.has(token)) {
          throw new wire.KontentResponseError(`GET ${path}`, [
            `pagination.continuation_token: "${token}" came back twice`,
          ]);
        }
        seen.add(token);
      }
    } while (token !== null && token !== "");
    return all;
  };

  const action = async (item: ItemRef, language: LanguageRef, name: string, json?: unknown) => {
    await send("PUT", `${variantPath(item, language)}/${name}`, json === undefined ? {} : { json });
  };

  return {
    environmentId: options.environmentId,
    baseUrl,
    pacer,
    listWorkflows,
    addWorkflow,
    updateWorkflow: async (ref, body) => {
      const path = workflowPath(ref);
      const response = await send("PUT", path, { json: body });
      const wire = await answers();
      return wire.parseWire(wire.KontentWorkflowSchema, response.body, `PUT ${path}`);
    },
    deleteWorkflow,
    listRoles: async () => (await get("/roles", (wire) => wire.KontentRoleListSchema)).roles,
    listContentTypes: () =>
      listPaged("/types", (wire, body) => {
        const page = wire.parseWire(wire.KontentContentTypePageSchema, body, "GET /types");
        return { items: page.types, token: page.pagination.continuation_token };
      }),
    listCollections: async () =>
      (await get("/collections", (wire) => wire.KontentCollectionListSchema)).collections,
    listVariantsOfType: (type) => {
      const path = `/types/${itemSegment(type)}/variants`;
      return listPaged(path, (wire, body) => {
        const page = wire.parseWire(wire.KontentVariantPageSchema, body, `GET ${path}`);
        return { items: page.variants, token: page.pagination.continuation_token };
      });
    },
    listVariantsOfCollection: (collection) => {
      const path = `/collections/${itemSegment(collection)}/variants`;
      return listPaged(path, (wire, body) => {
        const page = wire.parseWire(wire.KontentVariantPageSchema, body, `GET ${path}`);
        return { items: page.variants, token: page.pagination.continuation_token };
      });
    },
    getVariant: (item, language) => get(variantPath(item, language), (wire) => wire.KontentVariantSchema),
    changeWorkflow: (item, language, data) => action(item, language, "change-workflow", data),
    publish: (item, language, data) => action(item, language, "publish", data ?? {}),
    unpublishAndArchive: (item, language, data) =>
      action(item, language, "unpublish-and-archive", data ?? {}),
    createNewVersion: (item, language) => action(item, language, "new-version"),
    send,
    stats: () => http.stats(),
  };
}

/** An `HttpError` from the transport as a `KontentApiError`; other errors pass unchanged. */
function translate({ KontentApiError }: Answers, error: unknown, request: string): unknown {
  if (!(error instanceof HttpError)) return error;
  const body = readErrorBody(error.response.body);
  const vendorCode = typeof error.vendorCode === "number" ? error.vendorCode : undefined;
  return new KontentApiError(
    {
      status: error.status,
      request,
      requestId: error.requestId ?? body?.request_id,
      errorCode: vendorCode ?? body?.error_code,
      vendorMessage: body ? body.message : error.message,
      validationErrors: (body?.validation_errors ?? []).map((entry) =>
        entry.path ? `${entry.path}: ${entry.message}` : entry.message,
      ),
    },
    { cause: error },
  );
}

/** The message, code, request id and validation errors of an error body (the HTTP client's `describeError`). */
function describeErrorBody(body: unknown): ErrorDescription | undefined {
  const read = readErrorBody(body);
  if (!read) return undefined;
  return {
    message: read.message,
    ...(read.error_code === undefined ? {} : { code: read.error_code }),
    ...(read.request_id === undefined ? {} : { requestId: read.request_id }),
    ...(read.validation_errors === undefined ? {} : { details: read.validation_errors }),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * An error body read as wire.ts's `KontentErrorBodySchema` reads it (undefined where its safeParse
 * fails), written out without zod: the HTTP client describes an error body as soon as it arrives,
 * which may be before wire.ts is loaded. client.test.ts checks both agree on any input.
 */
export function readErrorBody(body: unknown): KontentErrorBody | undefined {
  if (!isRecord(body) || typeof body.message !== "string") return undefined;
  const { request_id, error_code, validation_errors } = body;
  if (request_id !== undefined && typeof request_id !== "string") return undefined;
  if (error_code !== undefined && !(typeof error_code === "number" && Number.isFinite(error_code)))
    return undefined;
  if (validation_errors !== undefined) {
    if (!Array.isArray(validation_errors)) return undefined;
    for (const entry of validation_errors) {
      if (!isRecord(entry) || typeof entry.message !== "string") return undefined;
      if (entry.path !== undefined && typeof entry.path !== "string") return undefined;
    }
  }
  return body as KontentErrorBody;
}
