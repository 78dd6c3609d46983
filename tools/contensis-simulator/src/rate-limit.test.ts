import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ContensisSimulator, startContensisSimulator } from "./index.ts";
import { RateLimiter } from "./rate-limit.ts";
import { apiClient, GUID, sleep, tokenFor } from "./test-support/http.ts";

describe("rate limiting over HTTP", () => {
  let sim: ContensisSimulator;
  let api: ReturnType<typeof apiClient>;
  beforeAll(async () => {
    sim = await startContensisSimulator();
    api = apiClient(sim, await tokenFor(sim));
  });
  afterAll(() => sim.close());

  it("holds answers back by the latency asked for", async () => {
    sim.setLatency(120);
    const t0 = performance.now();
    expect((await api.get("/contenttypes")).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(115);
    sim.setLatency(0);
    expect(() => sim.setLatency(Number.NaN)).toThrow(/latencyMs/);
  });

  it("is off by default", async () => {
    const statuses = await Promise.all(Array.from({ length: 40 }, () => api.get("/contenttypes")));
    expect(statuses.every((a) => a.status === 200)).toBe(true);
  });

  it("answers 429 with Retry-After over the per-second limit, then recovers", async () => {
    sim.setRateLimit({ perSecond: 3 });
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof api.get>> | undefined;
    for (let i = 0; i < 5; i++) {
      const answer = await api.get("/contenttypes");
      statuses.push(answer.status);
      if (answer.status === 429) limited = answer;
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(limited?.headers.get("retry-after")).toBe("1");
    expect(limited?.body.logId).toMatch(GUID);
    expect(sim.requests().at(-1)).toMatchObject({ status: 429 });
    expect(sim.requests().at(-1)?.fault).toBeUndefined();

    // Admin endpoints are not limited.
    for (let i = 0; i < 5; i++) expect((await fetch(`${sim.url}/__admin/requests`)).status).toBe(200);

    await sleep(1050);
    expect((await api.get("/contenttypes")).status).toBe(200);
    sim.setRateLimit(false);
  });
});

describe("RateLimiter", () => {
  it("enforces perMinute with Retry-After up to the oldest request's expiry", () => {
    const limiter = new RateLimiter({ perSecond: 100, perMinute: 3 });
    const t0 = 1_000_000;
    expect(limiter.take(t0)).toBeUndefined();
    expect(limiter.take(t0 + 10_000)).toBeUndefined();
    expect(limiter.take(t0 + 20_000)).toBeUndefined();
    expect(limiter.take(t0 + 30_000)).toBe(30);
    expect(limiter.take(t0 + 60_001)).toBeUndefined();
  });

  it("counts only accepted requests and validates its settings", () => {
    const limiter = new RateLimiter({ perSecond: 1 });
    expect(limiter.take(0)).toBeUndefined();
    expect(limiter.take(10)).toBe(1);
    expect(limiter.take(999)).toBe(1);
    expect(limiter.take(1000)).toBeUndefined();
    expect(() => new RateLimiter({ perSecond: 0 })).toThrow();
    expect(() => limiter.set({ perSecond: 1, perMinute: -1 })).toThrow();
    limiter.set(false);
    expect(limiter.take(1001)).toBeUndefined();
    expect(limiter.take(1002)).toBeUndefined();
  });
});
