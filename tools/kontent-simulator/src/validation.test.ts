/** Each validation rule of workflow writes: 400, error_code 5, a validation error with its path. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type KontentSimulator, startKontentSimulator } from "./index.ts";
import {
  ARCHIVED,
  call,
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

const post = (body: unknown) => call(sim, "POST", "/workflows", { body, env: TINY.env, key: TINY.key });

/** Posts the body and expects exactly one validation error at `path` whose message matches. */
async function expectInvalid(body: unknown, path: string, message: RegExp) {
  const result = await post(body);
  expect(result.status).toBe(400);
  expect(result.body.error_code).toBe(5);
  expect(result.body.message).toMatch(/^The provided request body is invalid/);
  expect(result.body.validation_errors).toEqual([{ path, message: expect.stringMatching(message) }]);
  expect(sim.state(TINY.env).workflows).toHaveLength(2);
}

const step = (index: number, patch: Record<string, unknown>) => {
  const body = newWorkflowBody();
  body.steps[index] = { ...body.steps[index], ...patch };
  return body;
};

describe("valid bodies", () => {
  it("accepts the base body", async () => {
    const result = await post(newWorkflowBody());
    expect(result.status).toBe(201);
  });

  it.each([
    ["name of 200 characters", { name: "n".repeat(200) }],
    ["codename of 60 characters", { codename: `_${"a".repeat(59)}` }],
    ["no codename (derived from the name)", { codename: undefined }],
    ["empty scopes", { scopes: [] }],
  ])("accepts %s", async (_label, patch) => {
    expect((await post(newWorkflowBody(patch))).status).toBe(201);
  });

  it("derives a unique codename from the name", async () => {
    const a = await post(newWorkflowBody({ codename: undefined, name: "Legal Flow (EU)" }));
    const b = await post(newWorkflowBody({ codename: undefined, name: "Legal Flow (EU)" }));
    expect([a.body.codename, b.body.codename]).toEqual(["legal_flow_eu", "legal_flow_eu_2"]);
  });

  it("accepts a step name of 30 and a step codename of 40 characters", async () => {
    const body = step(1, { name: "s".repeat(30), codename: "c".repeat(40) });
    body.steps[0].transitions_to = [{ step: { codename: "c".repeat(40) } }];
    body.steps[1].transitions_to = [{ step: { codename: "published" } }];
    expect((await post(body)).status).toBe(201);
  });

  it("accepts every colour of the palette", async () => {
    const colours = [
      "gray",
      "red",
      "rose",
      "light-purple",
      "dark-purple",
      "dark-blue",
      "light-blue",
      "sky-blue",
    ];
    const more = [
      "mint-green",
      "persian-green",
      "dark-green",
      "light-green",
      "yellow",
      "pink",
      "orange",
      "brown",
    ];
    const body = newWorkflowBody({
      steps: [...colours, ...more].map((color, i) => ({
        name: `S${i}`,
        codename: `s${i}`,
        color,
        transitions_to: [{ step: { codename: "published" } }],
        role_ids: [],
      })),
    });
    expect((await post(body)).status).toBe(201);
  });
});

