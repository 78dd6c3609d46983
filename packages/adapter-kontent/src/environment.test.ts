import { sameWorkflow, UnresolvedReferencesError, Workflow } from "@workflow-sync/core";
import type { KontentSimulator } from "@workflow-sync/kontent-simulator";
import { editorialWorkflow, kontentExampleWorkflow } from "@workflow-sync/test-utils";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KontentApiError, KontentDeleteRefusedError } from "./errors.ts";
import { toNeutral } from "./mapping/to-neutral.ts";
import type { KontentNativeSnapshot } from "./read.ts";
import {
  clientFor,
  DEV,
  environmentFor,
  fullSeed,
  PROD,
  RICH,
  RICH_TARGET,
  requestLines,
  startSimulator,
} from "./test-support/sim.ts";
import { randomWireWorkflow, richReferences, writeFormOf } from "./test-support/wire.ts";
import type { KontentWorkflowWrite } from "./wire.ts";

let sim: KontentSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: fullSeed() });
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(() => {
  sim.reset();
  sim.clearRequests();
});

describe("read", () => {
  it("reads every workflow with one request per list and per page of content types", async () => {
    await sim.close();
    sim = await startSimulator({ seed: fullSeed(), pageSize: 2 });
    const env = environmentFor(sim, DEV);
    const snapshot = await env.read();
    expect(snapshot.vendor).toBe("kontent");
    expect(snapshot.workflows.map((w) => w.key).sort()).toEqual([
      "default",
      "editorial_review",
      "my_workflow",
      "quick_publish",
    ]);
    expect(snapshot.roles).toContain("Project manager");
    expect(snapshot.contentTypes).toEqual(["article", "landing_page", "product", "news", "author"]);
    expect(snapshot.collections).toEqual(["default", "marketing", "documentation"]);
    expect(snapshot.readOnly).toEqual([]);
    expect(snapshot.losses).toEqual([]);
    expect(snapshot.native.workflows).toHaveLength(4);
    // 5 content types at 2 per page: 3 pages, following x-continuation.
    expect(requestLines(sim, DEV).sort()).toEqual([
      "GET /collections 200",
      "GET /roles 200",
      "GET /types 200",
      "GET /types 200",
      "GET /types 200",
      "GET /workflows 200",
    ]);
    expect(env.stats().requests).toBe(6);
    await sim.close();
    sim = await startSimulator({ seed: fullSeed() });
  });
});

