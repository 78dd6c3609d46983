import {
  diffWorkflow,
  StaleWriteError,
  UnknownWriteOutcomeError,
  type VendorRequest,
} from "@workflow-sync/core";
import { demoSeed, type KontentSeed, type KontentSimulator } from "@workflow-sync/kontent-simulator";
import { pressReviewWorkflows } from "@workflow-sync/test-utils";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KontentEnvironment, type KontentEnvironmentSnapshot } from "./environment.ts";
import { clientFor, DEV, PROD, requestLines, startSimulator } from "./test-support/sim.ts";

/*
 * Guarded writes over real HTTP against the simulator (issue 9, items 3 and 7): each write checks
 * what it replaces first; the second request of a two-request update is never sent while the first
 * one may still land.
 */

/**
 * "Press review" in both environments (`pressReviewWorkflows`, @workflow-sync/test-utils): dev
 * renames prod's step "review" to "check" (same name) and adds a new "review", a codename the old
 * step gives up, so the update takes the vendor's two requests ("first remove…, then add", [W]).
 */
function seed(): KontentSeed {
  const base = demoSeed();
  const { dev, prod } = pressReviewWorkflows();
  (base.environments[DEV.id]!.workflows as unknown[]).push(dev);
  (base.environments[PROD.id]!.workflows as unknown[]).push(prod);
  return base;
}

let sim: KontentSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: seed() });
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(() => {
  sim.reset();
  sim.setFaults(undefined);
  sim.clearRequests();
});

const TIMEOUT_MS = 300;
const environment = (env: { id: string; apiKey: string }, settleMs = 4 * TIMEOUT_MS) =>
  new KontentEnvironment({
    client: clientFor(sim, env, { timeoutMs: TIMEOUT_MS }),
    settleMs,
  });

/** The two requests that update prod's press_review to dev's, and prod's snapshot (guarded). */
async function pressReviewUpdate(target: KontentEnvironment) {
  const desired = (await environment(DEV).read()).workflows.find((w) => w.key === "press_review")!;
  const snapshot = (await target.read()) as KontentEnvironmentSnapshot;
  const current = snapshot.workflows.find((w) => w.key === "press_review")!;
  const requests = target.planUpdate(desired, current, snapshot).value;
  expect(requests).toHaveLength(2);
  target.guardWrites(snapshot);
  sim.clearRequests();
  return { desired, snapshot, requests };
}

const PUT_PATH = `^/v2/projects/${PROD.id}/workflows/`;

async function holdsDesired(
  target: KontentEnvironment,
  desired: Parameters<KontentEnvironment["project"]>[0],
) {
  const after = await target.read();
  const projected = target.project(desired, after).value;
  const stored = after.workflows.find((w) => w.key === "press_review")!;
  return diffWorkflow(stored, projected, { extensions: "shared" });
}

describe("two-request updates (issue 9, item 7)", () => {
  it("a first PUT answered too late but landing later: the second waits until it shows up, never before", async () => {
    const target = environment(PROD);
    const { desired, requests } = await pressReviewUpdate(target);
    // The first PUT is held 2.5 timeouts before it is applied; the client gives up after one.
    sim.setFaults({ script: [{ method: "PUT", path: PUT_PATH, kind: "late" }], slowMs: 2.5 * TIMEOUT_MS });
    for (const request of requests) await target.execute(request);
    sim.setFaults(undefined);
    // Whatever was sent has landed by now.
    await new Promise((resolve) => setTimeout(resolve, 3 * TIMEOUT_MS));

    expect(await holdsDesired(target, desired)).toEqual([]);
    const puts = sim.requests().filter((entry) => entry.method === "PUT");
    // The first PUT was sent once (never retried blindly), and the second arrived after it landed.
    expect(puts.map((entry) => entry.fault ?? "none")).toEqual(["late", "none"]);
    const landed = Date.parse(puts[0]!.time) + puts[0]!.durationMs;
    expect(Date.parse(puts[1]!.time)).toBeGreaterThanOrEqual(Math.floor(landed));
  });

  it("a first PUT whose answer is lost and which never shows up: sent once more, and the second is not sent", async () => {
    const target = environment(PROD, 2 * TIMEOUT_MS);
    const { requests } = await pressReviewUpdate(target);
    sim.setFaults({ script: [{ method: "PUT", path: PUT_PATH, kind: "drop-before" }] });
    await target.execute(requests[0]!);
    sim.setFaults(undefined);
    // The first attempt may still land after the second request: nothing more goes to this workflow.
    await expect(target.execute(requests[1]!)).rejects.toBeInstanceOf(UnknownWriteOutcomeError);
    const puts = requestLines(sim, PROD).filter((line) => line.startsWith("PUT"));
    expect(puts).toHaveLength(2);
    expect(puts[0]).toMatch(/ 0$/);
  });

  it("an answered 5xx on the first PUT: a finished request, re-read and sent again; the second follows", async () => {
    const target = environment(PROD);
    const { desired, requests } = await pressReviewUpdate(target);
    sim.setFaults({ script: [{ method: "PUT", path: PUT_PATH, kind: "5xx", times: 2 }] });
    for (const request of requests) await target.execute(request);
    sim.setFaults(undefined);
    expect(await holdsDesired(target, desired)).toEqual([]);
    expect(
      requestLines(sim, PROD)
        .filter((line) => line.startsWith("PUT"))
        .map((line) => line.replace(/ 50\d$/, " 5xx").replace(/\/workflows\/\S+/, "/workflows/ID")),
    ).toEqual([
      "PUT /workflows/ID 5xx",
      "PUT /workflows/ID 5xx",
      "PUT /workflows/ID 200",
      "PUT /workflows/ID 200",
    ]);
  });

  it("a PUT that gets no answer twice and never shows up: UnknownWriteOutcomeError, nothing more sent", async () => {
    const target = environment(PROD, 2 * TIMEOUT_MS);
    const { requests } = await pressReviewUpdate(target);
    sim.setFaults({ script: [{ method: "PUT", path: PUT_PATH, kind: "drop-before", times: 2 }] });
    await expect(target.execute(requests[0]!)).rejects.toBeInstanceOf(UnknownWriteOutcomeError);
    expect(requestLines(sim, PROD).filter((line) => line.startsWith("PUT"))).toEqual([
      expect.stringMatching(/ 0$/),
      expect.stringMatching(/ 0$/),
    ]);
  });
});