describe("rules", () => {
  it.each([
    ["empty", ""],
    ["blank", "   "],
    ["201 characters", "n".repeat(201)],
    ["not a string", 42],
  ])("name: rejects %s", async (_label, name) => {
    await expectInvalid(newWorkflowBody({ name }), "name", /nonempty name which fits within 200/);
  });

  it.each([
    ["61 characters", "a".repeat(61), /fits within 60/],
    ["empty", "", /fits within 60/],
    ["uppercase", "Legal", /is invalid/],
    ["a hyphen", "legal-flow", /is invalid/],
    ["a leading digit", "1legal", /is invalid/],
  ])("workflow codename: rejects %s", async (_label, codename, message) => {
    await expectInvalid(newWorkflowBody({ codename }), "codename", message);
  });

  it("workflow codename: must be unique", async () => {
    await expectInvalid(
      newWorkflowBody({ codename: "blog" }),
      "codename",
      /already used by another workflow/,
    );
  });

  it.each([
    ["empty", ""],
    ["31 characters", "s".repeat(31)],
  ])("step name: rejects %s", async (_label, name) => {
    await expectInvalid(step(0, { name }), "steps[0].name", /nonempty step name which fits within 30/);
  });

  it.each([
    ["41 characters", "c".repeat(41), /fits within 40/],
    ["missing", undefined, /fits within 40/],
    ["a space", "to do", /is invalid/],
    ["a reserved codename", "archived", /reserved for a predefined workflow step/],
  ])("step codename: rejects %s", async (_label, codename, message) => {
    const body = step(0, { codename });
    body.steps[1].transitions_to = [{ step: { codename: "published" } }];
    await expectInvalid(body, "steps[0].codename", message);
  });

  it("step codenames: must be unique", async () => {
    const body = step(1, { codename: "write", transitions_to: [{ step: { codename: "published" } }] });
    body.steps[0].transitions_to = [{ step: { codename: "published" } }];
    await expectInvalid(body, "steps[1].codename", /used by more than one step/);
  });

  it.each(["green", "blue", "", null])("color: rejects %s", async (color) => {
    await expectInvalid(step(0, { color }), "steps[0].color", /is not supported/);
  });

  it("transitions_to: at least one", async () => {
    await expectInvalid(step(1, { transitions_to: [] }), "steps[1].transitions_to", /at least one step/);
  });

  it("transitions_to: unique (also across id and codename references)", async () => {
    await expectInvalid(
      step(1, { transitions_to: [{ step: { codename: "published" } }, { step: { id: PUBLISHED } }] }),
      "steps[1].transitions_to[1]",
      /must be unique/,
    );
  });

  it.each([
    ["an unknown codename", { codename: "nowhere" }, /codename 'nowhere' does not exist/],
    ["an unknown id", { id: "99999999-9999-4999-8999-999999999999" }, /does not exist/],
    ["the scheduled step", { codename: "scheduled" }, /can't transition to the Scheduled step/],
    ["the scheduled step by id", { id: SCHEDULED }, /can't transition to the Scheduled step/],
    ["two identifiers", { id: PUBLISHED, codename: "published" }, /exactly one identifier/],
    ["an external id", { external_id: "x" }, /only by id or codename/],
  ])("transitions_to: rejects %s", async (_label, ref, message) => {
    await expectInvalid(
      step(1, { transitions_to: [{ step: { codename: "published" } }, { step: ref }] }),
      "steps[1].transitions_to[1].step",
      message,
    );
  });

  it("transitions_to: may reference archived by codename and by id", async () => {
    const body = step(1, {
      transitions_to: [{ step: { codename: "published" } }, { step: { id: ARCHIVED } }],
    });
    body.steps[0].transitions_to.push({ step: { codename: "archived" } });
    const result = await post(body);
    expect(result.status).toBe(201);
    expect(result.body.steps[0].transitions_to[1]).toEqual({ step: { id: ARCHIVED } });
  });

  it("every step must eventually reach published", async () => {
    // write → check → write: a loop that never publishes.
    const body = step(1, {
      transitions_to: [{ step: { codename: "write" } }, { step: { codename: "archived" } }],
    });
    const result = await post(body);
    expect(result.status).toBe(400);
    expect(result.body.validation_errors).toEqual([
      { path: "steps[0]", message: expect.stringMatching(/'write' never reaches the Published step/) },
      { path: "steps[1]", message: expect.stringMatching(/'check' never reaches the Published step/) },
    ]);
  });

  it("steps: at least one", async () => {
    await expectInvalid(newWorkflowBody({ steps: [] }), "steps", /at least one workflow step/);
  });

  it("steps: role_ids is required", async () => {
    await expectInvalid(step(0, { role_ids: undefined }), "steps[0].role_ids", /as an array/);
  });

  it.each([
    [
      "content type codename",
      { content_types: [{ codename: "nope" }] },
      "scopes[0].content_types[0]",
      /content type with codename 'nope'/,
    ],
    [
      "content type id",
      { content_types: [{ id: "x" }] },
      "scopes[0].content_types[0]",
      /content type with id 'x'/,
    ],
    [
      "collection",
      { content_types: [], collections: [{ codename: "nope" }] },
      "scopes[0].collections[0]",
      /collection with codename 'nope'/,
    ],
    ["malformed reference", { content_types: [{}] }, "scopes[0].content_types[0]", /exactly one identifier/],
  ])("scopes: rejects an unknown %s", async (_label, scope, path, message) => {
    await expectInvalid(newWorkflowBody({ scopes: [scope] }), path, message);
  });

  it("scopes: content types resolve by external_id", async () => {
    const result = await post(
      newWorkflowBody({ scopes: [{ content_types: [{ external_id: "type-article" }] }] }),
    );
    expect(result.status).toBe(201);
    expect(result.body.scopes).toEqual([{ content_types: [{ id: TINY.types.article }], collections: [] }]);
  });

  it("scopes: required", async () => {
    await expectInvalid(newWorkflowBody({ scopes: undefined }), "scopes", /as an array/);
  });

  it.each([
    ["a step", (b: Record<string, Json>) => (b.steps[0].role_ids = ["nope"]), "steps[0].role_ids[0]"],
    [
      "unpublish",
      (b: Record<string, Json>) => (b.published_step.unpublish_role_ids = ["nope"]),
      "published_step.unpublish_role_ids[0]",
    ],
    [
      "new version",
      (b: Record<string, Json>) => (b.published_step.create_new_version_role_ids = ["nope"]),
      "published_step.create_new_version_role_ids[0]",
    ],
    [
      "archived",
      (b: Record<string, Json>) => (b.archived_step.role_ids = ["nope"]),
      "archived_step.role_ids[0]",
    ],
  ])("roles: rejects an unknown role in %s", async (_label, mutate, path) => {
    const body = newWorkflowBody();
    mutate(body);
    await expectInvalid(body, path, /role 'nope' does not exist/);
  });

  it.each(["published_step", "archived_step"])("%s is required", async (key) => {
    await expectInvalid(newWorkflowBody({ [key]: undefined }), key, new RegExp(`Provide the ${key}`));
  });

  it("reports every problem at once", async () => {
    const result = await post(newWorkflowBody({ name: "", codename: "BAD", steps: [] }));
    expect(result.body.validation_errors.map((v: { path: string }) => v.path)).toEqual([
      "name",
      "codename",
      "steps",
    ]);
  });

  it("rejects a body that isn't an object", async () => {
    const result = await post([1, 2]);
    expect(result.status).toBe(400);
    expect(result.body.validation_errors[0].message).toMatch(/JSON object/);
  });
});
