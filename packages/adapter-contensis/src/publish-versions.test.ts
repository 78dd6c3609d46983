import http from "node:http";
import type { AddressInfo } from "node:net";
import { StaleWriteError, type Workflow } from "@workflow-sync/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ContensisEnvironment } from "./environment.ts";
import { DefinitionNotPublishedError } from "./errors.ts";
import { type ContensisSimulator, clientFor, DEV, startContensisSimulator } from "./test-support/sim.ts";
import { isPublishedVersionNo, latestIsPublished } from "./versions.ts";
import { getDefinition, publishDefinition, updateDefinition } from "./write.ts";

/*
 * Issue 9 item 5: "already published" is decided from version numbers, not from a truthy
 * `version.published` (which a draft on top of a published version still carries: "the date and
 * time the resource version was last published", DMH `model/version.md`). Over HTTP against the
 * simulator, which answers such a draft as the docs describe it.
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

const publishedOf = (id: string) =>
  sim.state(DEV).definitions.find((definition) => definition.id === id)?.published;

describe("version numbers decide what is published", () => {
  it("an update of a published definition is published, not left as a draft", async () => {
    const env = new ContensisEnvironment({ client: clientFor(sim, DEV) });
    const before = await env.read();
    const current = before.workflows.find((workflow) => workflow.key === "CustomEntryApproval") as Workflow;
    expect(publishedOf("CustomEntryApproval")?.version.versionNo).toBe("1.0");
    const desired: Workflow = { ...current, name: { "en-GB": "Custom approval (renamed)" } };

    const plan = env.planUpdate(desired, current, before);
    for (const request of plan.value) await env.execute(request);

    // The definition in effect is the one written.
    const published = await getDefinition(clientFor(sim, DEV), "CustomEntryApproval", "published");
    expect(published?.name).toEqual({ "en-GB": "Custom approval (renamed)" });
    expect(published?.version?.versionNo).toBe("2.0");
    expect(publishedOf("CustomEntryApproval")?.name).toEqual({ "en-GB": "Custom approval (renamed)" });

    // A re-run finds nothing left to do.
    const after = await env.read();
    const now = after.workflows.find((workflow) => workflow.key === "CustomEntryApproval") as Workflow;
    expect(env.incomplete(now, after)).toBe(false);
  });

  it("a draft on top of a published version (carrying its publish time) is finished by the next plan", async () => {
    // legalReview: published 2.0, latest 2.1 saved on top of it. The simulator answers 2.1 with the
    // publish time of 2.0, as the docs describe the version object.
    const env = new ContensisEnvironment({ client: clientFor(sim, DEV) });
    const snapshot = await env.read();
    const native = snapshot.native as {
      definitions: Array<{ id: string; version?: { versionNo?: string | null; published?: string | null } }>;
    };
    const latest = native.definitions.find((definition) => definition.id === "legalReview");
    expect(latest?.version).toMatchObject({ versionNo: "2.1", published: expect.any(String) });

    const current = snapshot.workflows.find((workflow) => workflow.key === "legalReview") as Workflow;
    expect(env.incomplete(current, snapshot)).toBe(true);
    const plan = env.planUpdate(current, current, snapshot);
    expect(plan.value.map((request) => `${request.method} ${request.path}`)).toContain(
      "POST /workflow/definitions/legalReview/workflow/events",
    );
    for (const request of plan.value) await env.execute(request);

    const published = publishedOf("legalReview");
    expect(published?.version.versionNo).toBe("3.0");
    const after = await env.read();
    const now = after.workflows.find((workflow) => workflow.key === "legalReview") as Workflow;
    expect(env.incomplete(now, after)).toBe(false);
  });
});

describe("a publish meets someone else's published edit", () => {
  const renameAndPublish = async (id: string, name: string) => {
    const client = clientFor(sim, DEV);
    const latest = (await getDefinition(client, id))!;
    const edited = await updateDefinition(
      client,
      { ...latest, name: { "en-GB": name } },
      { expectedVersion: latest.version?.versionNo ?? null },
    );
    await publishDefinition(client, id, edited.version?.versionNo ?? null);
  };

  it("an edit published between this apply's PUT and its publish is a stale write, not a publish that landed", async () => {
    const env = new ContensisEnvironment({ client: clientFor(sim, DEV) });
    const before = await env.read();
    const current = before.workflows.find((workflow) => workflow.key === "CustomEntryApproval") as Workflow;
    const desired: Workflow = { ...current, name: { "en-GB": "Ours" } };
    const [put, publish] = env.planUpdate(desired, current, before).value;
    expect(`${put?.method} ${publish?.method} ${publish?.path}`).toBe(
      "PUT POST /workflow/definitions/CustomEntryApproval/workflow/events",
    );
    env.guardWrites(before);
    await env.execute(put!);
    // Someone else saves on top of our draft and publishes (the publish 2.0 would also have made).
    await renameAndPublish("CustomEntryApproval", "Theirs");

    const refused = await env.execute(publish!).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(StaleWriteError);
    expect((refused as StaleWriteError).workflow).toBe("CustomEntryApproval");
    expect(publishedOf("CustomEntryApproval")?.name).toEqual({ "en-GB": "Theirs" });
  });

  it("its own publish that landed unanswered is still done (the published version holds what it wrote)", async () => {
    const env = new ContensisEnvironment({ client: clientFor(sim, DEV) });
    const before = await env.read();
    const current = before.workflows.find((workflow) => workflow.key === "CustomEntryApproval") as Workflow;
    const desired: Workflow = { ...current, name: { "en-GB": "Ours" } };
    const [put, publish] = env.planUpdate(desired, current, before).value;
    env.guardWrites(before);
    await env.execute(put!);
    sim.setFaults({ script: [{ method: "POST", path: "/workflow/events", kind: "drop-after" }] });
    await env.execute(publish!);
    expect(publishedOf("CustomEntryApproval")?.name).toEqual({ "en-GB": "Ours" });
    expect(publishedOf("CustomEntryApproval")?.version.versionNo).toBe("2.0");
  });
});

describe("isPublishedVersionNo / latestIsPublished", () => {
  it("reads {Major}.{Minor}: a published version is {n}.0 with n >= 1", () => {
    expect(isPublishedVersionNo("1.0")).toBe(true);
    expect(isPublishedVersionNo("12.0")).toBe(true);
    expect(isPublishedVersionNo("1.1")).toBe(false);
    expect(isPublishedVersionNo("0.1")).toBe(false);
    expect(isPublishedVersionNo("0.0")).toBe(false);
    expect(isPublishedVersionNo(null)).toBe(false);
    expect(isPublishedVersionNo("1.0-beta")).toBe(false);
  });

  it("compares the latest with the published version when it was read", () => {
    const latest = { id: "a", version: { versionNo: "2.0", published: "2025-01-01T00:00:00Z" } };
    expect(latestIsPublished(latest)).toBe(true);
    expect(latestIsPublished(latest, [{ id: "a", version: { versionNo: "2.0" } }])).toBe(true);
    expect(latestIsPublished(latest, [{ id: "a", version: { versionNo: "1.0" } }])).toBe(false);
    expect(latestIsPublished(latest, [])).toBe(false);
    const draft = { id: "a", version: { versionNo: "2.1", published: "2025-01-01T00:00:00Z" } };
    expect(latestIsPublished(draft, [{ id: "a", version: { versionNo: "2.0" } }])).toBe(false);
  });
});

/**
 * A proxy in front of the simulator that answers the publish event itself with `answer(latest)`
 * (forwarding it first only when `forward`): a server whose answer cannot be taken at its word.
 */
