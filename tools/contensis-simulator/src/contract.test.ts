/**
 * Contract test: the official client `contensis-management-api` (2.4.0) judges the simulator. If the
 * client and the simulator disagree, the simulator is wrong.
 *
 * - `NodejsClient` (node-fetch) is the client Node users run; it is not exported from the package
 *   root, hence the deep import.
 * - `Client.create(config, fetchFn)` with `fetchFn` as the second argument (the constructor checks
 *   `window` before it looks at `config.fetchFn`) lets the test record what the client sends.
 * - The client rejects a failed call with a plain object `{status, statusText, url, data}` (CORE
 *   `src/http/http-client.ts`) and a failed token request with `ContensisAuthenticationError`.
 */
import { Client } from "contensis-management-api/lib/client/client.js";
import { NodejsClient } from "contensis-management-api/lib/client/nodejs-client.js";
import type { Entry } from "contensis-management-api/lib/models/index.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ContensisSimulator, startContensisSimulator } from "./index.ts";
import { ADMIN, AUTHOR, DEV, ENTRY, GUID } from "./test-support/http.ts";

let sim: ContensisSimulator;

beforeAll(async () => {
  sim = await startContensisSimulator();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
});

function client(clientDetails: { clientId: string; clientSecret: string } = ADMIN) {
  return NodejsClient.create({
    rootUrl: `${sim.url}/`, // the client strips trailing slashes
    projectId: DEV,
    clientType: "client_credentials",
    clientDetails,
  });
}

interface Rejection {
  status: number;
  data: { logId: string; message: string; type: string; data: unknown };
}

async function rejection(promise: Promise<unknown>): Promise<Rejection> {
  try {
    await promise;
  } catch (error) {
    return error as Rejection;
  }
  throw new Error("expected the client to reject");
}

describe("token request as the official client sends it", () => {
  it("is accepted, and API calls carry the bearer token", async () => {
    const sent: {
      url: string;
      method?: string | undefined;
      headers: Record<string, string>;
      body?: string | undefined;
    }[] = [];
    const recordingFetch = (
      url: string,
      init: { method?: string; headers?: Record<string, string>; body?: string },
    ) => {
      sent.push({ url, method: init.method, headers: { ...(init.headers ?? {}) }, body: init.body });
      return fetch(url, init);
    };
    const c = Client.create(
      { rootUrl: sim.url, projectId: DEV, clientType: "client_credentials", clientDetails: ADMIN },
      recordingFetch as unknown as typeof fetch,
    );
    const entry = await c.entries.get(ENTRY.blogDraft);
    expect(entry.sys.id).toBe(ENTRY.blogDraft);

    const [tokenRequest, apiRequest] = sent;
    expect(tokenRequest?.url).toBe(`${sim.url}/authenticate/connect/token`);
    expect(tokenRequest?.method).toBe("POST");
    expect(tokenRequest?.headers["Content-Type"]).toBe("application/x-www-form-urlencoded;charset=UTF-8");
    const form = new URLSearchParams(tokenRequest?.body);
    expect(form.get("grant_type")).toBe("client_credentials");
    expect(form.get("client_id")).toBe(ADMIN.clientId);
    expect(form.get("client_secret")).toBe(ADMIN.clientSecret);
    // CMA src/client/scopes.ts (Resources), space separated.
    expect(form.get("scope")?.split(" ")).toEqual([
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
    ]);
    expect(apiRequest?.url).toBe(`${sim.url}/api/management/projects/${DEV}/entries/${ENTRY.blogDraft}`);
    expect(apiRequest?.headers.Authorization).toMatch(/^Bearer \S+$/);
    // One token, reused: the simulator saw one token request and one API call.
    const log = sim.requests();
    expect(log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "POST /authenticate/connect/token 200",
      `GET /api/management/projects/${DEV}/entries/${ENTRY.blogDraft} 200`,
    ]);
  });

  it("rejects a wrong secret with ContensisAuthenticationError('invalid_client')", async () => {
    const error = await rejection(
      client({ clientId: ADMIN.clientId, clientSecret: "wrong" }).entries.get(ENTRY.blogDraft),
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as unknown as Error).name).toBe("ContensisAuthenticationError");
    expect((error as unknown as Error).message).toBe("invalid_client");
  });
});

