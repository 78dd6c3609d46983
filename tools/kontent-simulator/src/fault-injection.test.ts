/** Fault injection: each kind, scripted and random (seeded, so deterministic). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FaultKind, type FaultPlan, type KontentSimulator, startKontentSimulator } from "./index.ts";
import { call, newWorkflowBody, TINY, tinySeed } from "./test-support/helpers.ts";

let sim: KontentSimulator;
beforeAll(async () => {
  sim = await startKontentSimulator({ seed: tinySeed(), rateLimit: false });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  sim.setFaults(undefined);
  sim.clearRequests();
});

const api = (method: string, path: string, body?: unknown) =>
  call(sim, method, path, { body, env: TINY.env, key: TINY.key });
const addWorkflow = () => api("POST", "/workflows", newWorkflowBody());
const hasNewWorkflow = () => sim.state(TINY.env).workflows.some((w) => w.codename === "legal_flow");
const onAdd = (kind: FaultKind, extra: Partial<FaultPlan> = {}): FaultPlan => ({
  script: [{ method: "POST", path: "/workflows$", kind }],
  ...extra,
});

describe("fault kinds", () => {
  it("drop-before: destroys the connection without applying the write", async () => {
    sim.setFaults(onAdd("drop-before"));
    await expect(addWorkflow()).rejects.toThrow();
    expect(hasNewWorkflow()).toBe(false);
    expect(sim.requests()).toEqual([
      expect.objectContaining({ method: "POST", status: 0, fault: "drop-before", write: true }),
    ]);
    // Only once (times defaults to 1): the retry goes through.
    expect((await addWorkflow()).status).toBe(201);
  });

  it("drop-after: applies the write, then destroys the connection with no response", async () => {
    sim.setFaults(onAdd("drop-after"));
    await expect(addWorkflow()).rejects.toThrow();
    expect(hasNewWorkflow()).toBe(true);
    expect(sim.requests()[0]).toMatchObject({ status: 0, fault: "drop-after" });
    // A blind retry now hits the real validation: the codename is taken.
    const retry = await addWorkflow();
    expect(retry.status).toBe(400);
    expect(retry.body.validation_errors[0].message).toMatch(/already used/);
  });

  it("5xx: answers 500/502/503 with an error body without applying", async () => {
    sim.setFaults(onAdd("5xx"));
    const result = await addWorkflow();
    expect([500, 502, 503]).toContain(result.status);
    expect(result.body).toMatchObject({ error_code: 0, request_id: expect.any(String) });
    expect(hasNewWorkflow()).toBe(false);
    expect(sim.requests()[0]).toMatchObject({ status: result.status, fault: "5xx" });
  });

  it("429: answers the rate-limit error with Retry-After without applying", async () => {
    sim.setFaults(onAdd("429"));
    const result = await addWorkflow();
    expect(result.status).toBe(429);
    expect(result.headers.get("retry-after")).toBe("1");
    expect(result.body.error_code).toBe(10000);
    expect(hasNewWorkflow()).toBe(false);
  });

  it("slow: applies at once and answers after slowMs", async () => {
    sim.setFaults(onAdd("slow", { slowMs: 300 }));
    const started = performance.now();
    const pending = addWorkflow();
    await new Promise((r) => setTimeout(r, 100));
    expect(hasNewWorkflow()).toBe(true);
    const result = await pending;
    expect(result.status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(sim.requests()[0]?.durationMs).toBeGreaterThanOrEqual(290);
  });

  it("late: holds the request, then applies and answers it, even after the client gave up", async () => {
    sim.setFaults(onAdd("late", { slowMs: 300 }));
    const abort = new AbortController();
    const pending = call(sim, "POST", "/workflows", {
      body: newWorkflowBody(),
      env: TINY.env,
      key: TINY.key,
      signal: abort.signal,
    }).catch((error: Error) => error);
    await new Promise((r) => setTimeout(r, 100));
    expect(hasNewWorkflow()).toBe(false);
    abort.abort(); // the client times out
    expect(await pending).toBeInstanceOf(Error);
    await new Promise((r) => setTimeout(r, 350));
    expect(hasNewWorkflow()).toBe(true);
    expect(sim.requests()[0]).toMatchObject({ method: "POST", fault: "late", write: true });
  });

  it("close() doesn't wait for a slow answer", async () => {
    const other = await startKontentSimulator({
      seed: tinySeed(),
      rateLimit: false,
      faults: { script: [{ kind: "slow" }] },
    });
    const pending = call(other, "GET", "/roles", { env: TINY.env, key: TINY.key }).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await other.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe("scripts", () => {
  it("matches method and path, lets `skip` requests pass, then faults `times` requests", async () => {
    sim.setFaults({ script: [{ method: "get", path: "/roles$", kind: "429", skip: 1, times: 2 }] });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await api("GET", "/roles")).status);
    await api("GET", "/collections");
    expect(statuses).toEqual([200, 429, 429, 200]);
    expect(sim.requests().map((r) => r.fault ?? null)).toEqual([null, "429", "429", null, null]);
  });

  it("restarts its counters when the plan is set again", async () => {
    const plan: FaultPlan = { script: [{ path: "/roles$", kind: "5xx" }] };
    sim.setFaults(plan);
    expect((await api("GET", "/roles")).status).toBeGreaterThanOrEqual(500);
    expect((await api("GET", "/roles")).status).toBe(200);
    sim.setFaults(plan);
    expect((await api("GET", "/roles")).status).toBeGreaterThanOrEqual(500);
  });

  it("rejects an invalid plan", () => {
    expect(() => sim.setFaults({ script: [{ kind: "boom" as never }] })).toThrow(/kind/);
    expect(() => sim.setFaults({ script: [{ kind: "5xx", path: "(" }] })).toThrow(/RegExp/);
    expect(() => sim.setFaults({ random: { rate: 2, kinds: ["5xx"] } })).toThrow(/rate/);
  });
});

describe("random faults", () => {
  async function run(plan: FaultPlan): Promise<Array<string | number>> {
    const s = await startKontentSimulator({ seed: tinySeed(), rateLimit: false, faults: plan });
    try {
      const outcomes: Array<string | number> = [];
      for (let i = 0; i < 30; i++) {
        const result = await call(s, "GET", "/roles", { env: TINY.env, key: TINY.key }).catch(
          () => "dropped",
        );
        outcomes.push(typeof result === "string" ? result : result.status);
      }
      return outcomes;
    } finally {
      await s.close();
    }
  }

  it("same seed, same faults; another seed, other faults", async () => {
    const plan: FaultPlan = { seed: 42, random: { rate: 0.4, kinds: ["5xx", "429", "drop-before"] } };
    const a = await run(plan);
    const b = await run(plan);
    expect(a).toEqual(b);
    expect(a.filter((x) => x === 200).length).toBeGreaterThan(5);
    expect(a.filter((x) => x !== 200).length).toBeGreaterThan(5);
    const faults = a.filter((x) => x !== 200);
    expect(faults.every((x) => ["dropped", 429, 500, 502, 503].includes(x))).toBe(true);
    expect(faults).toContain("dropped");
    expect(faults).toContain(429);
    expect(faults.some((x) => typeof x === "number" && x >= 500)).toBe(true);
    expect(await run({ ...plan, seed: 7 })).not.toEqual(a);
  });

  it("writesOnly spares reads", async () => {
    sim.setFaults({ random: { rate: 1, kinds: ["5xx"], writesOnly: true } });
    for (let i = 0; i < 5; i++) expect((await api("GET", "/workflows")).status).toBe(200);
    expect((await addWorkflow()).status).toBeGreaterThanOrEqual(500);
  });
});
