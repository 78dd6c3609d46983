import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ContensisSimulator, startContensisSimulator } from "./index.ts";
import {
  ADMIN,
  AUTHOR,
  apiClient,
  DEV,
  definitionBody,
  ENTRY,
  tinySeed,
  tokenFor,
} from "./test-support/http.ts";

let sim: ContensisSimulator;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  sim = await startContensisSimulator();
  api = apiClient(sim, await tokenFor(sim));
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const events = (id: string) => `/entries/${id}/workflow/events`;

describe("reading entries", () => {
  it("gets a variation by language (case-insensitive) and by version status", async () => {
    const fr = await api.get(`/entries/${ENTRY.blogPublishedTwoLanguages}?language=fr-fr`);
    expect(fr.body.sys.language).toBe("fr-FR");
    expect(fr.body.sys.availableLanguages).toEqual(["en-GB", "fr-FR"]);
    expect((await api.get(`/entries/${ENTRY.blogPublishedTwoLanguages}?language=de-DE`)).status).toBe(404);
    expect((await api.get("/entries/00000000-0000-0000-0000-000000000000")).status).toBe(404);

    // Published 2.0, later draft 2.1.
    const latest = await api.get(`/entries/${ENTRY.newsPublishedWithDraft}`);
    expect(latest.body.sys.version).toMatchObject({ versionNo: "2.1", published: null });
    expect(latest.body.sys.isPublished).toBe(true);
    expect(latest.body.sys.workflow.allowedEvents).toEqual([
      "draft.sysUpdate",
      "draft.submit",
      "draft.sysDelete",
      "sysUnpublish",
    ]);
    const live = await api.get(`/entries/${ENTRY.newsPublishedWithDraft}?versionStatus=published`);
    expect(live.body.sys.version).toMatchObject({ versionNo: "2.0", published: "2025-05-01T10:00:00Z" });
    expect((await api.get(`/entries/${ENTRY.newsPublishedWithDraft}?version=2.0`)).status).toBe(200);
    expect((await api.get(`/entries/${ENTRY.newsPublishedWithDraft}?version=1.3`)).status).toBe(404);
  });

  it("lists entries as a paged list, by content type too", async () => {
    const all = await api.get("/entries?pageSize=5");
    expect(all.body).toMatchObject({ pageIndex: 0, pageSize: 5, totalCount: 11, pageCount: 3 });
    const news = await api.get("/contenttypes/newsArticle/entries");
    expect(news.body.totalCount).toBe(4);
    const published = await api.get("/entries?versionStatus=published&language=en-GB");
    expect(published.body.items.map((e: { sys: { id: string } }) => e.sys.id)).toEqual([
      ENTRY.blogPublishedTwoLanguages,
      ENTRY.legalSignOff,
      ENTRY.newsPublishedWithDraft,
    ]);
  });
});

