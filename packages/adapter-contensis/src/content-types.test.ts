import http from "node:http";
import type { AddressInfo } from "node:net";
import { StaleWriteError, type Workflow } from "@workflow-sync/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { plannedAssignment } from "./content-types.ts";
import { ContensisEnvironment } from "./environment.ts";
import { ContentTypeChangedError } from "./errors.ts";
import { type ContensisSimulator, clientFor, PROD, startContensisSimulator } from "./test-support/sim.ts";

/*
 * Issue 9 item 4: assigning a workflow to a content type changes only its `workflowId`. The content
 * type is re-read right before the PUT (the PUT carries the version just read); a field or a name
 * changed since the plan survives; a content type whose workflow changed since the plan is stale.
 * Over HTTP against the simulator; the "other editor" is a second client doing what a person does
 * in the UI or with the official client (GET, change, PUT with the version read).
 */

let sim: ContensisSimulator;
beforeAll(async () => {
  sim = await startContensisSimulator();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  sim.setFaults(undefined);
});

type ContentType = { id: string; name?: unknown; workflowId?: string; fields?: unknown[] } & Record<
  string,
  unknown
>;

/** Someone else edits the content type between plan and apply. */
async function editContentType(id: string, change: (contentType: ContentType) => ContentType) {
  const other = clientFor(sim, PROD);
  const path = `/contenttypes/${id}`;
  const current = (await other.request({ method: "GET", path })).body as ContentType;
  await other.request({ method: "PUT", path, json: change(current) });
}

const storedContentType = (id: string) =>
  sim.state(PROD).contentTypes.find((contentType) => contentType.id === id) as ContentType | undefined;

/** A plan that assigns CustomEntryApproval (published in prod) to blogPost as well. */
async function planAssignment(env: ContensisEnvironment) {
  const snapshot = await env.read();
  const current = snapshot.workflows.find((workflow) => workflow.key === "CustomEntryApproval") as Workflow;
  const desired: Workflow = {
    ...current,
    scope: { ...current.scope, contentTypes: [...current.scope.contentTypes, "blogPost"] },
  };
  return env.planUpdate(desired, current, snapshot);
}

describe("assigning a workflow to a content type", () => {
  it("the plan warns that the content type moves from its workflow to the new one, naming both", async () => {
    const env = new ContensisEnvironment({ client: clientFor(sim, PROD) });
    const plan = await planAssignment(env);
    expect(plan.value.map((request) => `${request.method} ${request.path}`)).toEqual([
      "PUT /contenttypes/blogPost",
    ]);
    expect(plan.value[0]?.body).toEqual({
      workflowId: "CustomEntryApproval",
      expected: { workflowId: "contensisEntryBasic" },
    });
    expect(plan.warnings).toEqual([
      {
        code: "content_type_moves_workflow",
        path: ["scope", "contentTypes", "blogPost"],
        message: expect.stringMatching(
          /blogPost moves from workflow contensisEntryBasic to CustomEntryApproval: its entries are affected/,
        ),
      },
    ]);
  });

  it("changes only the workflow: a field added and a name changed after the plan survive", async () => {
    const env = new ContensisEnvironment({ client: clientFor(sim, PROD) });
    const plan = await planAssignment(env);
    const field = { id: "summary", name: { "en-GB": "Summary" }, dataType: "string" };
    await editContentType("blogPost", (contentType) => ({
      ...contentType,
      name: { "en-GB": "Blog article" },
      fields: [...(contentType.fields ?? []), field],
    }));

    for (const request of plan.value) await env.execute(request);

    const blog = storedContentType("blogPost");
    expect(blog?.workflowId).toBe("CustomEntryApproval");
    expect(blog?.name).toEqual({ "en-GB": "Blog article" });
    expect(blog?.fields).toContainEqual(field);
  });

  it("a content type whose workflow changed since the plan is stale: nothing is written", async () => {
    const env = new ContensisEnvironment({ client: clientFor(sim, PROD) });
    const plan = await planAssignment(env);
    await editContentType("blogPost", (contentType) => ({
      ...contentType,
      workflowId: "contensisEntryApproval",
    }));
    const before = storedContentType("blogPost");
    sim.clearRequests();

    const error = await env.execute(plan.value[0]!).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContentTypeChangedError);
    expect(error).toBeInstanceOf(StaleWriteError);
    expect((error as ContentTypeChangedError).message).toMatch(
      /content type "blogPost" changed since the plan was made: its workflow is now contensisEntryApproval, the plan saw contensisEntryBasic/,
    );
    expect(sim.requests().filter((request) => request.write)).toEqual([]);
    expect(storedContentType("blogPost")).toEqual(before);
  });

  it("a content type that has the planned workflow already is left alone (a retried assignment)", async () => {
    const env = new ContensisEnvironment({ client: clientFor(sim, PROD) });
    const plan = await planAssignment(env);
    for (const request of plan.value) await env.execute(request);
    sim.clearRequests();
    for (const request of plan.value) await env.execute(request);
    expect(sim.requests().filter((request) => request.write)).toEqual([]);
    expect(storedContentType("blogPost")?.workflowId).toBe("CustomEntryApproval");
  });

  it("a plan made before the expectation was recorded (the whole content type as body) also changes only the workflow", async () => {
    const env = new ContensisEnvironment({ client: clientFor(sim, PROD) });
    const other = clientFor(sim, PROD);
    const atPlanTime = (await other.request({ method: "GET", path: "/contenttypes/blogPost" }))
      .body as ContentType;
    const legacy = {
      method: "PUT" as const,
      path: "/contenttypes/blogPost",
      body: { ...atPlanTime, workflowId: "CustomEntryApproval" },
      description: "assign workflow CustomEntryApproval to content type blogPost (was contensisEntryBasic)",
    };
    expect(plannedAssignment(legacy.body, legacy.description)).toEqual({ workflowId: "CustomEntryApproval" });
    await editContentType("blogPost", (contentType) => ({
      ...contentType,
      name: { "en-GB": "Blog article" },
    }));
    await env.execute(legacy);
    expect(storedContentType("blogPost")).toMatchObject({
      workflowId: "CustomEntryApproval",
      name: { "en-GB": "Blog article" },
    });
  });
});

