/** Workflow lifecycle: update identity rules, codename reuse, deletion rules, the deprecated step list. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type KontentSimulator, startKontentSimulator, type Workflow } from "./index.ts";
import {
  ARCHIVED,
  call,
  DEFAULT_WF,
  type Json,
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
const blog = (): Workflow => sim.state(TINY.env).workflows.find((w) => w.id === TINY.workflow)!;

/** The blog workflow as an update body: steps by id, transitions by id, as GET returns them. */
function blogBody(): Record<string, Json> {
  const { id: _id, scheduled_step: _s, ...rest } = blog();
  return structuredClone(rest);
}

describe("update", () => {
  it("keeps the identity of steps referenced by id and lets them be renamed and recodenamed", async () => {
    const body = blogBody();
    body.steps[1] = { ...body.steps[1], name: "Peer review", codename: "peer_review", color: "rose" };
    const result = await api("PUT", `/workflows/${TINY.workflow}`, body);
    expect(result.status).toBe(200);
    expect(result.body.steps[1]).toMatchObject({
      id: TINY.steps.review,
      name: "Peer review",
      codename: "peer_review",
    });
    // The variant in that step is still there.
    expect(sim.state(TINY.env).variants[0]?.workflow.step_identifier.id).toBe(TINY.steps.review);
  });

  it("keeps the identity of steps referenced by their current codename (no id), as data-ops sends them", async () => {
    const body = blogBody();
    body.steps = body.steps.map(({ id: _id, ...s }: Record<string, unknown>) => s);
    body.steps.forEach((s: Json) => {
      s.transitions_to = s.transitions_to.map((t: Json) => {
        const target = blog().steps.find((x) => x.id === t.step.id);
        return {
          step: { codename: target ? target.codename : t.step.id === PUBLISHED ? "published" : "archived" },
        };
      });
    });
    const result = await api("PUT", "/workflows/codename/blog", body);
    expect(result.status).toBe(200);
    expect(result.body.steps.map((s: { id: string }) => s.id)).toEqual([
      TINY.steps.draft,
      TINY.steps.review,
      TINY.steps.ready,
    ]);
  });

  it("gives new steps fresh ids and resolves codename transitions to them", async () => {
    const body = blogBody();
    body.steps.push({
      name: "Legal",
      codename: "legal",
      color: "orange",
      transitions_to: [{ step: { codename: "ready" } }],
      role_ids: [TINY.roles.legal],
    });
    body.steps[1].transitions_to.push({ step: { codename: "legal" } });
    const result = await api("PUT", `/workflows/${TINY.workflow}`, body);
    expect(result.status).toBe(200);
    const legal = result.body.steps[3];
    expect(legal.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.values(TINY.steps)).not.toContain(legal.id);
    expect(result.body.steps[1].transitions_to).toContainEqual({ step: { id: legal.id } });
  });

  it("answers with the full workflow and ignores scheduled_step and the predefined steps' names", async () => {
    const body = blogBody();
    body.scheduled_step = { id: "x", name: "Later", codename: "later" };
    body.published_step.name = "Live";
    const result = await api("PUT", `/workflows/${TINY.workflow}`, body);
    expect(result.body.scheduled_step).toEqual({ id: SCHEDULED, name: "Scheduled", codename: "scheduled" });
    expect(result.body.published_step.name).toBe("Published");
  });

  it("keeps the codename when the body has none and can change it", async () => {
    const body = blogBody();
    delete body.codename;
    expect((await api("PUT", `/workflows/${TINY.workflow}`, body)).body.codename).toBe("blog");
    body.codename = "blog_v2";
    expect((await api("PUT", "/workflows/codename/blog", body)).body.codename).toBe("blog_v2");
    expect((await api("PUT", "/workflows/codename/blog", body)).status).toBe(404);
  });

  it("rejects a step id that isn't in the workflow", async () => {
    const body = blogBody();
    body.steps[0].id = "99999999-9999-4999-8999-999999999999";
    const result = await api("PUT", `/workflows/${TINY.workflow}`, body);
    expect(result.status).toBe(400);
    expect(result.body.validation_errors[0]).toMatchObject({ path: "steps[0].id" });
  });

  it("answers 404 for an unknown workflow, by id and by codename", async () => {
    expect((await api("PUT", "/workflows/99999999-9999-4999-8999-999999999999", blogBody())).status).toBe(
      404,
    );
    const byCodename = await api("PUT", "/workflows/codename/nope", blogBody());
    expect(byCodename.status).toBe(404);
    expect(byCodename.body).toMatchObject({
      error_code: 100,
      message: expect.stringContaining("codename/nope"),
    });
  });
});