describe("round trips through the simulator", () => {
  it("re-writing every demo workflow sends exactly what was read (up to ids) and changes nothing", async () => {
    const env = environmentFor(sim, DEV);
    const snapshot = await env.read();
    const refs = {
      contentTypes: Object.fromEntries(snapshot.native.contentTypes.map((t) => [t.id, t.codename])),
      collections: Object.fromEntries(snapshot.native.collections.map((c) => [c.id, c.codename])),
    };
    for (const [index, workflow] of snapshot.workflows.entries()) {
      const wire = snapshot.native.workflows[index]!;
      const plan = env.planUpdate(workflow, workflow, snapshot);
      expect(plan.losses).toEqual([]);
      expect(plan.value).toHaveLength(1);
      const body = plan.value[0]!.body as KontentWorkflowWrite;
      expect(plan.value[0]!.path).toBe(`/workflows/${wire.id}`);
      // Same body as the read workflow, with each existing step's id kept.
      const withoutIds = { ...body, steps: body.steps.map(({ id: _id, ...step }) => step) };
      expect(withoutIds).toEqual(writeFormOf(wire, refs));
      expect(body.steps.map((step) => step.id)).toEqual(wire.steps.map((step) => step.id));
      await env.execute(plan.value[0]!);
    }
    const after = await env.read();
    expect(after.native.workflows).toEqual(snapshot.native.workflows);
  });

  it("creates the documented example and richer workflows, and reads them back unchanged", async () => {
    const source = environmentFor(sim, RICH);
    const snapshot = await source.read();
    const desired = [
      ...Array.from({ length: 8 }, (_, i) => toNeutral(randomWireWorkflow(100 + i), richReferences).value),
      Workflow.parse({
        ...kontentExampleWorkflow,
        scope: { contentTypes: ["article", "news_item"], collections: ["marketing", "legal"] },
        states: kontentExampleWorkflow.states.map((state) =>
          state.key === "draft" ? { ...state, roles: ["Editor"] } : state,
        ),
      }),
    ];
    for (const workflow of desired) {
      const plan = source.planCreate(workflow, snapshot);
      expect(plan.losses).toEqual([]);
      expect(plan.value.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /workflows"]);
      await source.execute(plan.value[0]!);
    }
    const after = await source.read();
    for (const workflow of desired) {
      const read = after.workflows.find((w) => w.key === workflow.key);
      expect(read, workflow.key).toBeDefined();
      expect(sameWorkflow(read!, workflow), workflow.key).toBe(true);
    }
    // One POST per workflow, plus the two reads.
    expect(requestLines(sim, RICH).filter((line) => line.startsWith("POST"))).toHaveLength(desired.length);
  });
});

describe("promotion dev → prod", () => {
  it("creates and updates dev's workflows in prod (other ids, roles by name, scopes by codename); prod reads back equal", async () => {
    const dev = environmentFor(sim, DEV);
    const prod = environmentFor(sim, PROD);
    const [source, target] = await Promise.all([dev.read(), prod.read()]);
    for (const workflow of source.workflows) {
      const current = target.workflows.find((w) => w.key === workflow.key);
      const plan = current ? prod.planUpdate(workflow, current, target) : prod.planCreate(workflow, target);
      expect(plan.losses).toEqual([]);
      for (const request of plan.value) await prod.execute(request);
    }
    const after = await prod.read();
    for (const workflow of source.workflows) {
      const promoted = after.workflows.find((w) => w.key === workflow.key);
      expect(promoted, workflow.key).toBeDefined();
      expect(sameWorkflow(promoted!, workflow), workflow.key).toBe(true);
    }
    // Role ids differ between the environments: the names were resolved in prod.
    const devWire = source.native.workflows.find((w) => w.codename === "editorial_review")!;
    const prodWire = after.native.workflows.find((w) => w.codename === "editorial_review")!;
    expect(prodWire.steps[0]!.role_ids).not.toEqual(devWire.steps[0]!.role_ids);
    const prodRoles = new Map(after.native.roles.map((r) => [r.id, r.name]));
    expect(prodWire.steps[0]!.role_ids.map((id) => prodRoles.get(id))).toEqual(["Contributor"]);
    // legacy_approval only exists in prod and is left alone (deletes are separate plans).
    expect(after.workflows.some((w) => w.key === "legacy_approval")).toBe(true);
  });

  it("promotes richer workflows between environments whose every id differs", async () => {
    const source = environmentFor(sim, RICH);
    const target = environmentFor(sim, RICH_TARGET);
    const workflows = Array.from(
      { length: 6 },
      (_, i) => toNeutral(randomWireWorkflow(200 + i), richReferences).value,
    );
    const sourceSnapshot = await source.read();
    for (const workflow of workflows) {
      for (const request of source.planCreate(workflow, sourceSnapshot).value) await source.execute(request);
    }
    const [read, targetSnapshot] = await Promise.all([source.read(), target.read()]);
    for (const workflow of read.workflows.filter((w) => w.key !== "default")) {
      for (const request of target.planCreate(workflow, targetSnapshot).value) await target.execute(request);
    }
    const promoted = await target.read();
    for (const workflow of workflows) {
      expect(
        sameWorkflow(promoted.workflows.find((w) => w.key === workflow.key)!, workflow),
        workflow.key,
      ).toBe(true);
    }
    const sourceIds = new Set(read.native.roles.map((r) => r.id));
    expect(promoted.native.roles.some((r) => sourceIds.has(r.id))).toBe(false);
  });

  it("lists every role the target lacks, and sends nothing", async () => {
    const prod = environmentFor(sim, PROD);
    const target = await prod.read();
    sim.clearRequests();
    const workflow = Workflow.parse(editorialWorkflow);
    let error: unknown;
    try {
      prod.planCreate(workflow, target);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnresolvedReferencesError);
    const unresolved = error as UnresolvedReferencesError;
    expect(unresolved.kind).toBe("role");
    expect(unresolved.names).toEqual(["Author", "Editor", "Managing editor"]);
    expect(unresolved.message).toContain("Author, Editor, Managing editor");
    expect(unresolved.message).toContain(`Kontent.ai environment ${PROD.id}`);
    expect(sim.requests()).toEqual([]);
  });
});

describe("updates", () => {
  it("a renamed step keeps its id (content in it stays)", async () => {
    const env = environmentFor(sim, DEV);
    const snapshot = await env.read();
    const current = snapshot.workflows.find((w) => w.key === "editorial_review")!;
    const renamed = structuredClone(current);
    const copyEdit = renamed.states.find((s) => s.key === "copy_edit")!;
    copyEdit.key = "copy_editing";
    for (const t of renamed.transitions) {
      if (t.from === "copy_edit") t.from = "copy_editing";
      if (t.to === "copy_edit") {
        t.to = "copy_editing";
        t.key = "copy_editing";
      }
    }
    const plan = env.planUpdate(renamed, current, snapshot);
    expect(plan.value).toHaveLength(1);
    const body = plan.value[0]!.body as KontentWorkflowWrite;
    const oldId = snapshot.native.workflows.find((w) => w.codename === "editorial_review")!.steps[1]!.id;
    expect(body.steps[1]).toMatchObject({ id: oldId, codename: "copy_editing" });
    // Transitions to the renamed step reference it by id, as the vendor's update sample does.
    expect(body.steps[0]!.transitions_to[0]).toEqual({ step: { id: oldId } });
    await env.execute(plan.value[0]!);
    const after = await env.read();
    expect(sameWorkflow(after.workflows.find((w) => w.key === "editorial_review")!, renamed)).toBe(true);
    const variant = sim
      .state(DEV.id)
      .variants.find((v) => v.item.id === "2bfc31fb-105b-4a72-b3bb-8f01fd4a48dc");
    expect(variant?.workflow.step_identifier.id).toBe(oldId);
  });

  it("reusing a codename that an existing step gives up takes two requests, planned together", async () => {
    const env = environmentFor(sim, DEV);
    const snapshot = await env.read();
    const current = snapshot.workflows.find((w) => w.key === "default")!;
    // "review" becomes "final_review" (same name: the same step), and a new step takes "review".
    const desired = structuredClone(current);
    desired.states = desired.states.flatMap((state) =>
      state.key === "review"
        ? [
            { ...state, key: "final_review" },
            { ...state, key: "review", name: { "en-US": "First review" }, color: "pink" },
          ]
        : [state],
    );
    desired.transitions = desired.transitions.flatMap((t) => {
      if (t.from === "draft" && t.to === "review") {
        return [{ ...t, key: "review", name: { "en-US": "First review" } }];
      }
      if (t.from === "review") return [{ ...t, from: "final_review" }];
      return [t];
    });
    desired.transitions.push({
      key: "final_review",
      from: "review",
      to: "final_review",
      name: { "en-US": "Review" },
      roles: [],
      parameters: [],
      validate: false,
      extensions: {},
    });
    const plan = env.planUpdate(Workflow.parse(desired), current, snapshot);
    expect(plan.losses).toEqual([]);
    expect(plan.value.map((r) => r.description)).toEqual([
      "update workflow default (1/2: free the step codenames review)",
      "update workflow default (2/2: add the steps that reuse them)",
    ]);
    const oldReview = snapshot.native.workflows.find((w) => w.codename === "default")!.steps[1]!.id;
    // The first request only renames: between the two requests content moves exactly as before
    // (same transitions, same roles), under the new codename; no transition to Published is added.
    await env.execute(plan.value[0]!);
    const between = (await env.read()).workflows.find((w) => w.key === "default")!;
    const rename = (key: string | null) => (key === "review" ? "final_review" : key);
    const expected = Workflow.parse({
      ...current,
      states: current.states.map((state) => ({ ...state, key: rename(state.key)! })),
      transitions: current.transitions.map((t) => ({
        ...t,
        key: rename(t.key)!,
        from: rename(t.from)!,
        to: rename(t.to),
      })),
    });
    expect(sameWorkflow(between, expected)).toBe(true);
    await env.execute(plan.value[1]!);
    const after = await env.read();
    const wire = after.native.workflows.find((w) => w.codename === "default")!;
    expect(wire.steps.find((s) => s.codename === "final_review")?.id).toBe(oldReview);
    expect(wire.steps.find((s) => s.codename === "review")?.id).not.toBe(oldReview);
    expect(sameWorkflow(after.workflows.find((w) => w.key === "default")!, Workflow.parse(desired))).toBe(
      true,
    );
  });

  it("removing a step content is in: the vendor's refusal is surfaced with its message", async () => {
    const env = environmentFor(sim, DEV);
    const snapshot = await env.read();
    const current = snapshot.workflows.find((w) => w.key === "editorial_review")!;
    const desired = structuredClone(current);
    desired.states = desired.states.filter((s) => s.key !== "legal_review");
    desired.transitions = desired.transitions.filter(
      (t) => t.from !== "legal_review" && t.to !== "legal_review",
    );
    desired.transitions.push({
      ...desired.transitions[0]!,
      key: "ready",
      from: "copy_edit",
      to: "ready",
      name: { "en-US": "Ready to publish" },
    });
    const plan = env.planUpdate(desired, current, snapshot);
    const error = await env.execute(plan.value[0]!).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KontentApiError);
    const apiError = error as KontentApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.errorCode).toBe(5);
    expect(apiError.requestId).toMatch(/^[0-9a-f]{16}$/);
    expect(apiError.validationErrors.join("\n")).toMatch(/can't be removed because 1 language variant/);
    expect(apiError.message).toContain("Legal review");
  });
});

