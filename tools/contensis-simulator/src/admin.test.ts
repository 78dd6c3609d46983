import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ContensisSimulator, startContensisSimulator } from "./index.ts";
import { apiClient, DEV, tinySeed, tokenFor } from "./test-support/http.ts";

let sim: ContensisSimulator;

beforeAll(async () => {
  sim = await startContensisSimulator();
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  sim.setFaults(undefined);
  sim.setRateLimit(false);
});

function admin(method: string, name: string, body?: unknown) {
  return fetch(`${sim.url}/__admin/${name}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? null : JSON.stringify(body),
  });
}

describe("admin endpoints (no auth, not logged)", () => {
  it("GET /__admin/state", async () => {
    const one = await admin("GET", "state?project=website-dev");
    expect(one.status).toBe(200);
    const state = (await one.json()) as ReturnType<ContensisSimulator["state"]>;
    expect(state.projectId).toBe(DEV);
    expect(state.definitions.map((d) => d.id)).toEqual([
      "contensisEntryBasic",
      "contensisEntryApproval",
      "CustomEntryApproval",
      "legalReview",
    ]);
    expect(
      state.definitions.find((d) => d.id === "legalReview")?.versions.map((v) => v.version.versionNo),
    ).toEqual(["1.0", "2.0", "2.1"]);
    expect(state.entries).toHaveLength(11);
    expect(state.roles).toHaveLength(4);
    expect((await admin("GET", "state?project=nope")).status).toBe(404);
    const all = (await (await admin("GET", "state")).json()) as Record<string, unknown>;
    expect(Object.keys(all)).toEqual(["website-dev", "website-prod"]);
    expect(sim.requests()).toEqual([]);
  });

  it("GET and DELETE /__admin/requests", async () => {
    const api = apiClient(sim, await tokenFor(sim));
    await api.get("/contenttypes?dataFormat=entry");
    const log = (await (await admin("GET", "requests")).json()) as { path: string; query?: string }[];
    expect(log.map((r) => r.path)).toEqual([
      "/authenticate/connect/token",
      `/api/management/projects/${DEV}/contenttypes`,
    ]);
    expect(log[1]?.query).toBe("?dataFormat=entry");
    expect((await admin("DELETE", "requests")).status).toBe(204);
    expect(sim.requests()).toEqual([]);
  });

  it("POST /__admin/faults sets and clears a plan", async () => {
    const api = apiClient(sim, await tokenFor(sim));
    expect((await admin("POST", "faults", { script: [{ kind: "5xx", times: 5 }] })).status).toBe(204);
    expect((await api.get("/contenttypes")).status).toBeGreaterThanOrEqual(500);
    expect((await admin("POST", "faults", {})).status).toBe(204);
    expect((await api.get("/contenttypes")).status).toBe(200);
    expect((await admin("POST", "faults", { script: [{ kind: "meteor" }] })).status).toBe(400);
  });

  it("POST /__admin/reset restores the seed or loads another one", async () => {
    const api = apiClient(sim, await tokenFor(sim));
    await api.delete("/workflow/definitions/CustomEntryApproval").catch(() => undefined);
    await api.post("/workflow/definitions", { ...sim.state(DEV).definitions[2]?.latest, id: "copyFlow" });
    expect(sim.state(DEV).definitions).toHaveLength(5);
    expect((await admin("POST", "reset")).status).toBe(204);
    expect(sim.state(DEV).definitions).toHaveLength(4);
    expect(sim.requests()).toEqual([]);
    // The token survives a reset (same clients).
    expect((await api.get("/contenttypes")).status).toBe(200);

    expect((await admin("POST", "reset", tinySeed())).status).toBe(204);
    expect(sim.state(DEV).contentTypes.map((c) => c.id)).toEqual(["page"]);
    expect(() => sim.state("website-prod")).toThrow(/unknown project/);
    const bad = await admin("POST", "reset", {
      clients: [],
      projects: { p: { contentTypes: [{ id: "x", name: {}, workflowId: "none" }] } },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain("does not exist");
  });

  it("POST /__admin/expire-tokens and /__admin/rate-limit", async () => {
    const api = apiClient(sim, await tokenFor(sim));
    expect((await admin("POST", "expire-tokens")).status).toBe(204);
    expect((await api.get("/contenttypes")).status).toBe(401);

    const fresh = apiClient(sim, await tokenFor(sim));
    expect((await admin("POST", "rate-limit", { perSecond: 1 })).status).toBe(204);
    expect((await fresh.get("/contenttypes")).status).toBe(200);
    expect((await fresh.get("/contenttypes")).status).toBe(429);
    expect((await admin("POST", "rate-limit", false)).status).toBe(204);
    expect((await fresh.get("/contenttypes")).status).toBe(200);
    expect((await admin("POST", "rate-limit", { perSecond: 0 })).status).toBe(400);
  });

  it("answers 404 for an unknown admin endpoint", async () => {
    expect((await admin("GET", "nothing")).status).toBe(404);
  });
});

describe("state()", () => {
  it("returns a deep copy", () => {
    const state = sim.state(DEV);
    state.contentTypes[0]!.workflowId = "changed";
    state.definitions[0]!.latest.states.length = 0;
    const again = sim.state(DEV);
    expect(again.contentTypes[0]?.workflowId).toBe("contensisEntryBasic");
    expect(again.definitions[0]?.latest.states.length).toBe(2);
  });
});
