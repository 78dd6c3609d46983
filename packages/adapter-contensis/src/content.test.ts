import { GuardFailedError, MissingParameterError, UnknownTransitionError } from "@workflow-sync/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ContensisEntry, getEntry, invokeWorkflow, invokeWorkflowByTrigger } from "./content.ts";
import { InvalidWorkflowCallError } from "./errors.ts";
import {
  type ContensisSimulator,
  clientFor,
  DEV,
  ENTRY,
  startContensisSimulator,
} from "./test-support/sim.ts";

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

const eventsPath = (id: string) => `/api/management/projects/${DEV}/entries/${id}/workflow/events`;
const state = (entry: ContensisEntry) => entry.sys.workflow?.state;
const transition = (entry: ContensisEntry) =>
  entry.sys.workflow?.transition as { event: string; data: unknown };

/** Runs `call`, expects it to fail locally, and checks nothing at all was sent. */
async function failsLocally(call: () => Promise<unknown>): Promise<unknown> {
  sim.clearRequests();
  const error = await call().then(
    () => {
      throw new Error("expected a local failure");
    },
    (caught: unknown) => caught,
  );
  expect(sim.requests()).toEqual([]);
  return error;
}

describe("the entry state machine (CustomEntryApproval)", () => {
  it("submit, decline (a reason is required), re-submit, revoke, approve, unpublish", async () => {
    const client = clientFor(sim);
    let entry = await getEntry(client, ENTRY.pressDraft);
    expect(state(entry)).toBe("draft");

    entry = await invokeWorkflow(client, entry, "draft.submit", { message: "Ready" });
    expect(state(entry)).toBe("awaitingApproval");
    expect(transition(entry)).toMatchObject({ event: "submit", data: { message: "Ready" } });

    // decline without a reason: the parameter's own message, and nothing is sent
    const missing = await failsLocally(() => invokeWorkflow(client, entry, "awaitingApproval.decline"));
    expect(missing).toBeInstanceOf(MissingParameterError);
    expect((missing as Error).message).toBe("The decline reason is required");
    const blank = await failsLocally(() => invokeWorkflow(client, entry, "decline", { message: "  " }));
    expect(blank).toBeInstanceOf(MissingParameterError);

    entry = await invokeWorkflow(client, entry, "awaitingApproval.decline", { message: "Needs a quote" });
    expect(state(entry)).toBe("declined");
    expect(transition(entry)).toMatchObject({ event: "decline", data: { message: "Needs a quote" } });

    entry = await invokeWorkflow(client, entry, "declined.submit");
    expect(state(entry)).toBe("awaitingApproval");
    expect(transition(entry).data).toBeNull(); // data: null, as the official client sends it

    entry = await invokeWorkflow(client, entry, "awaitingApproval.revoke");
    expect(state(entry)).toBe("draft");
    entry = await invokeWorkflow(client, entry, "submit"); // a bare event id: the current state's
    expect(state(entry)).toBe("awaitingApproval");

    // not scheduled: scheduledApprove's guard fails locally
    const guard = await failsLocally(() =>
      invokeWorkflow(client, entry, "awaitingApproval.scheduledApprove"),
    );
    expect(guard).toBeInstanceOf(GuardFailedError);
    expect((guard as Error).message).toContain("isScheduledForPublish() must equal true");
    // an event of another state
    const wrongState = await failsLocally(() => invokeWorkflow(client, entry, "draft.submit"));
    expect(wrongState).toBeInstanceOf(UnknownTransitionError);
    // sysUpdate and sysDelete are not workflow events
    const update = await failsLocally(() => invokeWorkflow(client, entry, "awaitingApproval.sysUpdate"));
    expect(update).toBeInstanceOf(InvalidWorkflowCallError);

    entry = await invokeWorkflow(client, entry, "awaitingApproval.approve");
    expect(state(entry)).toBe("versionComplete");
    expect(entry.sys.isPublished).toBe(true);
    expect(entry.sys.version?.versionNo).toBe("1.0");

    entry = await invokeWorkflowByTrigger(client, entry, { event: "sysUnpublish", language: "en-GB" });
    expect(entry.sys.isPublished).toBe(false);
    expect(state(entry)).toBe("draft");
    const again = await failsLocally(() =>
      invokeWorkflowByTrigger(client, entry, { event: "sysUnpublish", language: "en-GB" }),
    );
    expect(again).toBeInstanceOf(InvalidWorkflowCallError);
    expect((again as Error).message).toContain("needs a published entry");

    const sent = sim.state(DEV).entries.find((candidate) => candidate.sys.id === ENTRY.pressDraft);
    expect(sent?.sys.workflow.state).toBe("draft");
  });

  it("a scheduled entry: approve is refused locally, scheduledApprove schedules, publishNow publishes", async () => {
    const client = clientFor(sim);
    let entry = await getEntry(client, ENTRY.pressScheduled);
    const approve = await invokeWorkflow(client, entry, "awaitingApproval.approve").catch(
      (caught: unknown) => caught,
    );
    expect(approve).toBeInstanceOf(GuardFailedError);
    expect((approve as Error).message).toContain("isScheduledForPublish() must equal false, but it is true");
    entry = await invokeWorkflow(client, entry, "awaitingApproval.scheduledApprove");
    expect(state(entry)).toBe("scheduled");
    expect(entry.sys.isPublished).toBe(false);
    entry = await invokeWorkflow(client, entry, "scheduled.publishNow");
    expect(state(entry)).toBe("versionComplete");
    expect(entry.sys.isPublished).toBe(true);
  });

  it("facts given by the caller override those read from the entry", async () => {
    const client = clientFor(sim);
    const entry = await getEntry(client, ENTRY.pressScheduled);
    const error = await invokeWorkflow(client, entry, "awaitingApproval.scheduledApprove", null, {
      facts: { "isScheduledForPublish()": false },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GuardFailedError);
  });
});

describe("mirrors the official client", () => {
  it("checks the entry first, with the official client's messages", async () => {
    const client = clientFor(sim);
    const entry = await getEntry(client, ENTRY.pressDraft);
    const { language: _language, ...sysWithoutLanguage } = entry.sys;
    const noLanguage = { ...entry, sys: sysWithoutLanguage } as ContensisEntry;
    await expect(
      failsLocally(() => invokeWorkflow(client, noLanguage, "draft.submit")),
    ).resolves.toHaveProperty("message", "A valid entry language value needs to be specified.");
    const noVersion = { ...entry, sys: { ...entry.sys, version: {} } } as ContensisEntry;
    await expect(
      failsLocally(() => invokeWorkflow(client, noVersion, "draft.submit")),
    ).resolves.toHaveProperty("message", "A valid entry version number value needs to be specified.");
    const noId = { ...entry, sys: { ...entry.sys, id: "" } } as ContensisEntry;
    await expect(failsLocally(() => invokeWorkflow(client, noId, "draft.submit"))).resolves.toHaveProperty(
      "message",
      "A valid entry id value needs to be specified.",
    );
  });

  it("sends the trigger to the entry's workflow events; a stale version is the server's 409", async () => {
    const client = clientFor(sim);
    const entry = await getEntry(client, ENTRY.blogDraft);
    sim.clearRequests();
    const published = await invokeWorkflow(client, entry, "draft.publish");
    expect(published.sys.isPublished).toBe(true);
    expect(sim.requests().map((request) => `${request.method} ${request.path}`)).toContain(
      `POST ${eventsPath(ENTRY.blogDraft)}`,
    );
    // the old entry object still says version 0.1: the server refuses it
    const old = { ...entry, sys: { ...entry.sys, isPublished: true, workflow: published.sys.workflow! } };
    const stale = await invokeWorkflow(client, old, "sysUnpublish").catch((caught: unknown) => caught);
    expect((stale as { status?: number }).status).toBe(409);
  });

  it("sysUnpublish without a language unpublishes every variation (invokeWorkflowByTrigger)", async () => {
    const client = clientFor(sim);
    const entry = await getEntry(client, ENTRY.blogPublishedTwoLanguages);
    await invokeWorkflowByTrigger(client, entry, { event: "sysUnpublish" });
    const variations = sim
      .state(DEV)
      .entries.filter((candidate) => candidate.sys.id === ENTRY.blogPublishedTwoLanguages);
    expect(variations.map((variation) => variation.sys.isPublished)).toEqual([false, false]);
  });
});