describe("deletes", () => {
  it("never plans deleting the default workflow", async () => {
    const env = environmentFor(sim, DEV);
    const snapshot = await env.read();
    sim.clearRequests();
    expect(() => env.planDelete(snapshot.workflows.find((w) => w.key === "default")!, snapshot)).toThrow(
      KontentDeleteRefusedError,
    );
    await expect(env.client.deleteWorkflow("00000000-0000-0000-0000-000000000000")).rejects.toThrow(
      /default workflow/,
    );
    expect(sim.requests()).toEqual([]);
  });

  it("deletes an unused workflow", async () => {
    const env = environmentFor(sim, PROD);
    const snapshot = await env.read();
    const plan = env.planDelete(snapshot.workflows.find((w) => w.key === "legacy_approval")!, snapshot);
    expect(plan.map((r) => `${r.method} ${r.path}`)).toEqual([
      `DELETE /workflows/${snapshot.native.workflows.find((w) => w.codename === "legacy_approval")!.id}`,
    ]);
    await env.execute(plan[0]!);
    expect((await env.read()).workflows.some((w) => w.key === "legacy_approval")).toBe(false);
  });

  it("a workflow content is in: the vendor refusal becomes a clear error", async () => {
    const env = environmentFor(sim, DEV);
    const snapshot = await env.read();
    const plan = env.planDelete(snapshot.workflows.find((w) => w.key === "quick_publish")!, snapshot);
    const error = await env.execute(plan[0]!).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KontentDeleteRefusedError);
    expect((error as KontentDeleteRefusedError).reason).toBe("in_use");
    expect((error as Error).message).toMatch(/quick_publish.*1 language variant/);
  });

  it("with checkVariantsBeforeDelete, refuses before sending the DELETE", async () => {
    const env = environmentFor(sim, DEV, { checkVariantsBeforeDelete: true });
    const snapshot = await env.read();
    sim.clearRequests();
    const plan = env.planDelete(snapshot.workflows.find((w) => w.key === "editorial_review")!, snapshot);
    const error = await env.execute(plan[0]!).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KontentDeleteRefusedError);
    expect((error as Error).message).toMatch(/3 language variants are in it/);
    expect(requestLines(sim, DEV).filter((line) => !line.startsWith("GET"))).toEqual([]);
  });

  it("with checkVariantsBeforeDelete, lists the variants once per read, whatever the number of deletes", async () => {
    const env = environmentFor(sim, DEV, { checkVariantsBeforeDelete: true });
    const snapshot = await env.read();
    const collections = sim.state(DEV.id).collections.length;
    sim.clearRequests();
    const listings = () =>
      requestLines(sim, DEV).filter((line) => /^GET \/collections\/[^/]+\/variants/.test(line));
    for (const key of ["editorial_review", "quick_publish"]) {
      const plan = env.planDelete(snapshot.workflows.find((w) => w.key === key)!, snapshot);
      const error = await env.execute(plan[0]!).catch((caught: unknown) => caught);
      expect((error as KontentDeleteRefusedError).reason).toBe("in_use");
      expect((error as Error).message).toContain(key);
    }
    // One listing per collection for both deletes, and nothing else (no re-read of workflows or types).
    expect(listings()).toHaveLength(collections);
    expect(requestLines(sim, DEV)).toHaveLength(collections);
    // A new read starts over: content may have moved meanwhile.
    await env.read();
    const plan = env.planDelete(snapshot.workflows.find((w) => w.key === "quick_publish")!, snapshot);
    await env.execute(plan[0]!).catch(() => undefined);
    expect(listings()).toHaveLength(2 * collections);
  });
});

