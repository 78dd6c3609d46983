import { Workflow } from "@workflow-sync/core";
import { UnclearWriteError } from "@workflow-sync/http";
import type { KontentSimulator } from "@workflow-sync/kontent-simulator";
import { kontentExampleWorkflow } from "@workflow-sync/test-utils";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createKontentClient } from "./client.ts";
import { KontentEnvironment } from "./environment.ts";
import { fromNeutral } from "./mapping/from-neutral.ts";
import { toNeutral } from "./mapping/to-neutral.ts";
import { clientFor, DEV, fullSeed, RICH, requestLines, startSimulator } from "./test-support/sim.ts";
import { randomWireWorkflow, richReferences } from "./test-support/wire.ts";
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
  sim.setFaults(undefined);
  sim.setRateLimit(false);
  sim.clearRequests();
});

const PATH = (env: { id: string }, rest: string) => `^/v2/projects/${env.id}${rest}$`;
const body = (codename: string): KontentWorkflowWrite =>
  fromNeutral(
    toNeutral(randomWireWorkflow(codename.length * 7 + 3, codename), richReferences).value,
    richReferences,
  ).value;
const countNamed = (codename: string) =>
  sim.state(RICH.id).workflows.filter((w) => w.codename === codename).length;

describe("faults", () => {
  it("a 5xx on a GET is retried", async () => {
    sim.setFaults({ script: [{ method: "GET", path: PATH(DEV, "/workflows"), kind: "5xx", times: 2 }] });
    const workflows = await clientFor(sim, DEV).listWorkflows();
    expect(workflows).toHaveLength(4);
    expect(requestLines(sim, DEV).map((line) => line.replace(/ 50\d$/, " 5xx"))).toEqual([
      "GET /workflows 5xx",
      "GET /workflows 5xx",
      "GET /workflows 200",
    ]);
  });

  it("drop-after on a create: the create landed, the re-list finds it, exactly one workflow, no second POST", async () => {
    sim.setFaults({ script: [{ method: "POST", path: PATH(RICH, "/workflows"), kind: "drop-after" }] });
    const created = await clientFor(sim, RICH).addWorkflow(body("dropped_after"));
    expect(created.codename).toBe("dropped_after");
    expect(countNamed("dropped_after")).toBe(1);
    expect(requestLines(sim, RICH)).toEqual(["POST /workflows 0", "GET /workflows 200"]);
  });

  it("drop-before on a create: nothing landed, sent once more, exactly one workflow", async () => {
    sim.setFaults({ script: [{ method: "POST", path: PATH(RICH, "/workflows"), kind: "drop-before" }] });
    await clientFor(sim, RICH).addWorkflow(body("dropped_before"));
    expect(countNamed("dropped_before")).toBe(1);
    expect(requestLines(sim, RICH)).toEqual([
      "POST /workflows 0",
      "GET /workflows 200",
      "POST /workflows 201",
    ]);
  });

  it("a 5xx on a create: re-listed, then sent once more; twice unclear and not landed: the error is thrown", async () => {
    sim.setFaults({ script: [{ method: "POST", path: PATH(RICH, "/workflows"), kind: "5xx" }] });
    await clientFor(sim, RICH).addWorkflow(body("after_5xx"));
    expect(countNamed("after_5xx")).toBe(1);

    sim.clearRequests();
    sim.setFaults({ script: [{ method: "POST", path: PATH(RICH, "/workflows"), kind: "5xx", times: 2 }] });
    const error = await clientFor(sim, RICH)
      .addWorkflow(body("never"))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnclearWriteError);
    expect(countNamed("never")).toBe(0);
    expect(requestLines(sim, RICH).map((line) => line.replace(/ 50\d$/, " 5xx"))).toEqual([
      "POST /workflows 5xx",
      "GET /workflows 200",
      "POST /workflows 5xx",
      "GET /workflows 200",
    ]);
  });

  it("slow past the timeout: a GET is retried; a create that landed meanwhile is found, not repeated", async () => {
    const client = clientFor(sim, RICH, { timeoutMs: 300 });
    sim.setFaults({
      slowMs: 1_000,
      script: [{ method: "GET", path: PATH(RICH, "/workflows"), kind: "slow" }],
    });
    expect(await client.listWorkflows()).toHaveLength(1);
    // The simulator logs a slow answer once its delay is over.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Two attempts: the retry, then the slow first one (logged when its delay ended).
    expect(requestLines(sim, RICH)).toEqual(["GET /workflows 200", "GET /workflows 200"]);
    sim.setFaults({
      slowMs: 1_000,
      script: [{ method: "POST", path: PATH(RICH, "/workflows"), kind: "slow" }],
    });
    sim.clearRequests();
    await client.addWorkflow(body("slow_one"));
    expect(countNamed("slow_one")).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(requestLines(sim, RICH)).toEqual(["GET /workflows 200", "POST /workflows 201"]);
  });

  it("drop-after on an update is retried (PUT is idempotent); on a delete, the 404 of the retry means done", async () => {
    const client = clientFor(sim, DEV);
    const [wire] = (await client.listWorkflows()).filter((w) => w.codename === "my_workflow");
    const neutral = toNeutral(wire!, {
      roles: sim.state(DEV.id).roles,
      contentTypes: sim.state(DEV.id).contentTypes,
      collections: sim.state(DEV.id).collections,
    }).value;
    const update = fromNeutral(
      { ...neutral, name: { "en-US": "Renamed" } },
      { roles: sim.state(DEV.id).roles },
    ).value;
    sim.setFaults({ script: [{ method: "PUT", kind: "drop-after" }] });
    const updated = await client.updateWorkflow({ id: wire!.id }, update);
    expect(updated.name).toBe("Renamed");

    const created = await clientFor(sim, RICH).addWorkflow(body("to_delete"));
    sim.setFaults({ script: [{ method: "DELETE", kind: "drop-after" }] });
    sim.clearRequests();
    await clientFor(sim, RICH).deleteWorkflow({ id: created.id });
    expect(countNamed("to_delete")).toBe(0);
    expect(requestLines(sim, RICH)).toEqual([
      `DELETE /workflows/${created.id} 0`,
      `DELETE /workflows/${created.id} 404`,
    ]);
  });
});

