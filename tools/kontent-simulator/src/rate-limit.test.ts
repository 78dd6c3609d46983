import { afterEach, describe, expect, it } from "vitest";
import { type KontentSimulator, startKontentSimulator } from "./index.ts";
import { parseRateLimit, RateLimiter } from "./rate-limit.ts";
import { call, PROD } from "./test-support/helpers.ts";

describe("RateLimiter (fake clock)", () => {
  let now = 0;
  const limiter = (perSecond: number, perMinute: number) =>
    new RateLimiter({ perSecond, perMinute }, () => now);

  it("slides a one-second window", () => {
    now = 0;
    const l = limiter(2, 100);
    expect(l.take("e")).toEqual({ allowed: true });
    now = 400;
    expect(l.take("e")).toEqual({ allowed: true });
    now = 900;
    expect(l.take("e")).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now = 1000.5; // the first request left the window
    expect(l.take("e")).toEqual({ allowed: true });
    expect(l.take("e")).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it("slides a one-minute window and tells the whole seconds to wait", () => {
    now = 0;
    const l = limiter(100, 3);
    for (const t of [0, 10_000, 20_000]) {
      now = t;
      expect(l.take("e").allowed).toBe(true);
    }
    now = 30_500;
    expect(l.take("e")).toEqual({ allowed: false, retryAfterSeconds: 30 });
    now = 60_001;
    expect(l.take("e").allowed).toBe(true);
  });

  it("counts per key and doesn't count rejected requests", () => {
    now = 0;
    const l = limiter(1, 100);
    expect(l.take("a").allowed).toBe(true);
    expect(l.take("b").allowed).toBe(true);
    for (let i = 0; i < 5; i++) expect(l.take("a").allowed).toBe(false);
    now = 1001;
    expect(l.take("a").allowed).toBe(true);
  });

  it("token-bucket: a full bucket admits a burst, then refills continuously", () => {
    now = 0;
    const l = new RateLimiter({ perSecond: 2, perMinute: 100, model: "token-bucket" }, () => now);
    expect(l.take("e").allowed).toBe(true);
    expect(l.take("e").allowed).toBe(true);
    expect(l.take("e")).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now = 499; // not quite one token back (2 per second)
    expect(l.take("e").allowed).toBe(false);
    now = 500;
    expect(l.take("e").allowed).toBe(true);
    expect(l.take("e").allowed).toBe(false);
    // Unlike a sliding window, it does not remember when the burst was: one token per 500 ms from here.
    now = 1000;
    expect(l.take("e").allowed).toBe(true);
    expect(l.take("e").allowed).toBe(false);
  });

  it("token-bucket: the minute bucket holds perMinute and refills perMinute per minute", () => {
    now = 0;
    const l = new RateLimiter({ perSecond: 100, perMinute: 3, model: "token-bucket" }, () => now);
    for (let i = 0; i < 3; i++) expect(l.take("e").allowed).toBe(true);
    // One token per 20 s.
    expect(l.take("e")).toEqual({ allowed: false, retryAfterSeconds: 20 });
    now = 20_000;
    expect(l.take("e").allowed).toBe(true);
    expect(l.take("e").allowed).toBe(false);
  });

  it("parses the command-line form", () => {
    expect(parseRateLimit("10/400/token-bucket")).toEqual({
      perSecond: 10,
      perMinute: 400,
      model: "token-bucket",
    });
    expect(() => parseRateLimit("10/400/leaky")).toThrow(/model/);
    expect(parseRateLimit("10/400")).toEqual({ perSecond: 10, perMinute: 400 });
    expect(parseRateLimit("off")).toBe(false);
    expect(() => parseRateLimit("10")).toThrow(/PER_SECOND\/PER_MINUTE/);
    expect(() => parseRateLimit("0/5")).toThrow();
  });
});

describe("rate limits over HTTP", () => {
  let sim: KontentSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it("defaults to 10 requests per second: the 11th gets 429 with Retry-After and the documented body", async () => {
    sim = await startKontentSimulator();
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 11; i++) {
      const result = await call(sim, "GET", "/roles");
      statuses.push(result.status);
      if (result.status === 429) limited = result;
    }
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    expect(limited?.headers.get("retry-after")).toBe("1");
    expect(limited?.body).toEqual({
      request_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      error_code: 10000,
      message: "API rate limit exceeded. Please retry your request later.",
    });
    // Per environment: prod still has its full budget.
    expect((await call(sim, "GET", "/roles", { env: PROD })).status).toBe(200);
    expect(sim.requests().at(-2)).toMatchObject({
      status: 429,
      environmentId: "7c9f0e4e-0000-0000-0000-000000000001",
    });
  });

  it("limits per minute with a Retry-After of the remaining seconds", async () => {
    sim = await startKontentSimulator({ rateLimit: { perSecond: 100, perMinute: 3 } });
    for (let i = 0; i < 3; i++) expect((await call(sim, "GET", "/roles")).status).toBe(200);
    const limited = await call(sim, "GET", "/roles");
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it("can be changed or switched off at run time", async () => {
    sim = await startKontentSimulator({ rateLimit: { perSecond: 1, perMinute: 1 } });
    expect((await call(sim, "GET", "/roles")).status).toBe(200);
    expect((await call(sim, "GET", "/roles")).status).toBe(429);
    sim.setRateLimit(false);
    for (let i = 0; i < 15; i++) expect((await call(sim, "GET", "/roles")).status).toBe(200);
    sim.setRateLimit({ perSecond: 1, perMinute: 10 });
    expect((await call(sim, "GET", "/roles")).status).toBe(200);
    expect((await call(sim, "GET", "/roles")).status).toBe(429);
  });

  it("counts with token buckets when asked: the 3rd of a burst at 2/s gets 429, a token is back after 500 ms", async () => {
    sim = await startKontentSimulator({ rateLimit: { perSecond: 2, perMinute: 400, model: "token-bucket" } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(sim, "GET", "/roles")).status);
    expect(statuses).toEqual([200, 200, 429]);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await call(sim, "GET", "/roles")).status).toBe(200);
  });

  it("holds every answer back by latencyMs", async () => {
    sim = await startKontentSimulator({ rateLimit: false, latencyMs: 120 });
    const t0 = performance.now();
    expect((await call(sim, "GET", "/roles")).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(115);
    sim.setLatency(0);
    expect(() => sim?.setLatency(-1)).toThrow(/latencyMs/);
  });

  it("doesn't count unauthenticated requests", async () => {
    sim = await startKontentSimulator({ rateLimit: { perSecond: 1, perMinute: 10 } });
    for (let i = 0; i < 3; i++) expect((await call(sim, "GET", "/roles", { key: "wrong" })).status).toBe(401);
    expect((await call(sim, "GET", "/roles")).status).toBe(200);
  });
});