describe("project", () => {
  it("gives what a read-back would give", async () => {
    const prod = environmentFor(sim, PROD);
    const target = await prod.read();
    const dev = await environmentFor(sim, DEV).read();
    const workflow = dev.workflows.find((w) => w.key === "editorial_review")!;
    const projected = prod.project(workflow, target);
    expect(projected.losses).toEqual([]);
    expect(sameWorkflow(projected.value, workflow)).toBe(true);
  });

  it("is made once per workflow and read, and again when what it resolves against changed", async () => {
    const prod = environmentFor(sim, PROD);
    const target = await prod.read();
    const dev = await environmentFor(sim, DEV).read();
    const workflow = dev.workflows.find((w) => w.key === "editorial_review")!;
    expect(workflow.states.some((state) => state.roles.length > 0)).toBe(true);
    const first = prod.project(workflow, target);
    expect(prod.project(workflow, target)).toBe(first);
    // A new read with the same roles, types and collections: the same projection.
    expect(prod.project(workflow, await prod.read())).toBe(first);
    // The roles were renamed since: the names no longer resolve.
    const native = target.native as KontentNativeSnapshot;
    const renamed = {
      ...target,
      native: { ...native, roles: native.roles.map((role) => ({ ...role, name: `${role.name} (old)` })) },
    };
    expect(() => prod.project(workflow, renamed)).toThrow(UnresolvedReferencesError);
  });

  it("maps a workflow's write body once per read, and again for another read", async () => {
    const prod = environmentFor(sim, PROD);
    const target = await prod.read();
    const dev = await environmentFor(sim, DEV).read();
    const workflow = { ...dev.workflows.find((w) => w.key === "editorial_review")!, key: "copy_of_review" };
    const roleIds = (snapshot: typeof target) =>
      (prod.planCreate(workflow, snapshot).value[0]!.body as KontentWorkflowWrite).steps.flatMap(
        (step) => step.role_ids,
      );
    prod.project(workflow, target);
    const before = roleIds(target);
    expect(before.length).toBeGreaterThan(0);
    // Another read where every role has a new id (deleted and created again under the same name).
    const native = target.native as KontentNativeSnapshot;
    const recreated = {
      ...target,
      native: { ...native, roles: native.roles.map((role) => ({ ...role, id: `new-${role.id}` })) },
    };
    expect(roleIds(recreated)).toEqual(before.map((id) => `new-${id}`));
  });

  it("of a workflow Kontent.ai cannot hold fully, equals the read-back after writing it", async () => {
    const rich = environmentFor(sim, RICH);
    const snapshot = await rich.read();
    const workflow = Workflow.parse(editorialWorkflow);
    const projected = rich.project(workflow, snapshot);
    expect(projected.losses.length).toBeGreaterThan(5);
    for (const request of rich.planCreate(workflow, snapshot).value) await rich.execute(request);
    const after = await rich.read();
    expect(sameWorkflow(after.workflows.find((w) => w.key === "editorial")!, projected.value)).toBe(true);
  });
});

