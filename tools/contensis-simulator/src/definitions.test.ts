import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ContensisSimulator, startContensisSimulator } from "./index.ts";
import { AUTHOR, apiClient, DEV, definitionBody, GUID, tokenFor } from "./test-support/http.ts";

let sim: ContensisSimulator;
let api: ReturnType<typeof apiClient>;
const DEFS = "/workflow/definitions";

beforeAll(async () => {
  sim = await startContensisSimulator();
  api = apiClient(sim, await tokenFor(sim));
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

// biome-ignore lint/suspicious/noExplicitAny: mutating test payloads.
type Body = any;

function mutate(change: (body: Body) => void): Body {
  const body = definitionBody("testFlow");
  change(body);
  return body;
}

describe("list and get", () => {
  it("pages the latest versions (system definitions first)", async () => {
    const all = await api.get(DEFS);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ pageIndex: 0, pageSize: 25, totalCount: 4, pageCount: 1 });
    expect(all.body.items.map((d: Body) => `${d.id}@${d.version.versionNo}`)).toEqual([
      "contensisEntryBasic@null",
      "contensisEntryApproval@null",
      "CustomEntryApproval@1.0",
      "legalReview@2.1",
    ]);
    const page = await api.get(`${DEFS}?pageIndex=1&pageSize=3`);
    expect(page.body).toMatchObject({ pageIndex: 1, pageSize: 3, totalCount: 4, pageCount: 2 });
    expect(page.body.items.map((d: Body) => d.id)).toEqual(["legalReview"]);
    expect((await api.get(`${DEFS}?pageIndex=5&pageSize=3`)).body.items).toEqual([]);
    expect((await api.get(`${DEFS}?pageSize=0`)).status).toBe(400);
    expect((await api.get(`${DEFS}?versionStatus=draft`)).status).toBe(400);
  });

  it("serves the published version with versionStatus=published", async () => {
    const published = await api.get(`${DEFS}?versionStatus=published`);
    expect(published.body.items.map((d: Body) => `${d.id}@${d.version.versionNo}`)).toContain(
      "legalReview@2.0",
    );
    const one = await api.get(`${DEFS}/legalReview?versionStatus=published`);
    expect(one.body.version.versionNo).toBe("2.0");
    expect(one.body.version.published).toBe("2025-05-20T14:05:00Z");
    const latest = await api.get(`${DEFS}/legalReview/`);
    // A draft on top of a published version still carries the last publish (DMH `model/version.md`).
    expect(latest.body.version).toMatchObject({ versionNo: "2.1", published: "2025-05-20T14:05:00Z" });
  });

  it("answers 404 for an unknown definition or project", async () => {
    const missing = await api.get(`${DEFS}/nothingHere`);
    expect(missing.status).toBe(404);
    expect(missing.body.logId).toMatch(GUID);
    const project = await apiClient(sim, await tokenFor(sim), "no-such-project").get(DEFS);
    expect(project.status).toBe(404);
  });

  it("serves the system definitions as read-only", async () => {
    const basic = await api.get(`${DEFS}/contensisEntryBasic`);
    expect(basic.body).toMatchObject({ id: "contensisEntryBasic", isSystem: true, projectId: DEV });
    expect(basic.body.states.map((s: Body) => s.id)).toEqual(["draft", "versionComplete"]);
    const approval = await api.get(`${DEFS}/contensisEntryApproval?versionStatus=published`);
    expect(approval.body.states.map((s: Body) => s.id)).toEqual([
      "draft",
      "awaitingApproval",
      "declined",
      "scheduled",
      "versionComplete",
    ]);
    for (const id of ["contensisEntryBasic", "contensisEntryApproval"]) {
      const put = await api.put(`${DEFS}/${id}`, definitionBody(id));
      expect(put.status).toBe(422);
      expect(put.body.message).toContain("system workflow definition");
      expect((await api.delete(`${DEFS}/${id}`)).status).toBe(422);
      expect(
        (await api.post(`${DEFS}/${id}/workflow/events`, { version: "1.0", event: "publish" })).status,
      ).toBe(422);
      expect((await api.post(DEFS, definitionBody(id))).status).toBe(409);
    }
  });
});