describe("step codename reuse needs two requests", () => {
  function renameDraftAndAddNewDraft() {
    const body = blogBody();
    body.steps[0].codename = "old_draft"; // by id
    body.steps.unshift({
      name: "New draft",
      codename: "draft",
      color: "gray",
      transitions_to: [{ step: { codename: "old_draft" } }],
      role_ids: [],
    });
    return body;
  }

  it("rejects reusing a codename that an existing step still holds in the same request", async () => {
    const result = await api("PUT", `/workflows/${TINY.workflow}`, renameDraftAndAddNewDraft());
    expect(result.status).toBe(400);
    expect(result.body.validation_errors).toEqual([
      {
        path: "steps[0].codename",
        message: expect.stringMatching(/'draft' still belongs to the existing step.*two requests/),
      },
    ]);
    expect(blog().steps[0]?.codename).toBe("draft");
  });

  it("accepts it in a second request, once the codename is free", async () => {
    const first = blogBody();
    first.steps[0].codename = "old_draft";
    expect((await api("PUT", `/workflows/${TINY.workflow}`, first)).status).toBe(200);
    const second = blogBody();
    second.steps.unshift({
      name: "New draft",
      codename: "draft",
      color: "gray",
      transitions_to: [{ step: { codename: "old_draft" } }],
      role_ids: [],
    });
    const result = await api("PUT", `/workflows/${TINY.workflow}`, second);
    expect(result.status).toBe(200);
    expect(result.body.steps[0].codename).toBe("draft");
    expect(result.body.steps[0].id).not.toBe(TINY.steps.draft);
    expect(result.body.steps[1]).toMatchObject({ id: TINY.steps.draft, codename: "old_draft" });
  });

  it("rejects recodenaming a step to the codename of a step removed in the same request", async () => {
    const body = blogBody();
    body.steps = body.steps.filter((s: { id: string }) => s.id !== TINY.steps.draft); // draft is unused
    body.steps[0].codename = "draft";
    body.steps[0].transitions_to = [{ step: { id: TINY.steps.ready } }];
    const result = await api("PUT", `/workflows/${TINY.workflow}`, body);
    expect(result.status).toBe(400);
    expect(result.body.validation_errors[0].message).toMatch(/still belongs to the existing step 'Draft'/);
  });
});

describe("steps in use", () => {
  it("can't remove a step that variants are in", async () => {
    const body = blogBody();
    body.steps = body.steps.filter((s: { id: string }) => s.id !== TINY.steps.review);
    body.steps[0].transitions_to = [{ step: { id: TINY.steps.ready } }];
    const result = await api("PUT", `/workflows/${TINY.workflow}`, body);
    expect(result.status).toBe(400);
    expect(result.body.validation_errors).toEqual([
      {
        path: "steps",
        message: expect.stringMatching(/'Review' \(review\) can't be removed because 1 language variant/),
      },
    ]);
  });

  it("can remove an unused step", async () => {
    const body = blogBody();
    body.steps = body.steps.filter((s: { id: string }) => s.id !== TINY.steps.draft);
    body.steps[0].transitions_to = [{ step: { id: TINY.steps.ready } }]; // review no longer goes back to draft
    const result = await api("PUT", `/workflows/${TINY.workflow}`, body);
    expect(result.status).toBe(200);
    expect(result.body.steps.map((s: { codename: string }) => s.codename)).toEqual(["review", "ready"]);
  });
});

describe("delete", () => {
  it("can't delete the default workflow (400, error code 235), by id or by codename", async () => {
    for (const path of [`/workflows/${DEFAULT_WF}`, "/workflows/codename/default"]) {
      const result = await api("DELETE", path);
      expect(result.status).toBe(400);
      expect(result.body).toEqual({
        request_id: expect.any(String),
        error_code: 235,
        message: "The default workflow '00000000-0000-0000-0000-000000000000' cannot be deleted.",
      });
    }
  });

  it("can't delete a workflow that variants use", async () => {
    const result = await api("DELETE", "/workflows/codename/blog");
    expect(result.status).toBe(400);
    expect(result.body.message).toMatch(/'blog' can't be deleted because 1 language variant/);
    expect(blog()).toBeDefined();
  });

  it("deletes an unused workflow with 204 and no body", async () => {
    const added = await api("POST", "/workflows", newWorkflowBody());
    const result = await api("DELETE", `/workflows/${added.body.id}`);
    expect(result.status).toBe(204);
    expect(result.body).toBeUndefined();
    expect((await api("DELETE", `/workflows/${added.body.id}`)).status).toBe(404);
  });
});

describe("deprecated GET /workflow", () => {
  it("lists the default workflow's steps in the legacy shape", async () => {
    const result = await api("GET", "/workflow");
    expect(result.status).toBe(200);
    const draft = sim.state(TINY.env).workflows[0]!.steps[0]!;
    expect(result.body).toEqual([
      { id: draft.id, name: "Draft", codename: "draft", transitions_to: [PUBLISHED, ARCHIVED] },
      { id: SCHEDULED, name: "Scheduled", codename: "scheduled", transitions_to: [] },
      { id: PUBLISHED, name: "Published", codename: "published", transitions_to: [] },
      { id: ARCHIVED, name: "Archived", codename: "archived", transitions_to: [] },
    ]);
  });
});

describe("list", () => {
  it("returns a bare array with the default workflow first", async () => {
    const result = await api("GET", "/workflows");
    expect(Array.isArray(result.body)).toBe(true);
    expect(result.body.map((w: Workflow) => w.codename)).toEqual(["default", "blog"]);
  });
});