describe("client", () => {
  it("refuses a base URL that would send the key in clear text", () => {
    expect(() => clientFor(sim, DEV, { baseUrl: "http://manage.example.com/v2" })).toThrow(/https/);
  });

  it("reports every validation error of the simulator with its message, without the key", async () => {
    const client = clientFor(sim, DEV);
    const body = {
      name: "x".repeat(201),
      codename: "Bad-Codename",
      scopes: [{ content_types: [{ codename: "no_such_type" }], collections: [] }],
      steps: [
        {
          name: "A step whose name is far too long",
          codename: "published",
          color: "ultraviolet",
          transitions_to: [{ step: { codename: "nowhere" } }],
          role_ids: ["not-a-role"],
        },
      ],
      published_step: { unpublish_role_ids: [], create_new_version_role_ids: [] },
      archived_step: { role_ids: [] },
    } as unknown as KontentWorkflowWrite;
    const error = (await client.addWorkflow(body).catch((caught: unknown) => caught)) as KontentApiError;
    expect(error).toBeInstanceOf(KontentApiError);
    expect(error.status).toBe(400);
    expect(error.errorCode).toBe(5);
    expect(error.request).toBe("POST /workflows");
    const expected = [
      /^name: Provide a nonempty name which fits within 200 characters\.$/,
      /^codename: The codename 'Bad-Codename' is invalid/,
      /^scopes\[0\]\.content_types\[0\]: The referenced content type with codename 'no_such_type' does not exist\.$/,
      /^steps\[0\]\.name: Provide a nonempty step name which fits within 30 characters\.$/,
      /^steps\[0\]\.codename: The codename 'published' is reserved/,
      /^steps\[0\]\.color: The color 'ultraviolet' is not supported/,
      /^steps\[0\]\.role_ids\[0\]: The role 'not-a-role' does not exist\.$/,
      /^steps\[0\]\.transitions_to\[0\]\.step: The referenced workflow step with codename 'nowhere' does not exist/,
    ];
    for (const pattern of expected) {
      expect(
        error.validationErrors.some((message) => pattern.test(message)),
        String(pattern),
      ).toBe(true);
    }
    for (const message of error.validationErrors) expect(error.message).toContain(message);
    const shown = `${error.message} ${JSON.stringify(error)} ${String(error.stack)}`;
    expect(shown).not.toContain(DEV.apiKey);
  });

  it("a wrong key: 401 as a KontentApiError, the key nowhere", async () => {
    const client = clientFor(sim, { id: DEV.id, apiKey: "wrong-secret-key-123" });
    const error = (await client.listWorkflows().catch((caught: unknown) => caught)) as KontentApiError;
    expect(error).toBeInstanceOf(KontentApiError);
    expect(error.status).toBe(401);
    expect(error.requestId).toBeTruthy();
    const cause = error.cause as { request?: { headers?: Record<string, string> } };
    const shown = `${error.message} ${JSON.stringify(error)} ${JSON.stringify(cause?.request)}`;
    expect(shown).not.toContain("wrong-secret-key-123");
  });

  it("gets and moves variants", async () => {
    const client = clientFor(sim, DEV);
    const variant = await client.getVariant({ codename: "launch_announcement" }, { codename: "en-US" });
    expect(variant.workflow?.step_identifier.id).toBe("2400ab8e-fbeb-4b16-a30f-b91bfd452912");
    const byType = await client.listVariantsOfType({ codename: "news" });
    expect(byType.length).toBeGreaterThan(0);
  });
});