describe("invoking events", () => {
  it("accepts a bare event id (current state implied)", async () => {
    const answer = await api.post(events(ENTRY.newsDraft), { event: "submit", language: "en-GB" });
    expect(answer.status).toBe(200);
    expect(answer.body.sys.workflow).toMatchObject({
      state: "awaitingApproval",
      transition: { event: "submit", from: "draft" },
    });
  });

  it.each([
    ["an event of another state", "awaitingApproval.approve"],
    ["an unknown event", "draft.fly"],
    ["a bare unknown event", "fly"],
  ])("refuses %s with a WorkflowException", async (_name, event) => {
    const answer = await api.post(events(ENTRY.newsDraft), { event });
    expect(answer.status).toBe(422);
    expect(answer.body.type).toBe("WorkflowException");
    expect(answer.body.message).toContain(event);
    expect(sim.state(DEV).entries.find((e) => e.sys.id === ENTRY.newsDraft)?.sys.version.versionNo).toBe(
      "0.1",
    );
  });

  it.each(["draft.sysUpdate", "sysDelete"])(
    "refuses %s: not invokable through workflow events",
    async (event) => {
      const answer = await api.post(events(ENTRY.newsDraft), { event });
      expect(answer.status).toBe(422);
      expect(answer.body.message).toContain("cannot be invoked through a workflow event");
    },
  );

  it("refuses a trigger without an event, and a stale version (409)", async () => {
    const noEvent = await api.post(events(ENTRY.newsDraft), { language: "en-GB" });
    expect(noEvent.status).toBe(422);
    expect(noEvent.body.data).toEqual([{ field: "event", message: expect.any(String) }]);
    const stale = await api.post(events(ENTRY.newsDraft), { event: "draft.submit", version: "0.0" });
    expect(stale.status).toBe(409);
  });

  it("a null transition stays in the state and saves a version", async () => {
    const missingNote = await api.post(events(ENTRY.legalInReview), {
      event: "legalReview.addNote",
      data: { note: "  " },
    });
    expect(missingNote.status).toBe(422);
    expect(missingNote.body.message).toBe("A note cannot be empty");
    const answer = await api.post(events(ENTRY.legalInReview), {
      event: "legalReview.addNote",
      data: { note: "Checked clause 4" },
    });
    expect(answer.body.sys.workflow).toMatchObject({
      state: "legalReview",
      transition: { event: "addNote", from: "legalReview", data: { note: "Checked clause 4" } },
    });
    expect(answer.body.sys.version.versionNo).toBe("0.3");
  });

  it("a custom transition to sysWorkflow publishes into versionComplete", async () => {
    await api.post(events(ENTRY.legalInReview), { event: "legalReview.approve" });
    const signOff = await api.get(`/entries/${ENTRY.legalInReview}`);
    expect(signOff.body.sys.workflow.state).toBe("editorialSignOff");
    expect(signOff.body.sys.workflow.allowedEvents).toEqual([
      "editorialSignOff.publish",
      "editorialSignOff.reject",
    ]);
    const published = await api.post(events(ENTRY.legalInReview), { event: "editorialSignOff.publish" });
    expect(published.body.sys.workflow.state).toBe("versionComplete");
    expect(published.body.sys.isPublished).toBe(true);
    expect(published.body.sys.version.versionNo).toBe("1.0");
    expect(published.body.sys.workflow.allowedEvents).toEqual([
      "versionComplete.sysUpdate",
      "versionComplete.sysDelete",
      "sysUnpublish",
    ]);
  });

  it("evaluates invokableWhen isScheduledForPublish() and schedules instead of publishing", async () => {
    const entry = await api.get(`/entries/${ENTRY.pressScheduled}`);
    expect(entry.body.sys.workflow.allowedEvents).toEqual([
      "awaitingApproval.revoke",
      "awaitingApproval.decline",
      "awaitingApproval.scheduledApprove",
    ]);
    const guarded = await api.post(events(ENTRY.pressScheduled), { event: "awaitingApproval.approve" });
    expect(guarded.status).toBe(422);
    expect(guarded.body.type).toBe("WorkflowException");
    expect(guarded.body.message).toContain("isScheduledForPublish() == false");

    const scheduled = await api.post(events(ENTRY.pressScheduled), {
      event: "awaitingApproval.scheduledApprove",
    });
    expect(scheduled.body.sys.workflow.state).toBe("scheduled");
    expect(scheduled.body.sys.isPublished).toBe(false);
    expect(scheduled.body.sys.version.versionNo).toBe("0.3");
    expect(scheduled.body.sys.workflow.allowedEvents).toEqual(["scheduled.cancel", "scheduled.publishNow"]);

    const now = await api.post(events(ENTRY.pressScheduled), { event: "publishNow" });
    expect(now.body.sys.workflow.state).toBe("versionComplete");
    expect(now.body.sys.isPublished).toBe(true);
    expect(now.body.sys.version.versionNo).toBe("1.0");
    expect(now.body.sys.schedules.publish).toBeNull();
  });

  it("a schedule set through the API flips the guards", async () => {
    await api.post(events(ENTRY.pressDraft), { event: "draft.submit" });
    const set = await api.put(`/entries/${ENTRY.pressDraft}/schedules/publish?language=en-GB`, {
      dateTime: "2031-01-01T00:00:00Z",
    });
    expect(set.status).toBe(201);
    expect(set.body.sys.schedules.publish).toEqual({ dateTime: "2031-01-01T00:00:00Z" });
    expect(set.body.sys.workflow.allowedEvents).toContain("awaitingApproval.scheduledApprove");
    expect(
      (await api.put(`/entries/${ENTRY.pressDraft}/schedules/publish`, { dateTime: "soon" })).status,
    ).toBe(422);
    const cleared = await api.delete(`/entries/${ENTRY.pressDraft}/schedules/publish`);
    expect(cleared.body.sys.workflow.allowedEvents).toContain("awaitingApproval.approve");
    const approved = await api.post(events(ENTRY.pressDraft), { event: "awaitingApproval.approve" });
    expect(approved.body.sys.workflow.state).toBe("versionComplete");
  });

  it("validate: true checks the content type's required fields", async () => {
    sim.reset(
      tinySeed({
        contentTypes: [
          {
            id: "page",
            name: { "en-GB": "Page" },
            workflowId: "contensisEntryApproval",
            fields: [
              { id: "title", validations: { required: { message: { "en-GB": "A page needs a title" } } } },
            ],
          },
        ],
        entries: [{ sys: { id: "e1", contentTypeId: "page", language: "en-GB" }, title: "" }],
      }),
    );
    const invalid = await api.post(events("e1"), { event: "draft.submit" });
    expect(invalid.status).toBe(422);
    expect(invalid.body.data).toEqual([{ field: "title", message: "A page needs a title" }]);
  });
});