describe("entries with the basic workflow", () => {
  it("get, invokeWorkflow(entry, 'draft.publish'), invokeWorkflowByTrigger(sysUnpublish)", async () => {
    const c = client();
    const entry = await c.entries.get(ENTRY.blogDraft);
    expect(entry.sys.contentTypeId).toBe("blogPost");
    expect(entry.sys.language).toBe("en-GB");
    expect(entry.sys.version?.versionNo).toBe("0.1");
    expect(entry.sys.workflow).toMatchObject({ id: "contensisEntryBasic", state: "draft" });
    expect(entry.sys.workflow?.allowedEvents).toContain("draft.publish");
    expect(entry.title).toBe("Ten tips for workflow definitions as code");

    const published = await c.entries.invokeWorkflow(entry, "draft.publish");
    expect(published.sys.workflow?.state).toBe("versionComplete");
    expect(published.sys.isPublished).toBe(true);
    expect(published.sys.version?.versionNo).toBe("1.0");
    expect(published.sys.version?.published).toEqual(expect.any(String));
    expect(published.sys.version?.publishedBy).toBe(ADMIN.clientId);
    expect(published.sys.workflow?.transition).toMatchObject({
      event: "publish",
      from: "draft",
      invokedBy: ADMIN.clientId,
      data: null,
    });
    expect(published.sys.workflow?.allowedEvents).toEqual([
      "versionComplete.sysUpdate",
      "versionComplete.sysDelete",
      "sysUnpublish",
    ]);
    const live = await c.entries.get({ id: ENTRY.blogDraft, versionStatus: "published" });
    expect(live.sys.version?.versionNo).toBe("1.0");

    const unpublished = await c.entries.invokeWorkflowByTrigger(published, {
      event: "sysUnpublish",
      language: "en-GB",
    });
    expect(unpublished.sys.isPublished).toBe(false);
    expect(unpublished.sys.version?.versionNo).toBe("1.1");
    expect(unpublished.sys.workflow?.state).toBe("draft");
    expect(unpublished.sys.workflow?.transition).toMatchObject({
      event: "sysUnpublish",
      from: "versionComplete",
    });
    expect(unpublished.sys.workflow?.allowedEvents).not.toContain("sysUnpublish");

    const gone = await rejection(c.entries.get({ id: ENTRY.blogDraft, versionStatus: "published" }));
    expect(gone.status).toBe(404);
    expect(gone.data.logId).toMatch(GUID);
  });

  it("rejects an event that is not valid in the current state (WorkflowException)", async () => {
    const c = client();
    const entry = await c.entries.get(ENTRY.blogDraft);
    const error = await rejection(c.entries.invokeWorkflow(entry, "draft.submit"));
    expect(error.status).toBe(422);
    expect(error.data.type).toBe("WorkflowException");
    expect(error.data.message).toContain("draft.submit");
    expect(error.data.logId).toMatch(GUID);
  });

  it("rejects sysUnpublish of an entry that is not published", async () => {
    const c = client();
    const entry = await c.entries.get(ENTRY.blogDraft);
    const error = await rejection(
      c.entries.invokeWorkflowByTrigger(entry, { event: "sysUnpublish", language: "en-GB" }),
    );
    expect(error.status).toBe(422);
    expect(error.data.type).toBe("WorkflowException");
  });
});

