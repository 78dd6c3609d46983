/** The variant workflow state machine. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type KontentSimulator, startKontentSimulator } from "./index.ts";
import {
  ARCHIVED,
  call,
  DEFAULT_WF,
  newWorkflowBody,
  PUBLISHED,
  SCHEDULED,
  TINY,
  tinySeed,
} from "./test-support/helpers.ts";

let sim: KontentSimulator;
beforeAll(async () => {
  sim = await startKontentSimulator({ seed: tinySeed(), rateLimit: false });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const api = (method: string, path: string, body?: unknown) =>
  call(sim, method, path, { body, env: TINY.env, key: TINY.key });
const POST_EN = `/items/${TINY.items.post}/variants/${TINY.languages.en}`;
const position = (itemId: string = TINY.items.post) => {
  const v = sim
    .state(TINY.env)
    .variants.find((x) => x.item.id === itemId && x.language.id === TINY.languages.en)!;
  return [v.workflow.workflow_identifier.id, v.workflow.step_identifier.id];
};
const change = (workflow: object, step: object, path = POST_EN) =>
  api("PUT", `${path}/change-workflow`, { workflow_identifier: workflow, step_identifier: step });

describe("GET variant", () => {
  it.each([
    ["item id + language id", POST_EN],
    ["item codename + language codename", "/items/codename/post/variants/codename/en-US"],
    ["item external id + language id", `/items/external-id/post-1/variants/${TINY.languages.en}`],
  ])("finds the variant by %s", async (_label, path) => {
    const result = await api("GET", path);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      item: { id: TINY.items.post },
      language: { id: TINY.languages.en },
      workflow: { workflow_identifier: { id: TINY.workflow }, step_identifier: { id: TINY.steps.review } },
      schedule: { publish_time: null, unpublish_time: null },
    });
  });

  it("answers 404 for an unknown item, language or variant", async () => {
    expect((await api("GET", "/items/codename/nope/variants/codename/en-US")).status).toBe(404);
    expect((await api("GET", "/items/codename/post/variants/codename/fr-FR")).status).toBe(404);
    const missing = await api("GET", "/items/codename/post/variants/codename/de-DE");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/language variant/);
  });

  it("lists the variants of an item", async () => {
    const result = await api("GET", `/items/${TINY.items.post}/variants`);
    expect(result.body).toHaveLength(1);
  });
});

describe("change-workflow", () => {
  it("moves along a transition of the current step (204)", async () => {
    const result = await change({ codename: "blog" }, { codename: "ready" });
    expect(result.status).toBe(204);
    expect(position()).toEqual([TINY.workflow, TINY.steps.ready]);
  });

  it("refuses a step the current step doesn't transition to", async () => {
    await change({ id: TINY.workflow }, { id: TINY.steps.ready });
    const result = await change({ id: TINY.workflow }, { codename: "draft" });
    expect(result.status).toBe(400);
    expect(result.body.message).toBe("The workflow step 'ready' can't transition to the step 'draft'.");
    expect(position()).toEqual([TINY.workflow, TINY.steps.ready]);
  });

  it("allows any step of another workflow", async () => {
    const added = await api("POST", "/workflows", newWorkflowBody());
    const result = await change({ codename: "legal_flow" }, { codename: "check" });
    expect(result.status).toBe(204);
    expect(position()).toEqual([added.body.id, added.body.steps[1].id]);
  });

  it("refuses the published and scheduled steps (use publish)", async () => {
    for (const step of [{ codename: "published" }, { id: SCHEDULED }]) {
      const result = await change({ codename: "blog" }, step);
      expect(result.status).toBe(400);
      expect(result.body.message).toMatch(/use the publish endpoint/);
    }
  });

  it("refuses a published variant", async () => {
    await change({ codename: "blog" }, { codename: "ready" });
    await api("PUT", `${POST_EN}/publish`);
    const result = await change({ codename: "blog" }, { codename: "draft" });
    expect(result.status).toBe(400);
    expect(result.body.message).toMatch(/published language variant cannot be changed/);
  });

  it("rejects unknown workflows and steps as validation errors", async () => {
    const wf = await change({ codename: "nope" }, { codename: "draft" });
    expect(wf.status).toBe(400);
    expect(wf.body.validation_errors[0]).toMatchObject({ path: "workflow_identifier" });
    const step = await change({ codename: "blog" }, { codename: "nope" });
    expect(step.body.validation_errors[0]).toMatchObject({ path: "step_identifier" });
    const malformed = await api("PUT", `${POST_EN}/change-workflow`, { workflow_identifier: {} });
    expect(malformed.body.validation_errors.map((v: { path: string }) => v.path)).toEqual([
      "workflow_identifier",
      "step_identifier",
    ]);
  });

  it("restores an archived variant to a step", async () => {
    await change({ codename: "blog" }, { codename: "draft" });
    await change({ codename: "blog" }, { codename: "archived" });
    expect(position()).toEqual([TINY.workflow, ARCHIVED]);
    expect((await change({ codename: "blog" }, { codename: "review" })).status).toBe(204);
  });
});

describe("publish, unpublish, new version", () => {
  it("publishes only from a step that transitions to published", async () => {
    const refused = await api("PUT", `${POST_EN}/publish`);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/'review': the step doesn't transition to the Published step/);
    await change({ codename: "blog" }, { codename: "ready" });
    const ok = await api("PUT", `${POST_EN}/publish`);
    expect(ok.status).toBe(204);
    expect(position()).toEqual([TINY.workflow, PUBLISHED]);
    expect((await api("PUT", `${POST_EN}/publish`)).body.message).toMatch(/already published/);
  });

  it("unpublishes only a published variant, to archived", async () => {
    expect((await api("PUT", `${POST_EN}/unpublish-and-archive`)).status).toBe(400);
    await change({ codename: "blog" }, { codename: "ready" });
    await api("PUT", `${POST_EN}/publish`);
    expect((await api("PUT", `${POST_EN}/unpublish-and-archive`, {})).status).toBe(204);
    expect(position()).toEqual([TINY.workflow, ARCHIVED]);
    expect((await api("PUT", `${POST_EN}/publish`)).body.message).toMatch(
      /archived language variant can't be published/,
    );
  });

  it("creates a new version only from published, in the first step", async () => {
    const refused = await api("PUT", `${POST_EN}/new-version`);
    expect(refused.status).toBe(400);
    await change({ codename: "blog" }, { codename: "ready" });
    await api("PUT", `${POST_EN}/publish`);
    expect((await api("PUT", `${POST_EN}/new-version`)).status).toBe(204);
    expect(position()).toEqual([TINY.workflow, TINY.steps.draft]);
  });

  it("works in the default workflow too", async () => {
    const page = `/items/codename/page/variants/codename/en-US`;
    expect((await api("PUT", `${page}/publish`)).status).toBe(204);
    expect(position(TINY.items.page)).toEqual([DEFAULT_WF, PUBLISHED]);
  });
});

describe("scheduling", () => {
  const future = () => new Date(Date.now() + 3_600_000).toISOString();

  it("schedules publishing, and cancelling returns to the previous step", async () => {
    await change({ codename: "blog" }, { codename: "ready" });
    const at = future();
    expect(
      (await api("PUT", `${POST_EN}/publish`, { scheduled_to: at, display_timezone: "Europe/Prague" }))
        .status,
    ).toBe(204);
    const variant = (await api("GET", POST_EN)).body;
    expect(variant.workflow.step_identifier.id).toBe(SCHEDULED);
    expect(variant.schedule).toMatchObject({ publish_time: at, publish_display_timezone: "Europe/Prague" });
    expect((await change({ codename: "blog" }, { codename: "review" })).status).toBe(400);
    expect((await api("PUT", `${POST_EN}/cancel-scheduled-publish`)).status).toBe(204);
    expect(position()).toEqual([TINY.workflow, TINY.steps.ready]);
    expect((await api("PUT", `${POST_EN}/cancel-scheduled-publish`)).status).toBe(400);
  });

  it("publishes a scheduled variant once its time has passed", async () => {
    await change({ codename: "blog" }, { codename: "ready" });
    // Far enough ahead that a slow machine still sees it scheduled first; then wait until it has passed.
    const at = Date.now() + 2000;
    await api("PUT", `${POST_EN}/publish`, { scheduled_to: new Date(at).toISOString() });
    expect(position()[1]).toBe(SCHEDULED);
    await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now()) + 100));
    expect((await api("GET", POST_EN)).body.workflow.step_identifier.id).toBe(PUBLISHED);
  });

  it("schedules unpublishing of a published variant and can cancel it", async () => {
    await change({ codename: "blog" }, { codename: "ready" });
    await api("PUT", `${POST_EN}/publish`);
    const at = future();
    expect((await api("PUT", `${POST_EN}/unpublish-and-archive`, { scheduled_to: at })).status).toBe(204);
    expect((await api("GET", POST_EN)).body.schedule.unpublish_time).toBe(at);
    expect(position()[1]).toBe(PUBLISHED);
    expect((await api("PUT", `${POST_EN}/cancel-scheduled-unpublish`)).status).toBe(204);
    expect((await api("GET", POST_EN)).body.schedule.unpublish_time).toBeNull();
  });

  it("rejects an invalid date", async () => {
    await change({ codename: "blog" }, { codename: "ready" });
    const result = await api("PUT", `${POST_EN}/publish`, { scheduled_to: "tomorrow" });
    expect(result.status).toBe(400);
    expect(result.body.validation_errors[0].path).toBe("scheduled_to");
  });
});
