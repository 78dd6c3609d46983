import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KontentSimulator, startKontentSimulator } from "./index.ts";
import { call, DEV, DEV_KEY, PROD, PROD_KEY } from "./test-support/helpers.ts";

let sim: KontentSimulator;
beforeAll(async () => {
  sim = await startKontentSimulator({ rateLimit: false });
});
afterAll(() => sim.close());

const raw = (path: string, authorization?: string) =>
  fetch(`${sim.baseUrl}/projects/${DEV}${path}`, { headers: authorization ? { authorization } : {} });

describe("authentication", () => {
  it.each(["Bearer", "bearer", "BEARER", "BeArEr"])("accepts the scheme %s", async (scheme) => {
    const response = await raw("/workflows", `${scheme} ${DEV_KEY}`);
    expect(response.status).toBe(200);
  });

  it.each([
    ["missing header", undefined],
    ["wrong key", "Bearer nope"],
    ["no scheme", DEV_KEY],
    ["basic scheme", `Basic ${DEV_KEY}`],
    ["key of another environment", `Bearer ${PROD_KEY}`],
  ])("answers 401 with the error body for %s", async (_label, authorization) => {
    const response = await raw("/workflows", authorization);
    expect(response.status).toBe(401);
    const body = (await response.json()) as {
      request_id: string;
      error_code: number;
      validation_errors: Array<{ message: string }>;
    };
    expect(body).toEqual({
      request_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      error_code: 1,
      message: expect.any(String),
    });
    expect(response.headers.get("x-request-id")).toBe(body.request_id);
  });

  it("keeps environments apart: each key opens only its own environment", async () => {
    expect((await call(sim, "GET", "/roles", { env: PROD })).status).toBe(200);
    expect((await call(sim, "GET", "/roles", { env: PROD, key: DEV_KEY })).status).toBe(401);
  });
});

describe("routing", () => {
  it("answers 404 for an unknown environment", async () => {
    const result = await call(sim, "GET", "/workflows", { env: "unknown-env" });
    expect(result.status).toBe(404);
    expect(result.body.message).toContain("unknown-env");
  });

  it("answers 404 for an unknown path and 405 for a known path with another method", async () => {
    expect((await call(sim, "GET", "/nothing-here")).status).toBe(404);
    const notAllowed = await call(sim, "PATCH", "/workflows", { body: {} });
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.body.error_code).toBe(2);
  });

  it("gives every response a request id header, successes included", async () => {
    const ok = await call(sim, "GET", "/collections");
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-request-id")).toMatch(/^[0-9a-f]{16}$/);
  });

  it("answers 400 for a body that isn't JSON", async () => {
    const response = await fetch(`${sim.baseUrl}/projects/${DEV}/workflows`, {
      method: "POST",
      headers: { authorization: `Bearer ${DEV_KEY}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      request_id: string;
      error_code: number;
      validation_errors: Array<{ message: string }>;
    };
    expect(body.error_code).toBe(5);
    expect(body.validation_errors[0]?.message).toContain("not valid JSON");
  });
});