describe("entries with the approval workflow", () => {
  it("submit, decline without and with the reason, re-submit, approve", async () => {
    const c = client();
    const draft = await c.entries.get(ENTRY.newsDraft);
    expect(draft.sys.workflow).toMatchObject({ id: "contensisEntryApproval", state: "draft" });

    const submitted = await c.entries.invokeWorkflow(draft, "draft.submit", {
      message: "Please check the figures",
    });
    expect(submitted.sys.workflow?.state).toBe("awaitingApproval");
    expect(submitted.sys.version?.versionNo).toBe("0.2");
    expect(submitted.sys.workflow?.transition).toMatchObject({
      event: "submit",
      from: "draft",
      data: { message: "Please check the figures" },
    });
    expect(submitted.sys.workflow?.allowedEvents).toEqual(
      expect.arrayContaining([
        "awaitingApproval.approve",
        "awaitingApproval.decline",
        "awaitingApproval.revoke",
      ]),
    );

    const noReason = await rejection(c.entries.invokeWorkflow(submitted, "awaitingApproval.decline"));
    expect(noReason.status).toBe(422);
    expect(noReason.data.type).toBe("Validation");
    expect(noReason.data.message).toBe("The decline reason is required");
    expect(noReason.data.data).toEqual([{ field: "message", message: "The decline reason is required" }]);
    // Nothing changed.
    expect((await c.entries.get(ENTRY.newsDraft)).sys.version?.versionNo).toBe("0.2");

    const declined = await c.entries.invokeWorkflow(submitted, "awaitingApproval.decline", {
      message: "Cite the source",
    });
    expect(declined.sys.workflow?.state).toBe("declined");
    expect(declined.sys.version?.versionNo).toBe("0.3");
    expect(declined.sys.workflow?.transition?.data).toEqual({ message: "Cite the source" });

    const stale = await rejection(c.entries.invokeWorkflow(submitted, "declined.submit"));
    expect(stale.status).toBe(409);

    const resubmitted = await c.entries.invokeWorkflow(declined, "declined.submit");
    expect(resubmitted.sys.workflow?.state).toBe("awaitingApproval");
    expect(resubmitted.sys.version?.versionNo).toBe("0.4");

    const approved: Entry = await c.entries.invokeWorkflow(resubmitted, "awaitingApproval.approve");
    expect(approved.sys.workflow?.state).toBe("versionComplete");
    expect(approved.sys.isPublished).toBe(true);
    expect(approved.sys.version?.versionNo).toBe("1.0");
    expect(approved.sys.version?.published).toEqual(expect.any(String));
    expect(approved.sys.workflow?.transition).toMatchObject({ event: "approve", from: "awaitingApproval" });
    expect(approved.sys.workflow?.allowedEvents).toContain("sysUnpublish");
  });
});

describe("error types of the docs (DMH key-concepts/errors.md, workflow pages)", () => {
  it("403 is type AccessDenied: an event the client's roles do not grant", async () => {
    const author = client(AUTHOR);
    const entry = await author.entries.get(ENTRY.newsAwaitingApproval);
    const error = await rejection(author.entries.invokeWorkflow(entry, "awaitingApproval.approve"));
    expect(error.status).toBe(403);
    expect(error.data.type).toBe("AccessDenied");
    expect(error.data.logId).toMatch(GUID);
  });

  it("409 is type NotLatestVersion: an event invoked on a version that is not the latest", async () => {
    const c = client();
    const draft = await c.entries.get(ENTRY.newsDraft);
    await c.entries.invokeWorkflow(draft, "draft.submit", { message: "first" });
    // `draft` still says version 0.1; the entry is at 0.2 now
    const error = await rejection(c.entries.invokeWorkflow(draft, "draft.submit", { message: "again" }));
    expect(error.status).toBe(409);
    expect(error.data.type).toBe("NotLatestVersion");
  });

  it("a missing required parameter names the parameter in field (message), not data.message", async () => {
    const c = client();
    const submitted = await c.entries.invokeWorkflow(await c.entries.get(ENTRY.newsDraft), "draft.submit", {
      message: "m",
    });
    const error = await rejection(c.entries.invokeWorkflow(submitted, "awaitingApproval.decline"));
    expect(error.data.data).toEqual([{ field: "message", message: "The decline reason is required" }]);
  });
});

