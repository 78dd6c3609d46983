import type { Workflow } from "@workflow-sync/core";
import type { KontentSimulator } from "@workflow-sync/kontent-simulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stepsRemovedBy } from "./content.ts";
import { KontentStepInUseError } from "./errors.ts";
import { clientFor, DEV, environmentFor, requestLines, startSimulator } from "./test-support/sim.ts";

/*
 * Issue 9 item 10: a plan that removes a step language variants are in is refused before anything
 * is written (the vendor refuses such an update, so an apply would stop half-way). Over HTTP
 * against the simulator, with the demo seed's variants: in dev, one variant of item 2f827044 is in
 * step legal_review of editorial_review; nothing is in step review of the default workflow.
 */

let sim: KontentSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
});

const EDITORIAL = "editorial_review";
const LEGAL_REVIEW_STEP = "9b92f68c-d44b-4937-bac1-c9aac8550cbb";
const COPY_EDIT_STEP = "2400ab8e-fbeb-4b16-a30f-b91bfd452912";
const LEGAL_ITEM = "2f827044-5505-40e5-a422-9da481f745dd";
const DEFAULT_LANGUAGE = "00000000-0000-0000-0000-000000000000";

/** `workflow` without state `step` (transitions into it are sent to `to` instead). */
function withoutStep(workflow: Workflow, step: string, to: string): Workflow {
  return {
    ...workflow,
    states: workflow.states.filter((state) => state.key !== step),
    transitions: workflow.transitions
      .filter((transition) => transition.from !== step)
      .map((transition) => (transition.to === step ? { ...transition, to } : transition))
      .filter(
        (transition, index, all) =>
          all.findIndex((other) => other.from === transition.from && other.to === transition.to) === index,
      ),
  };
}

async function planRemoval(workflowKey: string, step: string, to: string) {
  const env = environmentFor(sim, DEV);
  const snapshot = await env.read();
  const current = snapshot.workflows.find((workflow) => workflow.key === workflowKey) as Workflow;
  const plan = env.planUpdate(withoutStep(current, step, to), current, snapshot);
  return { env, snapshot, plan };
}

const writes = () =>
  sim.requests().filter((entry) => entry.environmentId === DEV.id && entry.method !== "GET");

describe("removing a step that content is in", () => {
  it("is refused before any write, naming the workflow, the step, how much content is in it and what to do", async () => {
    const { env, snapshot, plan } = await planRemoval(EDITORIAL, "legal_review", "ready");
    expect(
      stepsRemovedBy(plan.value, snapshot.native).map(({ steps }) => steps.map((s) => s.codename)),
    ).toEqual([["legal_review"]]);
    sim.clearRequests();

    const error = await env.preflight(plan.value, snapshot).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KontentStepInUseError);
    const refused = error as KontentStepInUseError;
    expect(refused.code).toBe("workflow_step_in_use");
    expect(refused.steps).toEqual([
      {
        workflow: EDITORIAL,
        step: "legal_review",
        stepName: "Legal review",
        variants: 1,
        items: 1,
        examples: [{ item: LEGAL_ITEM, language: DEFAULT_LANGUAGE }],
      },
    ]);
    expect(refused.message).toContain(
      'workflow "editorial_review", step "legal_review" (Legal review): 1 content item',
    );
    expect(refused.message).toMatch(/Move those items to another step .* or keep the step/);
    // One read of the variants (one request per content type page), nothing written.
    expect(writes()).toEqual([]);
    expect(requestLines(sim, DEV).every((line) => /^GET \/types\/[^/]+\/variants 200$/.test(line))).toBe(
      true,
    );
  });

  it("lets the plan go once the content is moved to another step (and the vendor then takes the update)", async () => {
    await clientFor(sim, DEV).changeWorkflow(
      { id: LEGAL_ITEM },
      { id: DEFAULT_LANGUAGE },
      {
        workflow_identifier: { id: "6e564547-779c-4ce0-94cd-20a6b9884e83" },
        step_identifier: { id: COPY_EDIT_STEP },
      },
    );
    const { env, snapshot, plan } = await planRemoval(EDITORIAL, "legal_review", "ready");
    await env.preflight(plan.value, snapshot);
    for (const request of plan.value) await env.execute(request);
    const after = await env.read();
    const wire = after.native.workflows.find((workflow) => workflow.codename === EDITORIAL);
    expect(wire?.steps.map((step) => step.id)).not.toContain(LEGAL_REVIEW_STEP);
  });

  it("reads nothing when no step is removed", async () => {
    const env = environmentFor(sim, DEV);
    const snapshot = await env.read();
    const current = snapshot.workflows.find((workflow) => workflow.key === EDITORIAL) as Workflow;
    const plan = env.planUpdate({ ...current, name: { "en-US": "Editorial review (2)" } }, current, snapshot);
    expect(plan.value).toHaveLength(1);
    sim.clearRequests();
    await env.preflight(plan.value, snapshot);
    expect(requestLines(sim, DEV)).toEqual([]);
  });
});
