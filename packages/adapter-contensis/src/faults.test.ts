import type { VendorRequest, Workflow } from "@workflow-sync/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getEntry, invokeWorkflow } from "./content.ts";
import { ContensisEnvironment } from "./environment.ts";
import { toNeutral } from "./mapping/to-neutral.ts";
import {
  type ContensisSimulator,
  clientFor,
  DEV,
  ENTRY,
  lines,
  PROD,
  startContensisSimulator,
} from "./test-support/sim.ts";
import { WireWorkflowDefinition } from "./wire.ts";

/*
 * Every fault kind of the simulator on every kind of write: nothing duplicated, nothing lost.
 * `slow` answers after 400 ms while the client gives up after 200 ms (an unclear write).
 */

type Kind = "5xx" | "drop-before" | "drop-after" | "slow" | "429" | "token-expiry";
const KINDS: Kind[] = ["5xx", "drop-before", "drop-after", "slow", "429", "token-expiry"];

let sim: ContensisSimulator;
beforeAll(async () => {
  sim = await startContensisSimulator();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  sim.setFaults(undefined);
});

const environment = (projectId: string) =>
  new ContensisEnvironment({ client: clientFor(sim, projectId, { timeoutMs: 200 }) });

const NEW = WireWorkflowDefinition.parse({
  id: "quickReview",
  name: { "en-GB": "Quick review" },
  states: [
    {
      id: "draft",
      name: { "en-GB": "Draft" },
      events: [
        {
          id: "publish",
          name: { "en-GB": "Publish" },
          transitionTo: "sysWorkflow",
          groupId: "main",
          validate: true,
          parameters: [],
        },
      ],
    },
  ],
  eventGroups: [{ id: "main", name: { "en-GB": "Main" } }],
});

function fault(kind: Kind, method: string, path: string) {
  sim.setFaults({ script: [{ method, path, kind, times: 1 }], slowMs: 400 });
}

async function run(env: ContensisEnvironment, requests: VendorRequest[]) {
  for (const request of requests) await env.execute(request);
}

describe.each(KINDS)("fault %s", (kind) => {
  it("on the create POST: exactly one definition, published and assigned", async () => {
    const env = environment(PROD);
    const snapshot = await env.read();
    const workflow: Workflow = toNeutral(NEW, { contentTypes: ["blogPost"] }).value;
    fault(kind, "POST", "/workflow/definitions$");
    await run(env, env.planCreate(workflow, snapshot).value);
    if (kind === "slow") await new Promise((resolve) => setTimeout(resolve, 450)); // logged when answered
    expect(sim.requests().some((request) => request.fault === kind)).toBe(true);
    const stored = sim.state(PROD).definitions.filter((definition) => definition.id === "quickReview");
    expect(stored).toHaveLength(1);
    expect(stored[0]?.versions.map((version) => version.version.versionNo)).toEqual(["0.1", "1.0"]);
    expect(sim.state(PROD).contentTypes.find((ct) => ct.id === "blogPost")?.workflowId).toBe("quickReview");
  });

  it("on the publish POST: published once", async () => {
    const env = environment(PROD);
    const snapshot = await env.read();
    fault(kind, "POST", "/workflow/definitions/quickReview/workflow/events$");
    await run(env, env.planCreate(toNeutral(NEW).value, snapshot).value);
    const stored = sim.state(PROD).definitions.find((definition) => definition.id === "quickReview");
    expect(stored?.versions.map((version) => version.version.versionNo)).toEqual(["0.1", "1.0"]);
    expect(stored?.published?.version.versionNo).toBe("1.0");
  });

  it("on the update PUT: one new version, then published", async () => {
    const env = environment(PROD);
    const snapshot = await env.read();
    const current = snapshot.workflows.find((workflow) => workflow.key === "legalReview") as Workflow;
    const desired = { ...current, description: { "en-GB": "Changed" } };
    fault(kind, "PUT", "/workflow/definitions/legalReview$");
    await run(env, env.planUpdate(desired, current, snapshot).value);
    const stored = sim.state(PROD).definitions.find((definition) => definition.id === "legalReview");
    expect(stored?.versions.map((version) => version.version.versionNo)).toEqual(["1.0", "1.1", "2.0"]);
    expect(stored?.latest.description).toEqual({ "en-GB": "Changed" });
  });

  it("on the content type PUT and the DELETE", async () => {
    const env = environment(DEV);
    await run(
      env,
      env.planCreate(toNeutral(NEW, { contentTypes: ["blogPost"] }).value, await env.read()).value,
    );
    fault(kind, "PUT", "/contenttypes/blogPost$");
    const back = toNeutral(WireWorkflowDefinition.parse({ ...NEW, id: "other" }), {
      contentTypes: ["blogPost"],
    }).value;
    await run(env, env.planCreate(back, await env.read()).value);
    expect(sim.state(DEV).contentTypes.find((ct) => ct.id === "blogPost")?.workflowId).toBe("other");
    const snapshot = await env.read();
    fault(kind, "DELETE", "/workflow/definitions/quickReview$");
    await run(
      env,
      env.planDelete(snapshot.workflows.find((w) => w.key === "quickReview") as Workflow, snapshot),
    );
    expect(sim.state(DEV).definitions.some((definition) => definition.id === "quickReview")).toBe(false);
  });

  it("on an entry's workflow event: applied once", async () => {
    const client = clientFor(sim, DEV, { timeoutMs: 200 });
    const entry = await getEntry(client, ENTRY.pressDraft);
    await client
      .get("/workflow/definitions/CustomEntryApproval", WireWorkflowDefinition, "definition")
      .then((definition) => client.definitions.set(definition.id, definition));
    fault(kind, "POST", `/entries/${ENTRY.pressDraft}/workflow/events$`);
    const after = await invokeWorkflow(client, entry, "draft.submit", { message: "once" });
    expect(after.sys.workflow?.state).toBe("awaitingApproval");
    const stored = sim.state(DEV).entries.find((candidate) => candidate.sys.id === ENTRY.pressDraft);
    expect(stored?.sys.version.versionNo).toBe("0.2"); // one event, one new version
    if (kind === "slow") await new Promise((resolve) => setTimeout(resolve, 450)); // logged when answered
    expect(lines(sim).some((line) => line.endsWith(`[${kind}]`))).toBe(true);
  });
});
