/** Admin endpoints: no auth, not rate limited, not logged. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type KontentSimulator, startKontentSimulator } from "./index.ts";
import { call, DEV, newWorkflowBody, PROD, TINY, tinySeed } from "./test-support/helpers.ts";

let sim: KontentSimulator;
beforeAll(async () => {
  sim = await startKontentSimulator({ rateLimit: { perSecond: 2, perMinute: 100 } });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  sim.clearRequests();
});

const admin = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${sim.url}/__admin/${path}`, {
    method,
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
};

describe("admin endpoints", () => {
  it("GET state of one environment (deep copy of the wire format) and of all", async () => {
    const one = await admin("GET", `state?environment=${DEV}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(sim.state(DEV));
    expect(Object.keys(one.body)).toEqual([
      "environmentId",
      "workflows",
      "roles",
      "contentTypes",
      "collections",
      "languages",
      "items",
      "variants",
    ]);
    const all = await admin("GET", "state");
    expect(Object.keys(all.body.environments)).toEqual([DEV, PROD]);
    expect((await admin("GET", "state?environment=nope")).status).toBe(404);
  });

  it("state() is a deep copy", () => {
    const copy = sim.state(DEV);
    copy.workflows.length = 0;
    expect(sim.state(DEV).workflows.length).toBeGreaterThan(0);
    expect(() => sim.state("nope")).toThrow(/Unknown environment/);
  });

  it("GET and DELETE the request log, which excludes admin requests", async () => {
    await call(sim, "GET", "/roles");
    await admin("GET", "state");
    const log = await admin("GET", "requests");
    expect(log.body).toEqual([
      {
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        method: "GET",
        path: `/v2/projects/${DEV}/roles`,
        status: 200,
        environmentId: DEV,
        write: false,
        durationMs: expect.any(Number),
      },
    ]);
    expect((await admin("DELETE", "requests")).status).toBe(204);
    expect(sim.requests()).toEqual([]);
  });

  it("is neither authenticated nor rate limited", async () => {
    for (let i = 0; i < 10; i++) expect((await admin("GET", "requests")).status).toBe(200);
  });

  it("POST faults sets and clears a plan", async () => {
    expect((await admin("POST", "faults", { script: [{ path: "/roles$", kind: "5xx" }] })).status).toBe(204);
    expect((await call(sim, "GET", "/roles")).status).toBeGreaterThanOrEqual(500);
    await admin("POST", "faults", { script: [{ path: "/roles$", kind: "5xx" }] });
    expect((await admin("POST", "faults", null)).status).toBe(204);
    expect((await call(sim, "GET", "/roles")).status).toBe(200);
    const bad = await admin("POST", "faults", { script: [{ kind: "nope" }] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/kind/);
  });

  it("POST reset restores the start seed, or loads the seed in the body", async () => {
    await call(sim, "POST", "/workflows", {
      body: {
        ...newWorkflowBody(),
        scopes: [],
        steps: newWorkflowBody().steps.map((s: object) => ({ ...s, role_ids: [] })),
        published_step: {},
      },
    });
    expect(sim.state(DEV).workflows).toHaveLength(5);
    expect((await admin("POST", "reset")).status).toBe(204);
    expect(sim.state(DEV).workflows).toHaveLength(4);
    expect((await admin("POST", "reset", tinySeed())).status).toBe(204);
    expect(sim.state(TINY.env).workflows.map((w) => w.codename)).toEqual(["default", "blog"]);
    expect(() => sim.state(DEV)).toThrow();
    sim.reset(); // back to the demo seed
    expect(sim.state(DEV).workflows).toHaveLength(4);
  });

  it("POST rate-limit changes the limit, off/false disables it", async () => {
    expect((await admin("POST", "rate-limit", { perSecond: 1, perMinute: 10 })).status).toBe(204);
    expect((await call(sim, "GET", "/roles")).status).toBe(200);
    expect((await call(sim, "GET", "/roles")).status).toBe(429);
    expect((await admin("POST", "rate-limit", false)).status).toBe(204);
    for (let i = 0; i < 5; i++) expect((await call(sim, "GET", "/roles")).status).toBe(200);
    expect((await admin("POST", "rate-limit", { perSecond: 0 })).status).toBe(400);
    await admin("POST", "rate-limit", { perSecond: 2, perMinute: 100 });
  });

  it("answers 404 for unknown admin paths", async () => {
    expect((await admin("GET", "nothing")).status).toBe(404);
  });
});
