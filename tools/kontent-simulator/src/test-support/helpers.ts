/** Test helpers: raw HTTP calls and a small seed. Not part of the package (excluded from the build). */
import type { KontentSimulator } from "../server.ts";
import type { KontentSeed } from "../types.ts";

export const DEV = "7c9f0e4e-0000-0000-0000-000000000001";
export const PROD = "7c9f0e4e-0000-0000-0000-000000000002";
export const DEV_KEY = "dev-secret-key";
export const PROD_KEY = "prod-secret-key";

/** Free-form JSON of request and response bodies in tests. */
// biome-ignore lint/suspicious/noExplicitAny: tests poke into free-form JSON
export type Json = any;

export interface CallResult {
  status: number;
  headers: Headers;
  body: Json;
}

/** Calls `{sim.baseUrl}/projects/{env}{path}` with a bearer key (pass `key: null` for no Authorization header). */
export async function call(
  sim: KontentSimulator,
  method: string,
  path: string,
  options: {
    body?: unknown;
    env?: string;
    key?: string | null;
    headers?: Record<string, string>;
    signal?: AbortSignal;
  } = {},
): Promise<CallResult> {
  const env = options.env ?? DEV;
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? (env === PROD ? PROD_KEY : DEV_KEY) : options.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${sim.baseUrl}/projects/${env}${path}`, {
    method,
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? undefined : JSON.parse(text),
  };
}

export const TINY = {
  env: "11111111-1111-4111-8111-111111111111",
  key: "tiny-key",
  roles: {
    editor: "22222222-2222-4222-8222-000000000001",
    legal: "22222222-2222-4222-8222-000000000002",
  },
  types: { article: "33333333-3333-4333-8333-000000000001", page: "33333333-3333-4333-8333-000000000002" },
  collections: { blog: "44444444-4444-4444-8444-000000000001" },
  languages: { en: "00000000-0000-0000-0000-000000000000", de: "55555555-5555-4555-8555-000000000002" },
  workflow: "66666666-6666-4666-8666-000000000001",
  steps: {
    draft: "77777777-7777-4777-8777-000000000001",
    review: "77777777-7777-4777-8777-000000000002",
    ready: "77777777-7777-4777-8777-000000000003",
  },
  items: { post: "88888888-8888-4888-8888-000000000001", page: "88888888-8888-4888-8888-000000000002" },
} as const;

export const PUBLISHED = "c199950d-99f0-4983-b711-6c4c91624b22";
export const SCHEDULED = "9d2b0228-4d0d-4c23-8b49-01a698857709";
export const ARCHIVED = "7a535a69-ad34-47f8-806a-def1fdf4d391";
export const DEFAULT_WF = "00000000-0000-0000-0000-000000000000";

/**
 * One environment with a workflow `blog` (draft → review → ready → published) used by the variant `post`/en in
 * `review`, and the variant `page`/en in the default workflow's draft step.
 */
export function tinySeed(): KontentSeed {
  const t = TINY;
  return {
    environments: {
      [t.env]: {
        apiKeys: [t.key],
        roles: [
          { id: t.roles.editor, name: "Editor" },
          { id: t.roles.legal, name: "Legal" },
        ],
        contentTypes: [
          { id: t.types.article, name: "Article", codename: "article", external_id: "type-article" },
          { id: t.types.page, name: "Page", codename: "page" },
        ],
        collections: [{ id: t.collections.blog, name: "Blog", codename: "blog" }],
        languages: [
          { id: t.languages.en, name: "English", codename: "en-US" },
          { id: t.languages.de, name: "German", codename: "de-DE" },
        ],
        workflows: [
          {
            id: t.workflow,
            name: "Blog",
            codename: "blog",
            scopes: [{ content_types: [{ id: t.types.article }], collections: [] }],
            steps: [
              {
                id: t.steps.draft,
                name: "Draft",
                codename: "draft",
                color: "gray",
                transitions_to: [{ step: { id: t.steps.review } }, { step: { id: ARCHIVED } }],
                role_ids: [t.roles.editor],
              },
              {
                id: t.steps.review,
                name: "Review",
                codename: "review",
                color: "yellow",
                transitions_to: [{ step: { id: t.steps.draft } }, { step: { id: t.steps.ready } }],
                role_ids: [],
              },
              {
                id: t.steps.ready,
                name: "Ready",
                codename: "ready",
                color: "dark-green",
                transitions_to: [{ step: { id: PUBLISHED } }],
                role_ids: [],
              },
            ],
          },
        ],
        items: [
          {
            id: t.items.post,
            name: "Post",
            codename: "post",
            type: { id: t.types.article },
            external_id: "post-1",
          },
          { id: t.items.page, name: "Page", codename: "page", type: { codename: "page" } },
        ],
        variants: [
          {
            item: { id: t.items.post },
            language: { id: t.languages.en },
            workflow: { workflow_identifier: { id: t.workflow }, step_identifier: { id: t.steps.review } },
          },
          { item: { codename: "page" }, language: { codename: "en-US" } },
        ],
      },
    },
  };
}

/** A valid body for POST /workflows in the tiny seed. */
export function newWorkflowBody(overrides: Record<string, unknown> = {}): Record<string, Json> {
  return {
    name: "Legal flow",
    codename: "legal_flow",
    scopes: [{ content_types: [{ codename: "page" }], collections: [{ codename: "blog" }] }],
    steps: [
      {
        name: "Write",
        codename: "write",
        color: "sky-blue",
        transitions_to: [{ step: { codename: "check" } }],
        role_ids: [],
      },
      {
        name: "Check",
        codename: "check",
        color: "rose",
        transitions_to: [{ step: { codename: "published" } }, { step: { codename: "write" } }],
        role_ids: [TINY.roles.legal],
      },
    ],
    published_step: { unpublish_role_ids: [TINY.roles.legal], create_new_version_role_ids: [] },
    archived_step: { role_ids: [] },
    ...overrides,
  };
}