describe("sysUnpublish", () => {
  it("unpublishes every variation when the trigger has no language", async () => {
    const answer = await api.post(events(ENTRY.blogPublishedTwoLanguages), { event: "sysUnpublish" });
    expect(answer.status).toBe(200);
    const variations = sim.state(DEV).entries.filter((e) => e.sys.id === ENTRY.blogPublishedTwoLanguages);
    expect(
      variations.map((e) => [
        e.sys.language,
        e.sys.isPublished,
        e.sys.workflow.state,
        e.sys.version.versionNo,
      ]),
    ).toEqual([
      ["en-GB", false, "draft", "1.1"],
      ["fr-FR", false, "draft", "1.1"],
    ]);
  });

  it("unpublishes one variation with a language and keeps a later draft's state", async () => {
    await api.post(events(ENTRY.blogPublishedTwoLanguages), { event: "sysUnpublish", language: "fr-FR" });
    const [en, fr] = sim.state(DEV).entries.filter((e) => e.sys.id === ENTRY.blogPublishedTwoLanguages);
    expect(en?.sys.isPublished).toBe(true);
    expect(fr?.sys.isPublished).toBe(false);
    const draft = await api.post(events(ENTRY.newsPublishedWithDraft), {
      event: "sysUnpublish",
      language: "en-GB",
    });
    expect(draft.body.sys.workflow.state).toBe("draft");
    expect((await api.get(`/entries/${ENTRY.newsPublishedWithDraft}?versionStatus=published`)).status).toBe(
      404,
    );
  });
});

describe("permissions of API keys", () => {
  it("filters allowedEvents and answers 403 for an event the key's roles do not grant", async () => {
    const author = apiClient(sim, await tokenFor(sim, AUTHOR));
    const entry = await author.get(`/entries/${ENTRY.newsAwaitingApproval}`);
    expect(entry.body.sys.workflow.allowedEvents).toEqual(["awaitingApproval.revoke"]);
    const denied = await author.post(events(ENTRY.newsAwaitingApproval), {
      event: "awaitingApproval.approve",
    });
    expect(denied.status).toBe(403);
    expect(denied.body.logId).toEqual(expect.any(String));
    const revoked = await author.post(events(ENTRY.newsAwaitingApproval), {
      event: "awaitingApproval.revoke",
    });
    expect(revoked.status).toBe(200);
    // Wildcards: "legalReview.changesRequested.*"; no sysUnpublish for authors.
    expect(
      (await author.post(events(ENTRY.blogPublishedTwoLanguages), { event: "sysUnpublish" })).status,
    ).toBe(403);

    const approver = apiClient(
      sim,
      await tokenFor(sim, { clientId: "demo-approver", clientSecret: "demo-approver-secret" }),
    );
    const approved = await approver.post(events(ENTRY.pressScheduled), {
      event: "awaitingApproval.scheduledApprove",
    });
    expect(approved.status).toBe(200);
    expect(approved.body.sys.workflow.transition.invokedBy).toBe("demo-approver");
  });

  it("an admin client (no apiKey) may do everything", async () => {
    const admin = apiClient(sim, await tokenFor(sim, ADMIN));
    const entry = await admin.get(`/entries/${ENTRY.newsAwaitingApproval}`);
    expect(entry.body.sys.workflow.allowedEvents).toEqual([
      "awaitingApproval.revoke",
      "awaitingApproval.decline",
      "awaitingApproval.approve",
      "awaitingApproval.sysDelete",
    ]);
  });
});

describe("definitions and entries together", () => {
  it("entries follow the published version of their definition, not a later draft", () => {
    const published = {
      ...definitionBody("reviewFlow"),
      version: { versionNo: "1.0", published: "2025-01-01T00:00:00Z" },
    };
    const draft = { ...definitionBody("reviewFlow"), version: { versionNo: "1.1", published: null } };
    draft.states[0]!.events[0]!.id = "send";
    sim.reset(
      tinySeed({
        workflows: [published, draft],
        contentTypes: [{ id: "page", name: { "en-GB": "Page" }, workflowId: "reviewFlow" }],
        entries: [{ sys: { id: "e2", contentTypeId: "page", language: "en-GB" }, title: "Home" }],
      }),
    );
    return (async () => {
      const entry = await api.get("/entries/e2");
      expect(entry.body.sys.workflow).toMatchObject({
        id: "reviewFlow",
        state: "draft",
        allowedEvents: ["draft.submit"],
      });
      expect((await api.post(events("e2"), { event: "draft.send" })).status).toBe(422);
      const submitted = await api.post(events("e2"), { event: "draft.submit" });
      expect(submitted.body.sys.workflow.state).toBe("review");
      const commented = await api.post(events("e2"), { event: "review.comment" });
      expect(commented.body.sys.workflow.state).toBe("review");
      const approved = await api.post(events("e2"), { event: "review.approve" });
      expect(approved.body.sys.workflow.state).toBe("versionComplete");
      expect(approved.body.sys.version.versionNo).toBe("1.0");
      const reopened = await api.post(events("e2"), { event: "sysUnpublish", language: "en-GB" });
      expect(reopened.body.sys.workflow.state).toBe("draft");
    })();
  });
});
