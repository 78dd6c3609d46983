import type { ContensisSeed, ContensisSimulator } from "../types.ts";

/** Small raw-HTTP helpers for the simulator's own tests (not part of the package). */

export const ADMIN = { clientId: "workflow-sync-demo", clientSecret: "demo-secret-not-for-production" };
export const AUTHOR = { clientId: "demo-author", clientSecret: "demo-author-secret" };
export const DEV = "website-dev";
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Demo seed entry ids. */
export const ENTRY = {
  blogDraft: "0b6f1c52-1d1e-4c1a-9d1a-5a0d8e000001",
  blogPublishedTwoLanguages: "0b6f1c52-1d1e-4c1a-9d1a-5a0d8e000002",
  newsAwaitingApproval: "0b6f1c52-1d1e-4c1a-9d1a-5a0d8e000003",
  newsDeclined: "0b6f1c52-1d1e-4c1a-9d1a-5a0d8e000004",
  newsDraft: "0b6f1c52-1d1e-4c1a-9d1a-5a0d8e000005",
  pressDraft: "0b6f1c52-1d1e-4c1a-9d1a-5a0d8e000006",
  pressScheduled: "0b6f1c52-1d1e-4c1a-9d1a-5a0d8e000007",
  legalInReview: "0b6f1c52-1d1e-4c1a-9d1a-5a0d8e000008",
  legalSignOff: "0b6f1c52-1d1e-4c1a-9d1a-5a0d8e000009",
  newsPublishedWithDraft: "0b6f1c52-1d1e-4c1a-9d1a-5a0d8e000010",
};

export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test helper; callers assert the shape.
  body: any;
}

export async function tokenFor(sim: ContensisSimulator, client = ADMIN): Promise<string> {
  const response = await fetch(`${sim.url}/authenticate/connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: client.clientSecret,
      scope: "Entry_Read Entry_Write Workflow_Administrator",
    }).toString(),
  });
  if (response.status !== 200) throw new Error(`token request failed: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function call(
  sim: ContensisSimulator,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers,
    body: body === undefined ? null : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text.length > 0 ? JSON.parse(text) : undefined,
  };
}

/** A client bound to one project and token. */
export function apiClient(sim: ContensisSimulator, token: string, projectId = DEV) {
  const base = `/api/management/projects/${projectId}`;
  return {
    get: (path: string) => call(sim, token, "GET", `${base}${path}`),
    post: (path: string, body?: unknown) => call(sim, token, "POST", `${base}${path}`, body ?? {}),
    put: (path: string, body?: unknown) => call(sim, token, "PUT", `${base}${path}`, body ?? {}),
    delete: (path: string) => call(sim, token, "DELETE", `${base}${path}`),
  };
}

/** A small valid custom definition body. */
export function definitionBody(id: string) {
  return {
    id,
    name: { "en-GB": `Workflow ${id}` },
    description: { "en-GB": "A test workflow" },
    states: [
      {
        id: "draft",
        name: { "en-GB": "Draft" },
        events: [
          {
            id: "submit",
            name: { "en-GB": "Submit" },
            transitionTo: "review",
            groupId: "flow",
            color: "green",
            validate: true,
            parameters: [],
          },
        ],
        color: "cobalt",
      },
      {
        id: "review",
        name: { "en-GB": "Review" },
        events: [
          {
            id: "approve",
            name: { "en-GB": "Approve" },
            transitionTo: "sysWorkflow",
            groupId: "flow",
            color: "green",
          },
          {
            id: "comment",
            name: { "en-GB": "Comment" },
            transitionTo: null,
            groupId: "flow",
            color: "white",
          },
        ],
        color: "yellow",
        allowUpdates: false,
      },
    ],
    eventGroups: [{ id: "flow", name: { "en-GB": "Flow" } }],
  };
}

/** A one-project seed with a single admin client. */
export function tinySeed(extra: Partial<ContensisSeed["projects"][string]> = {}): ContensisSeed {
  return {
    clients: [ADMIN],
    projects: {
      [DEV]: {
        contentTypes: [{ id: "page", name: { "en-GB": "Page" }, workflowId: "contensisEntryBasic" }],
        ...extra,
      },
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