describe("each write checks what it replaces (issue 9, item 3)", () => {
  it("a PUT over a workflow that changed since the snapshot is not sent: StaleWriteError", async () => {
    const target = environment(PROD);
    const { requests } = await pressReviewUpdate(target);
    // Another client renames the workflow after the snapshot.
    const client = clientFor(sim, PROD);
    const stored = (await client.listWorkflows()).find((w) => w.codename === "press_review")!;
    await client.updateWorkflow({ id: stored.id }, {
      ...(requests[0]!.body as object),
      name: "Edited",
    } as never);
    sim.clearRequests();
    const error = await target.execute(requests[0]!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleWriteError);
    expect((error as StaleWriteError).workflow).toBe("press_review");
    expect(requestLines(sim, PROD)).toEqual(["GET /workflows 200"]);
  });

  it("the second PUT of a pair checks against what the first one wrote", async () => {
    const target = environment(PROD);
    const { requests } = await pressReviewUpdate(target);
    await target.execute(requests[0]!);
    const client = clientFor(sim, PROD);
    const stored = (await client.listWorkflows()).find((w) => w.codename === "press_review")!;
    await client.updateWorkflow({ id: stored.id }, {
      ...(requests[0]!.body as object),
      name: "Edited",
    } as never);
    sim.clearRequests();
    await expect(target.execute(requests[1]!)).rejects.toBeInstanceOf(StaleWriteError);
    expect(requestLines(sim, PROD)).toEqual(["GET /workflows 200"]);
    expect(sim.state(PROD.id).workflows.find((w) => w.codename === "press_review")?.name).toBe("Edited");
  });

  it("a create whose codename was taken meanwhile is refused by the vendor and reported stale; a DELETE over a changed workflow is not sent", async () => {
    const target = environment(PROD);
    const snapshot = await target.read();
    target.guardWrites(snapshot);
    const source = (await environment(DEV).read()).workflows.find((w) => w.key === "press_review")!;
    const create: VendorRequest = target.planCreate({ ...source, key: "newcomer" }, snapshot).value[0]!;
    const client = clientFor(sim, PROD);
    await client.addWorkflow(create.body as never);
    const press = snapshot.workflows.find((w) => w.key === "press_review")!;
    const remove = target.planDelete(press, snapshot)[0]!;
    const stored = (await client.listWorkflows()).find((w) => w.codename === "press_review")!;
    const rename = target.planUpdate(source, press, snapshot).value[0]!;
    await client.updateWorkflow({ id: stored.id }, { ...(rename.body as object), name: "Edited" } as never);
    sim.clearRequests();

    await expect(target.execute(create)).rejects.toBeInstanceOf(StaleWriteError);
    await expect(target.execute(remove)).rejects.toBeInstanceOf(StaleWriteError);
    // The POST needs no read first: Kontent.ai refuses the taken codename (nothing written), and
    // the one list after the refusal tells it apart from another 400.
    expect(requestLines(sim, PROD)).toEqual([
      "POST /workflows 400",
      "GET /workflows 200",
      "GET /workflows 200",
    ]);
    expect((await client.listWorkflows()).filter((w) => w.codename === "newcomer")).toHaveLength(1);
  });
});
