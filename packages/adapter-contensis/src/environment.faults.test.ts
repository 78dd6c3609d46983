import type { Workflow } from "@workflow-sync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContensisEnvironment } from "./environment.ts";
import { toNeutral } from "./mapping/to-neutral.ts";
import { type ContensisSimulator, clientFor, PROD, startContensisSimulator } from "./test-support/sim.ts";
import { WireWorkflowDefinition } from "./wire.ts";

/*
 * Soak: plan and apply a create and an update under random faults of every kind (many seeds); every
 * run converges to exactly one definition, published, assigned, and a second plan is empty.
 * Run with `npm run test:faults` (slow: the 429s wait their Retry-After).
 */

let sim: ContensisSimulator;
beforeAll(async () => {
  sim = await startContensisSimulator();
});
afterAll(async () => {
  await sim.close();
});

const NEW = WireWorkflowDefinition.parse({
  id: "soakReview",
  name: { "en-GB": "Soak review" },
  states: [
    {
      id: "draft",
      name: { "en-GB": "Draft" },
      events: [{ id: "publish", name: { "en-GB": "Publish" }, transitionTo: "sysWorkflow", groupId: "main" }],
    },
  ],
  eventGroups: [{ id: "main", name: { "en-GB": "Main" } }],
});

describe.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])("random faults, seed %i", (seed) => {
  it("converges with nothing duplicated or lost", async () => {
    sim.reset();
    sim.setFaults({
      seed,
      // token-expiry is left to faults.test.ts: at this rate a request can meet it twice in a row, and a
      // fresh token refused at once is (rightly) an error, the token being renewed once per 401.
      random: { rate: 0.35, kinds: ["5xx", "drop-before", "drop-after", "slow", "429"] },
      slowMs: 300,
    });
    const env = new ContensisEnvironment({
      client: clientFor(sim, PROD, { timeoutMs: 150, retry: { limit: 10, baseDelayMs: 5, maxDelayMs: 20 } }),
    });
    const snapshot = await env.read();
    const legal = snapshot.workflows.find((workflow) => workflow.key === "legalReview") as Workflow;
    const requests = [
      ...env.planCreate(toNeutral(NEW, { contentTypes: ["blogPost"] }).value, snapshot).value,
      ...env.planUpdate({ ...legal, description: { "en-GB": `seed ${seed}` } }, legal, snapshot).value,
    ];
    for (const request of requests) await env.execute(request);
    sim.setFaults(undefined);

    const state = sim.state(PROD);
    const created = state.definitions.filter((definition) => definition.id === "soakReview");
    expect(created).toHaveLength(1);
    expect(created[0]?.versions.map((version) => version.version.versionNo)).toEqual(["0.1", "1.0"]);
    const updated = state.definitions.find((definition) => definition.id === "legalReview");
    expect(updated?.versions.map((version) => version.version.versionNo)).toEqual(["1.0", "1.1", "2.0"]);
    expect(state.contentTypes.find((contentType) => contentType.id === "blogPost")?.workflowId).toBe(
      "soakReview",
    );

    const after = await env.read();
    const again = after.workflows.find((workflow) => workflow.key === "soakReview") as Workflow;
    expect(env.planUpdate(again, again, after).value).toEqual([]);
  });
});