describe("content types, roles and tokens through the client", () => {
  it("lists content types as an array and roles as a paged list", async () => {
    const c = client();
    const types = await c.contentTypes.list();
    expect(Array.isArray(types)).toBe(true);
    expect(types.map((t) => t.id)).toEqual(["blogPost", "newsArticle", "pressRelease", "legalNotice"]);
    const legal = await c.contentTypes.get("legalNotice");
    expect(legal.workflowId).toBe("legalReview");

    const roles = await c.roles.list();
    expect(roles).toMatchObject({ pageIndex: 0, pageSize: 25, totalCount: 4, pageCount: 1 });
    expect(roles.items.map((r) => r.name)).toEqual([
      "Authors",
      "Approvers",
      "Legal reviewers",
      "Editors-in-chief",
    ]);
    const first = roles.items[0];
    const role = await c.roles.get(first?.id ?? "");
    expect(role.permissions.entries?.[0]?.actions).toContain("legalReview.changesRequested.*");
  });

  it("updates a role with roles.update (PUT of the whole role); a role without a name is refused (422)", async () => {
    const c = client();
    const [first] = (await c.roles.list()).items;
    const role = await c.roles.get(first?.id ?? "");
    const entries = [
      ...(role.permissions.entries ?? []),
      { id: "blogPost", languages: ["en-GB"], actions: ["x.draft.go"] },
    ];
    const updated = await c.roles.update({ ...role, permissions: { ...role.permissions, entries } });
    expect(updated.permissions.entries).toEqual(entries);
    expect((await c.roles.get(role.id)).permissions.entries).toEqual(entries);
    expect(updated.assignments).toEqual(role.assignments);
    const error = await rejection(c.roles.update({ ...role, name: "" }));
    expect(error.status).toBe(422);
    expect(error.data.data).toEqual([{ field: "name", message: expect.any(String) }]);
    sim.reset();
  });

  it("refuses a content type update that names an unknown workflow", async () => {
    const c = client();
    const blog = await c.contentTypes.get("blogPost");
    const error = await rejection(c.contentTypes.update({ ...blog, workflowId: "noSuchWorkflow" }));
    expect(error.status).toBe(422);
    expect(error.data.type).toBe("Validation");
    expect(error.data.data).toEqual([
      { field: "workflowId", message: expect.stringContaining("noSuchWorkflow") },
    ]);
    const updated = await c.contentTypes.update({ ...blog, workflowId: "contensisEntryApproval" });
    expect(updated.workflowId).toBe("contensisEntryApproval");
  });

  it("refuses a content type update based on an older version (409 NotLatestVersion), changing nothing", async () => {
    const c = client();
    const seenByA = await c.contentTypes.get("blogPost");
    const seenByB = await c.contentTypes.get("blogPost");
    const renamed = await c.contentTypes.update({ ...seenByB, name: { "en-GB": "Blog article" } });
    expect(renamed.version?.versionNo).not.toBe(seenByA.version?.versionNo);
    const error = await rejection(
      c.contentTypes.update({ ...seenByA, workflowId: "contensisEntryApproval" }),
    );
    expect(error.status).toBe(409);
    const now = await c.contentTypes.get("blogPost");
    expect(now.name).toEqual({ "en-GB": "Blog article" });
    expect(now.workflowId).toBe(seenByA.workflowId);
  });

  it("rejects with 401 after the simulator expires the client's cached token", async () => {
    const c = client();
    await c.entries.get(ENTRY.blogDraft);
    sim.expireTokens();
    const error = await rejection(c.entries.get(ENTRY.blogDraft));
    expect(error.status).toBe(401);
    expect(error.data.message).toBe("Authorization has been denied for this request.");
  });
});
