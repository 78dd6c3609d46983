import { canonicalize, type Workflow } from "@workflow-sync/core";
import { workflowArb } from "@workflow-sync/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkDefinition } from "../rules.ts";
import { WireWorkflowDefinition } from "../wire.ts";
import { fromNeutral } from "./from-neutral.ts";
import { toNeutral } from "./to-neutral.ts";

/*
 * Issue 12, item 4: round trips over generated workflows, through the Contensis definition as a
 * file would hold it (JSON).
 *
 * - neutral → native → neutral: after one projection into what Contensis holds, a second one
 *   changes nothing (a re-sync converges);
 * - native → neutral → native: a definition read into the neutral model writes back as the same
 *   definition, without losses;
 * - what is written always passes Contensis's own rules (ids are fitted, reported per id).
 */

/**
 * Generated workflows carry arbitrary opaque extension data; Contensis's own namespace is written
 * only by this adapter (toNeutral), so it is left out of the generated input.
 */
const foreign = workflowArb().map((workflow) => {
  const strip = <T extends { extensions: Workflow["extensions"] }>(item: T): T => {
    const { contensis: _contensis, ...rest } = item.extensions;
    return { ...item, extensions: rest };
  };
  return {
    ...strip(workflow),
    states: workflow.states.map(strip),
    transitions: workflow.transitions.map(strip),
  };
});

const asFile = (definition: unknown) =>
  WireWorkflowDefinition.parse(JSON.parse(JSON.stringify(definition)) as unknown);
const project = (workflow: Workflow) => toNeutral(asFile(fromNeutral(workflow).value)).value;

describe("Contensis round trips over generated workflows", () => {
  it("neutral → native → neutral is stable after one projection, and what is written passes the rules", () => {
    fc.assert(
      fc.property(foreign, (workflow) => {
        const written = fromNeutral(workflow).value;
        expect(checkDefinition(asFile(written))).toEqual([]);
        const once = project(workflow);
        const twice = project(once);
        expect(canonicalize(twice)).toEqual(canonicalize(once));
      }),
      { numRuns: 150 },
    );
  });

  it("native → neutral → native gives the same definition, without losses", () => {
    fc.assert(
      fc.property(foreign, (workflow) => {
        const definition = asFile(fromNeutral(workflow).value);
        const neutral = toNeutral(definition).value;
        const back = fromNeutral(neutral);
        expect(back.losses).toEqual([]);
        expect(asFile(back.value)).toEqual(definition);
      }),
      { numRuns: 150 },
    );
  });
});
