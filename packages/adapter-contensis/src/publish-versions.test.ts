import type { Workflow } from "@workflow-sync/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ContensisEnvironment } from "./environment.ts";
import { type ContensisSimulator, clientFor, DEV, startContensisSimulator } from "./test-support/sim.ts";
import { isPublishedVersionNo, latestIsPublished } from "./versions.ts";
import { getDefinition } from "./write.ts";

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