describe("pacing", () => {
  it("a 429 storm (server limit 3/s, client pacing for 10/s) finishes with nothing lost", async () => {
    sim.setRateLimit({ perSecond: 3, perMinute: 400 });
    const env = new KontentEnvironment({
      client: createKontentClient({ environmentId: RICH.id, apiKey: RICH.apiKey, baseUrl: sim.baseUrl }),
    });
    const snapshot = await env.read();
    const codenames = Array.from({ length: 8 }, (_, i) => `storm_${i}`);
    const plans = codenames.map((codename) =>
      env.planCreate(
        toNeutral(randomWireWorkflow(300 + codename.length, codename), richReferences).value,
        snapshot,
      ),
    );
    await Promise.all([...plans.map((plan) => env.execute(plan.value[0]!)), env.read()]);
    const stored = sim.state(RICH.id).workflows.map((w) => w.codename);
    for (const codename of codenames) expect(stored.filter((c) => c === codename)).toHaveLength(1);
    const stats = env.stats();
    expect(stats.throttled).toBeGreaterThan(0);
    expect(stats.retries).toBeGreaterThanOrEqual(stats.throttled);
    const lines = requestLines(sim, RICH);
    expect(lines.filter((line) => line === "POST /workflows 201")).toHaveLength(8);
    expect(lines.some((line) => line.endsWith(" 429"))).toBe(true);
  }, 60_000);

  const exampleFor = (key: string) => {
    const example = Workflow.parse(kontentExampleWorkflow);
    return {
      ...example,
      key,
      scope: { contentTypes: [], collections: [] },
      states: example.states.map((state) => ({ ...state, roles: [] })),
      transitions: example.transitions.map((transition) => ({ ...transition, roles: [] })),
    };
  };
  /** Server-side times (ms) of the requests to RICH, from the simulator's log. */
  const serverTimes = () =>
    sim
      .requests()
      .filter((entry) => entry.environmentId === RICH.id)
      .map((entry) => Date.parse(entry.time))
      .sort((a, b) => a - b);

  it("30 creates at the default limits: one request per list and per workflow, no 429, a burst per window", async () => {
    sim.setRateLimit({ perSecond: 10, perMinute: 400 });
    const env = new KontentEnvironment({
      client: createKontentClient({ environmentId: RICH.id, apiKey: RICH.apiKey, baseUrl: sim.baseUrl }),
    });
    const snapshot = await env.read();
    for (let i = 0; i < 30; i++) {
      for (const request of env.planCreate(exampleFor(`bench_${i}`), snapshot).value)
        await env.execute(request);
    }
    const requests = 4 + 30;
    expect(requestLines(sim, RICH)).toHaveLength(requests);
    expect(env.stats()).toMatchObject({ requests, throttled: 0, retries: 0 });
    // The 11th request waited for the first to leave the second (it is not spaced out before that).
    const times = serverTimes();
    expect(times[10]! - times[0]!).toBeGreaterThanOrEqual(1000);
    expect(times[20]! - times[10]!).toBeGreaterThanOrEqual(1000);
  }, 30_000);

  it.each(["sliding-window", "token-bucket"] as const)(
    "creates sent all at once, server counting %ss: bursts within the limit, no 429",
    async (model) => {
      sim.setRateLimit({ perSecond: 10, perMinute: 400, model });
      const env = new KontentEnvironment({
        client: createKontentClient({ environmentId: RICH.id, apiKey: RICH.apiKey, baseUrl: sim.baseUrl }),
      });
      const snapshot = await env.read();
      const plans = Array.from({ length: 22 }, (_, i) => env.planCreate(exampleFor(`burst_${i}`), snapshot));
      await Promise.all(plans.map((plan) => env.execute(plan.value[0]!)));
      expect(env.stats()).toMatchObject({ requests: 26, throttled: 0 });
      expect(requestLines(sim, RICH).filter((line) => line.endsWith(" 429"))).toEqual([]);
      expect(sim.state(RICH.id).workflows.filter((w) => w.codename.startsWith("burst_"))).toHaveLength(22);
      // No second of the server's clock saw more than 10 (any window of 1 s).
      const times = serverTimes();
      for (let i = 10; i < times.length; i++) expect(times[i]! - times[i - 10]!).toBeGreaterThanOrEqual(1000);
    },
    30_000,
  );
});
