import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ContensisSimulator, type FaultPlan, startContensisSimulator } from "./index.ts";
import { apiClient, call, DEV, definitionBody, ENTRY, GUID, tokenFor } from "./test-support/http.ts";

let sim: ContensisSimulator;
let token: string;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  sim = await startContensisSimulator();
  token = await tokenFor(sim);
  api = apiClient(sim, token);
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.setFaults(undefined);
  sim.reset();
});

const CREATE: FaultPlan["script"] = [{ method: "POST", path: "/workflow/definitions$", kind: "5xx" }];
const exists = () => sim.state(DEV).definitions.some((d) => d.id === "faultFlow");
const create = () => api.post("/workflow/definitions", definitionBody("faultFlow"));
const lastLog = () => sim.requests().at(-1);

function plan(
  kind: NonNullable<FaultPlan["script"]>[number]["kind"],
  extra: Partial<FaultPlan> = {},
): FaultPlan {
  return { script: [{ ...CREATE?.[0], kind }], ...extra };
}

describe("scripted faults", () => {
  it("5xx: answers 500/502/503 without applying, once", async () => {
    sim.setFaults(plan("5xx"));
    const failed = await create();
    expect([500, 502, 503]).toContain(failed.status);
    expect(failed.body.logId).toMatch(GUID);
    expect(exists()).toBe(false);
    expect(lastLog()).toMatchObject({
      method: "POST",
      status: failed.status,
      fault: "5xx",
      write: true,
      projectId: DEV,
    });
    expect((await create()).status).toBe(201);
  });

  it("drop-before: destroys the connection without applying", async () => {
    sim.setFaults(plan("drop-before"));
    await expect(create()).rejects.toThrow();
    expect(exists()).toBe(false);
    expect(lastLog()).toMatchObject({ status: 0, fault: "drop-before" });
  });

  it("drop-after: applies the write, then destroys the connection", async () => {
    sim.setFaults(plan("drop-after"));
    await expect(create()).rejects.toThrow();
    expect(exists()).toBe(true);
    expect(lastLog()).toMatchObject({ status: 0, fault: "drop-after" });
    // A blind retry of the create now conflicts: the adapter must re-read instead.
    expect((await create()).status).toBe(409);
  });

  it("slow: applies and answers after slowMs", async () => {
    sim.setFaults(plan("slow", { slowMs: 300 }));
    const started = performance.now();
    const answer = await create();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(answer.status).toBe(201);
    expect(lastLog()).toMatchObject({ status: 201, fault: "slow" });
    expect(lastLog()?.durationMs).toBeGreaterThanOrEqual(290);
  });

  it("429: answers with Retry-After without applying", async () => {
    sim.setFaults(plan("429"));
    const limited = await create();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.body.logId).toMatch(GUID);
    expect(exists()).toBe(false);
  });

  it("token-expiry: 401 and the token stays invalid", async () => {
    const own = await tokenFor(sim);
    sim.setFaults({ script: [{ path: "/entries/", kind: "token-expiry" }] });
    const path = `/api/management/projects/${DEV}/entries/${ENTRY.blogDraft}`;
    const expired = await call(sim, own, "GET", path);
    expect(expired.status).toBe(401);
    expect(expired.body.message).toBe("Authorization has been denied for this request.");
    expect((await call(sim, own, "GET", path)).status).toBe(401);
    expect((await call(sim, await tokenFor(sim), "GET", path)).status).toBe(200);
  });

  it("skip and times count matching requests only", async () => {
    sim.setFaults({ script: [{ method: "GET", path: "/entries/", kind: "5xx", skip: 1, times: 2 }] });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      await api.get("/contenttypes");
      statuses.push((await api.get(`/entries/${ENTRY.blogDraft}`)).status >= 500 ? 5 : 2);
    }
    expect(statuses).toEqual([2, 5, 5, 2]);
  });

  it("refuses an unknown fault kind", () => {
    expect(() => sim.setFaults({ script: [{ kind: "explode" as never }] })).toThrow(/unknown fault kind/);
  });
});

describe("random faults (seeded)", () => {
  async function run(faults: FaultPlan, count = 30): Promise<string[]> {
    sim.setFaults(faults);
    sim.clearRequests();
    for (let i = 0; i < count; i++) {
      await api.get(`/entries/${ENTRY.blogDraft}`).catch(() => undefined);
    }
    return sim.requests().map((r) => r.fault ?? "-");
  }

  it("repeats the same sequence for the same seed", async () => {
    const faults: FaultPlan = { seed: 42, random: { rate: 0.4, kinds: ["5xx", "429", "drop-before"] } };
    const first = await run(faults);
    const second = await run(faults);
    expect(second).toEqual(first);
    expect(first.filter((f) => f !== "-").length).toBeGreaterThan(3);
    expect(new Set(first)).toEqual(new Set(["-", "5xx", "429", "drop-before"]));
    const other = await run({ ...faults, seed: 7 });
    expect(other).not.toEqual(first);
  });

  it("writesOnly leaves reads alone; the token endpoint is never hit at random", async () => {
    expect(await run({ seed: 1, random: { rate: 1, kinds: ["5xx"], writesOnly: true } }, 5)).toEqual([
      "-",
      "-",
      "-",
      "-",
      "-",
    ]);
    sim.setFaults({ seed: 1, random: { rate: 1, kinds: ["5xx"] } });
    expect((await api.get(`/entries/${ENTRY.blogDraft}`)).status).toBeGreaterThanOrEqual(500);
    expect(await tokenFor(sim)).toEqual(expect.any(String));
    expect(
      (await api.post("/workflow/definitions", definitionBody("faultFlow"))).status,
    ).toBeGreaterThanOrEqual(500);
  });
});

describe("close", () => {
  it("does not wait for a slow answer", async () => {
    const local = await startContensisSimulator({ faults: { script: [{ kind: "slow" }], slowMs: 20_000 } });
    const pending = fetch(`${local.url}/api/management/projects/${DEV}/contenttypes`).catch(
      (e: unknown) => e,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await local.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