/**
 * A proxy in front of the simulator that, before forwarding the first `PUT /contenttypes/{id}`,
 * lets `meanwhile` run to completion: an edit that lands between the adapter's re-read and its PUT.
 */
async function proxyWithEditBeforePut(meanwhile: () => Promise<void>) {
  let fired = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      if (!fired && req.method === "PUT" && /\/contenttypes\//.test(req.url ?? "")) {
        fired = true;
        await meanwhile();
      }
      const headers = new Headers();
      for (const name of ["authorization", "content-type", "accept"]) {
        const value = req.headers[name];
        if (typeof value === "string") headers.set(name, value);
      }
      const body = Buffer.concat(chunks);
      const answer = await fetch(`${sim.url}${req.url}`, {
        method: req.method ?? "GET",
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      res.writeHead(answer.status, {
        "content-type": answer.headers.get("content-type") ?? "application/json",
      });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("an edit landing between the re-read and the PUT", () => {
  it("is caught by the version in the PUT (409): the content type is read again and the edit survives", async () => {
    const field = { id: "summary", name: { "en-GB": "Summary" }, dataType: "string" };
    const proxy = await proxyWithEditBeforePut(() =>
      editContentType("blogPost", (contentType) => ({
        ...contentType,
        fields: [...(contentType.fields ?? []), field],
      })),
    );
    try {
      const env = new ContensisEnvironment({ client: clientFor(sim, PROD, { rootUrl: proxy.url }) });
      const plan = await planAssignment(env);
      sim.clearRequests();
      for (const request of plan.value) await env.execute(request);
      const puts = sim.requests().filter((request) => request.method === "PUT");
      expect(puts.map((request) => request.status)).toEqual([200, 409, 200]); // the edit, ours refused, ours again
      const blog = storedContentType("blogPost");
      expect(blog?.workflowId).toBe("CustomEntryApproval");
      expect(blog?.fields).toContainEqual(field);
    } finally {
      await proxy.close();
    }
  });

  it("an edit of the workflow in that window is stale: refused, the other writer's workflow stays", async () => {
    const proxy = await proxyWithEditBeforePut(() =>
      editContentType("blogPost", (contentType) => ({
        ...contentType,
        workflowId: "contensisEntryApproval",
      })),
    );
    try {
      const env = new ContensisEnvironment({ client: clientFor(sim, PROD, { rootUrl: proxy.url }) });
      const plan = await planAssignment(env);
      const error = await env.execute(plan.value[0]!).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ContentTypeChangedError);
      expect(storedContentType("blogPost")?.workflowId).toBe("contensisEntryApproval");
    } finally {
      await proxy.close();
    }
  });
});