describe("create, update, publish, delete", () => {
  it("creates version 0.1 with the server-managed fields", async () => {
    const created = await api.post(DEFS, {
      ...definitionBody("testFlow"),
      uuid: "x",
      isSystem: true,
      unknown: 1,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(
      `/api/management/projects/${DEV}/workflow/definitions/testFlow`,
    );
    expect(created.body).toMatchObject({ id: "testFlow", projectId: DEV, isSystem: false });
    expect(created.body.uuid).toMatch(GUID);
    expect(created.body.unknown).toBeUndefined();
    expect(created.body.version).toMatchObject({ versionNo: "0.1", published: null, publishedBy: null });
    expect(created.body.states).toEqual(definitionBody("testFlow").states);
    expect((await api.post(DEFS, definitionBody("testFlow"))).status).toBe(409);
    // Never published: no published version.
    expect((await api.get(`${DEFS}/testFlow?versionStatus=published`)).status).toBe(404);
  });

  it("bumps the minor part on update and the major part on publish", async () => {
    await api.post(DEFS, definitionBody("testFlow"));
    const updated = await api.put(
      `${DEFS}/testFlow`,
      mutate((b) => (b.name = { "en-GB": "Renamed" })),
    );
    expect(updated.status).toBe(200);
    expect(updated.body.version.versionNo).toBe("0.2");
    expect(updated.body.name).toEqual({ "en-GB": "Renamed" });

    expect(
      (await api.post(`${DEFS}/testFlow/workflow/events`, { version: "0.1", event: "publish" })).status,
    ).toBe(409);
    const published = await api.post(`${DEFS}/testFlow/workflow/events`, {
      version: "0.2",
      event: "publish",
    });
    expect(published.status).toBe(200);
    expect(published.body.version).toMatchObject({ versionNo: "1.0", published: expect.any(String) });
    const again = await api.post(`${DEFS}/testFlow/workflow/events`, { version: "1.0", event: "publish" });
    expect(again.status).toBe(422);
    expect(again.body.message).toContain("already published");
    expect(
      (await api.post(`${DEFS}/testFlow/workflow/events`, { version: "1.0", event: "unpublish" })).status,
    ).toBe(422);

    const edit = await api.put(`${DEFS}/testFlow`, { ...mutate(() => {}), version: { versionNo: "1.0" } });
    expect(edit.body.version.versionNo).toBe("1.1");
    // The draft carries the last publish ("the date and time the resource version was last
    // published"): only its version number says that it is not the published one.
    expect(edit.body.version.published).toBe(published.body.version.published);
    expect(edit.body.version.publishedBy).toBe(published.body.version.publishedBy);
    expect((await api.get(`${DEFS}/testFlow?versionStatus=published`)).body.version.versionNo).toBe("1.0");
    expect((await api.get(`${DEFS}/testFlow`)).body.version.versionNo).toBe("1.1");

    const stored = sim.state(DEV).definitions.find((d) => d.id === "testFlow");
    expect(stored?.versions.map((v) => v.version.versionNo)).toEqual(["0.1", "0.2", "1.0", "1.1"]);
    expect(stored?.published?.version.versionNo).toBe("1.0");
    expect(stored?.latest.version.versionNo).toBe("1.1");

    // The draft is not published (whatever its timestamp says): publishing it is not refused.
    const second = await api.post(`${DEFS}/testFlow/workflow/events`, { version: "1.1", event: "publish" });
    expect(second.status).toBe(200);
    expect(second.body.version.versionNo).toBe("2.0");
  });

  it("refuses an update based on an older version (409) or renaming the id (422)", async () => {
    await api.post(DEFS, definitionBody("testFlow"));
    await api.put(`${DEFS}/testFlow`, definitionBody("testFlow"));
    const stale = await api.put(`${DEFS}/testFlow`, {
      ...definitionBody("testFlow"),
      version: { versionNo: "0.1" },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.type).toBe("NotLatestVersion");
    expect(stale.body.logId).toMatch(GUID);
    expect((await api.put(`${DEFS}/testFlow`, definitionBody("otherName"))).status).toBe(422);
    expect((await api.put(`${DEFS}/nothingHere`, definitionBody("nothingHere"))).status).toBe(404);
    const withoutId = mutate((b) => delete b.id);
    expect((await api.put(`${DEFS}/testFlow`, withoutId)).body.version.versionNo).toBe("0.3");
  });

  it("deletes a definition (204) unless a content type uses it (422 naming them)", async () => {
    const inUse = await api.delete(`${DEFS}/legalReview`);
    expect(inUse.status).toBe(422);
    expect(inUse.body.type).toBe("Validation");
    expect(inUse.body.message).toContain("legalNotice");
    await api.post(DEFS, definitionBody("testFlow"));
    const deleted = await api.delete(`${DEFS}/testFlow`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect((await api.get(`${DEFS}/testFlow`)).status).toBe(404);
    expect((await api.delete(`${DEFS}/testFlow`)).status).toBe(404);
  });

  it("answers 400 for a body that is not JSON", async () => {
    expect((await api.post(DEFS, "{not json")).status).toBe(400);
  });
});

describe("validation (422, type Validation, data [{field, message}])", () => {
  const cases: [string, (b: Body) => void, string][] = [
    ["id longer than 25", (b) => (b.id = "a".repeat(26)), "id"],
    ["id starting with a digit", (b) => (b.id = "1flow"), "id"],
    ["id with a hyphen", (b) => (b.id = "test-flow"), "id"],
    ["missing id", (b) => delete b.id, "id"],
    ["missing name", (b) => delete b.name, "name"],
    ["no states", (b) => (b.states = []), "states"],
    ["state id longer than 30", (b) => (b.states[1].id = "s".repeat(31)), "states[1].id"],
    ["state id with a space", (b) => (b.states[1].id = "in review"), "states[1].id"],
    ["duplicate state ids", (b) => (b.states[1].id = "draft"), "states"],
    ["sysWorkflow as a state id", (b) => (b.states[1].id = "sysWorkflow"), "states[1].id"],
    ["missing state name", (b) => delete b.states[0].name, "states[0].name"],
    ["event id longer than 30", (b) => (b.states[0].events[0].id = "e".repeat(31)), "states[0].events[0].id"],
    ["duplicate event ids in a state", (b) => (b.states[1].events[1].id = "approve"), "states[1].events"],
    ["missing event name", (b) => delete b.states[0].events[0].name, "states[0].events[0].name"],
    [
      "transitionTo an unknown state",
      (b) => (b.states[0].events[0].transitionTo = "nowhere"),
      "states[0].events[0].transitionTo",
    ],
    ["missing groupId", (b) => delete b.states[0].events[0].groupId, "states[0].events[0].groupId"],
    [
      "groupId of no event group",
      (b) => (b.states[0].events[0].groupId = "other"),
      "states[0].events[0].groupId",
    ],
    ["event group id longer than 50", (b) => (b.eventGroups[0].id = "g".repeat(51)), "eventGroups[0].id"],
    ["duplicate event group ids", (b) => b.eventGroups.push({ ...b.eventGroups[0] }), "eventGroups"],
    [
      "parameter id longer than 50",
      (b) => (b.states[0].events[0].parameters = [{ id: "p".repeat(51), name: { "en-GB": "P" } }]),
      "states[0].events[0].parameters[0].id",
    ],
    [
      "duplicate parameter ids",
      (b) =>
        (b.states[0].events[0].parameters = [
          { id: "note", name: { "en-GB": "A" } },
          { id: "note", name: { "en-GB": "B" } },
        ]),
      "states[0].events[0].parameters",
    ],
    [
      "unknown parameter validation",
      (b) => (b.states[0].events[0].parameters = [{ id: "n", name: {}, validations: { maxLength: 3 } }]),
      "states[0].events[0].parameters[0].validations.maxLength",
    ],
    [
      "unknown parameter editor",
      (b) => (b.states[0].events[0].parameters = [{ id: "n", name: {}, editor: { id: "richText" } }]),
      "states[0].events[0].parameters[0].editor.id",
    ],
    ["state colour outside the palette", (b) => (b.states[0].color = "purple"), "states[0].color"],
    [
      "event colour outside the palette",
      (b) => (b.states[0].events[0].color = "yellow"),
      "states[0].events[0].color",
    ],
    ["unknown uiEditorView", (b) => (b.states[0].uiEditorView = "split"), "states[0].uiEditorView"],
    ["unknown uiAction", (b) => (b.states[0].events[0].uiAction = "close"), "states[0].events[0].uiAction"],
    ["non-boolean allowUpdates", (b) => (b.states[0].allowUpdates = "no"), "states[0].allowUpdates"],
    [
      "unknown exit action",
      (b) => (b.states[0].events[0].exitActions = [{ invokeAction: "emailEntry" }]),
      "states[0].events[0].exitActions[0].invokeAction",
    ],
    [
      "unknown invokableWhen field",
      (b) => (b.states[1].events[0].invokableWhen = [{ field: "isLocked()", equalTo: true }]),
      "states[1].events[0].invokableWhen[0].field",
    ],
  ];

  it.each(cases)("refuses %s", async (_name, change, field) => {
    const answer = await api.post(DEFS, mutate(change));
    expect(answer.status).toBe(422);
    expect(answer.body.type).toBe("Validation");
    expect(answer.body.logId).toMatch(GUID);
    expect(answer.body.data.map((i: Body) => i.field)).toContain(field);
    for (const issue of answer.body.data) expect(issue.message).toEqual(expect.any(String));
  });

  it("validates updates the same way", async () => {
    await api.post(DEFS, definitionBody("testFlow"));
    const answer = await api.put(
      `${DEFS}/testFlow`,
      mutate((b) => (b.states[0].color = "purple")),
    );
    expect(answer.status).toBe(422);
    expect(answer.body.data).toEqual([
      { field: "states[0].color", message: expect.stringContaining("purple") },
    ]);
  });

  it.each([
    ["id of exactly 25 characters", (b: Body) => (b.id = `a${"b".repeat(24)}`)],
    ["same event id in two states", (b: Body) => (b.states[1].events[0].id = "submit")],
    ["transitionTo null / absent / sysWorkflow", (b: Body) => delete b.states[1].events[1].transitionTo],
    [
      "legacy colours blue and cyan",
      (b: Body) => {
        b.states[0].color = "cyan";
        b.states[0].events[0].color = "blue";
      },
    ],
    [
      "the old shape (entryActions / exitActions)",
      (b: Body) => {
        b.states[0].entryActions = [];
        b.states[0].events[0].exitActions = [{ invokeAction: "validateEntry" }];
        b.states[1].events[0].exitActions = null;
        delete b.states[0].events[0].validate;
      },
    ],
    [
      "a documented required parameter and guard",
      (b: Body) => {
        b.states[1].events[0].invokableWhen = [{ field: "isScheduledForPublish()", equalTo: false }];
        b.states[1].events[1].parameters = [
          {
            id: "note",
            name: { "en-GB": "Note" },
            dataType: "string",
            dataFormat: null,
            default: null,
            validations: { required: { message: { "en-GB": "A note is required" } } },
            editor: { id: "multiline", instructions: { "en-GB": "Write a note" }, properties: null },
          },
        ];
      },
    ],
  ])("accepts %s", async (_name, change) => {
    const body = mutate(change);
    const answer = await api.post(DEFS, body);
    expect(answer.status).toBe(201);
    expect(answer.body.states).toEqual(body.states);
  });

  it("accepts the documented CustomEntryApproval and DMH approvalWorkflow examples", async () => {
    const custom = (await api.get(`${DEFS}/CustomEntryApproval`)).body;
    const approval = (await api.get(`${DEFS}/contensisEntryApproval`)).body;
    for (const [id, source] of [
      ["customCopy", custom],
      ["approvalCopy", approval],
    ]) {
      const answer = await api.post(DEFS, { ...source, id });
      expect(answer.status).toBe(201);
      expect(answer.body.states).toEqual(source.states);
      expect(answer.body.eventGroups).toEqual(source.eventGroups);
    }
  });
});

describe("routing", () => {
  it("answers 400 for a malformed path escape, 404 for an unknown route, 405 for a wrong method", async () => {
    expect((await api.get(`${DEFS}/%E0%A4%A`)).status).toBe(400);
    expect((await api.get("/unknown/things")).status).toBe(404);
    const wrong = await api.delete("/contenttypes");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET");
    const log = sim.requests().at(-1);
    expect(log).toMatchObject({ method: "DELETE", status: 405, projectId: DEV, write: true });
  });

  it("matches path segments case-insensitively and ignores a trailing slash", async () => {
    expect((await api.get("/Workflow/Definitions/")).status).toBe(200);
    expect((await api.get("/CONTENTTYPES/blogPost/")).status).toBe(200);
  });
});

describe("rules of the docs on definitions (issue 12)", () => {
  it("refuses a definition without a publishing event (422): no event transitions to sysWorkflow", async () => {
    const body = mutate((b) => {
      b.states[1].events[0].transitionTo = "draft";
    });
    const answer = await api.post(DEFS, body);
    expect(answer.status).toBe(422);
    expect(answer.body.type).toBe("Validation");
    expect(answer.body.data).toEqual([
      { field: "states", message: expect.stringMatching(/transition to the 'sysWorkflow' state/) },
    ]);
    // the older shape publishes with an exit action: accepted
    const older = mutate((b) => {
      b.states[1].events[0].transitionTo = "draft";
      b.states[1].events[0].exitActions = [{ invokeAction: "publishEntry" }];
    });
    expect((await api.post(DEFS, older)).status).toBe(201);
  });

  it("refuses definition writes from a client that is not an administrator (403 AccessDenied)", async () => {
    const author = apiClient(sim, await tokenFor(sim, AUTHOR));
    expect((await author.get(DEFS)).status).toBe(200);
    for (const answer of [
      await author.post(DEFS, definitionBody("byAuthor")),
      await author.put(`${DEFS}/CustomEntryApproval`, definitionBody("CustomEntryApproval")),
      await author.delete(`${DEFS}/legalReview`),
      await author.post(`${DEFS}/legalReview/workflow/events`, { version: "2.1", event: "publish" }),
    ]) {
      expect(answer.status).toBe(403);
      expect(answer.body.type).toBe("AccessDenied");
    }
    expect((await api.get(`${DEFS}/byAuthor`)).status).toBe(404);
  });
});
