import {
  applyDiff,
  checkWorkflow,
  diffWorkflows,
  fingerprint,
  summarizeDiff,
  Workflow,
} from "@workflow-sync/core";
import { describe, expect, it } from "vitest";
import {
  createRandom,
  generateWorkflow,
  generateWorkflowSet,
  mutateWorkflows,
  workflowProblems,
} from "./generate.ts";

describe("generateWorkflow", () => {
  const workflow = generateWorkflow({ key: "big", states: 40, transitions: 120, seed: 7 });

  it("is the requested size and valid (schema, core's rules, every state reaches published)", () => {
    expect(workflow.states).toHaveLength(40);
    expect(workflow.transitions).toHaveLength(120);
    expect(Workflow.parse(workflow)).toEqual(workflow);
    expect(workflowProblems(workflow)).toEqual([]);
    expect(checkWorkflow(workflow)).toEqual([]);
  });

  it("is deterministic per seed", () => {
    const again = generateWorkflow({ key: "big", states: 40, transitions: 120, seed: 7 });
    const other = generateWorkflow({ key: "big", states: 40, transitions: 120, seed: 8 });
    expect(fingerprint(again)).toBe(fingerprint(workflow));
    expect(fingerprint(other)).not.toBe(fingerprint(workflow));
  });

  it("stays valid for small sizes", () => {
    for (const states of [2, 3, 4, 7]) {
      const small = generateWorkflow({ key: "small", states, transitions: 1, seed: states });
      expect(small.states).toHaveLength(states);
      expect(workflowProblems(small)).toEqual([]);
      expect(checkWorkflow(small)).toEqual([]);
    }
  });
});

describe("generateWorkflowSet and mutateWorkflows", () => {
  const set = generateWorkflowSet({ count: 50, states: 40, transitions: 120, seed: 3 });
  const mutated = mutateWorkflows(set, { stateFraction: 0.05, seed: 4 });

  it("gives unique keys", () => {
    expect(new Set(set.map((w) => w.key)).size).toBe(50);
    expect(set[0]?.key).toBe("workflow_00");
  });

  it("mutates deterministically and keeps every workflow valid", () => {
    const again = mutateWorkflows(set, { stateFraction: 0.05, seed: 4 });
    expect(again.map((w) => fingerprint(w))).toEqual(mutated.map((w) => fingerprint(w)));
    for (const workflow of mutated) {
      expect(Workflow.parse(workflow)).toEqual(workflow);
      expect(checkWorkflow(workflow)).toEqual([]);
    }
  });

  it("changes about the requested share of states, and leaves the input alone", () => {
    const diff = diffWorkflows(set, mutated, { extensions: "all" });
    const { states, transitions } = summarizeDiff(diff);
    const touched = states.added + states.changed + states.removed;
    // 5% of 2,000 states is 100; a changed target touches a transition rather than a state
    expect(touched + transitions.changed).toBeGreaterThan(70);
    expect(touched).toBeLessThan(130);
    expect(fingerprint(applyDiff(set, diff))).toBe(fingerprint(mutated));
    expect(fingerprint(set)).toBe(
      fingerprint(generateWorkflowSet({ count: 50, states: 40, transitions: 120, seed: 3 })),
    );
  });
});

describe("createRandom", () => {
  it("repeats per seed and stays in range", () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
