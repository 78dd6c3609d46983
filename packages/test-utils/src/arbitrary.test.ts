import { checkWorkflow, fingerprint, Workflow } from "@workflow-sync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mutateWorkflow, mutateWorkflowSet, shuffledArb, workflowArb, workflowSetArb } from "./arbitrary.ts";
import { workflowProblems } from "./generate.ts";

describe("arbitraries", () => {
  it("workflowArb gives workflows that parse as they are and pass core's rules", () => {
    fc.assert(
      fc.property(workflowArb(), (workflow) => {
        expect(Workflow.parse(workflow)).toEqual(workflow);
        expect(workflowProblems(workflow)).toEqual([]);
        expect(checkWorkflow(workflow)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("workflowSetArb gives unique keys", () => {
    fc.assert(
      fc.property(workflowSetArb(), (set) => {
        expect(new Set(set.map((w) => w.key)).size).toBe(set.length);
      }),
    );
  });

  it("mutateWorkflow keeps a workflow valid and usually changes it", () => {
    let changed = 0;
    fc.assert(
      fc.property(
        workflowArb().chain((w) => fc.tuple(fc.constant(w), mutateWorkflow(w))),
        ([original, mutated]) => {
          expect(mutated.key).toBe(original.key);
          expect(Workflow.parse(mutated)).toEqual(mutated);
          expect(checkWorkflow(mutated)).toEqual([]);
          if (fingerprint(mutated) !== fingerprint(original)) changed++;
        },
      ),
      { numRuns: 200 },
    );
    expect(changed).toBeGreaterThan(150);
  });

  it("mutateWorkflowSet keeps every workflow valid and keys unique", () => {
    fc.assert(
      fc.property(
        workflowSetArb({ minLength: 1 }).chain((set) => mutateWorkflowSet(set)),
        (set) => {
          expect(new Set(set.map((w) => w.key)).size).toBe(set.length);
          for (const workflow of set) {
            expect(Workflow.parse(workflow)).toEqual(workflow);
            expect(checkWorkflow(workflow)).toEqual([]);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("shuffledArb keeps the meaning (fingerprint)", () => {
    fc.assert(
      fc.property(
        workflowSetArb().chain((set) => fc.tuple(fc.constant(set), shuffledArb(set))),
        ([set, shuffled]) => {
          expect(fingerprint(shuffled)).toBe(fingerprint(set));
        },
      ),
      { numRuns: 100 },
    );
  });
});