async function publishAnswerProxy(forward: boolean) {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const headers = new Headers();
      for (const name of ["authorization", "content-type", "accept"]) {
        const value = req.headers[name];
        if (typeof value === "string") headers.set(name, value);
      }
      const body = Buffer.concat(chunks);
      const send = (method: string, url: string, payload?: Buffer) =>
        fetch(`${sim.url}${url}`, {
          method,
          headers,
          ...(payload && payload.length > 0 ? { body: payload } : {}),
        });
      const publish = req.method === "POST" && /\/workflow\/events$/.test(req.url ?? "");
      if (publish) {
        const draft = await (await send("GET", (req.url ?? "").replace(/\/workflow\/events$/, ""))).text();
        if (forward) await send("POST", req.url ?? "", body);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(draft); // the latest version as it was before the publish: not a published version
        return;
      }
      const answer = await send(req.method ?? "GET", req.url ?? "", body);
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

describe("a publish answer that is not a published version is read back", () => {
  it("published after all: the published version read back is the one expected (2.0 from 1.1)", async () => {
    const proxy = await publishAnswerProxy(true);
    try {
      const client = clientFor(sim, DEV, { rootUrl: proxy.url });
      const latest = await getDefinition(client, "CustomEntryApproval");
      const updated = await updateDefinition(client, { ...latest!, name: { "en-GB": "Renamed" } });
      expect(updated.version?.versionNo).toBe("1.1");
      const published = await publishDefinition(client, "CustomEntryApproval", "1.1");
      expect(published.version?.versionNo).toBe("2.0");
      expect(published.name).toEqual({ "en-GB": "Renamed" });
    } finally {
      await proxy.close();
    }
  });

  it("not published: DefinitionNotPublishedError names the version sent and the one in effect", async () => {
    const proxy = await publishAnswerProxy(false);
    try {
      const client = clientFor(sim, DEV, { rootUrl: proxy.url });
      const latest = await getDefinition(client, "CustomEntryApproval");
      await updateDefinition(client, { ...latest!, name: { "en-GB": "Renamed" } });
      const error = await publishDefinition(client, "CustomEntryApproval", "1.1").catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(DefinitionNotPublishedError);
      expect((error as DefinitionNotPublishedError).message).toMatch(
        /version 1\.1 was sent for publishing, but the published version is 1\.0/,
      );
    } finally {
      await proxy.close();
    }
  });
});
