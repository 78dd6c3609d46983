import { canonicalize, type Workflow } from "@workflow-sync/core";
import { workflowArb } from "@workflow-sync/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KontentMappingError } from "../errors.ts";
import { readKontentFile } from "../file.ts";
import { fromNeutral } from "./from-neutral.ts";

/*
 * Issue 12, item 4: round trips over generated workflows. The Kontent.ai form of a workflow is its
 * write body (`fromNeutral`, role names standing for ids offline), read back as a file would be
 * (`readKontentFile`, the request shape).
 *
 * - neutral → native → neutral: after one projection into what Kontent.ai holds, a second one
 *   changes nothing (a re-sync converges);
 * - native → neutral → native: a Kontent.ai body read into the neutral model writes back as the
 *   same body.
 */

const asFile = (body: unknown) => JSON.parse(JSON.stringify(body)) as unknown;

/**
 * Only workflows that have a Kontent.ai form: a state from which no role may fire any transition is
 * refused (least privilege narrows, and no transition is ever invented: issue 11), and such a
 * refusal is tested in from-neutral.test.ts. Anything else thrown fails the property.
 */
function representable(workflow: Workflow): boolean {
  try {
    fromNeutral(workflow, { roles: "names" });
    return true;
  } catch (error) {
    if (error instanceof KontentMappingError) return false;
    throw error;
  }
}
const project = (workflow: Workflow) =>
  readKontentFile(asFile(fromNeutral(workflow, { roles: "names" }).value), { what: "generated" }).value;

describe("Kontent.ai round trips over generated workflows", () => {
  it("neutral → native → neutral is stable after one projection", () => {
    fc.assert(
      fc.property(workflowArb(), (workflow) => {
        fc.pre(representable(workflow));
        const once = project(workflow);
        const twice = project(once);
        expect(canonicalize(twice)).toEqual(canonicalize(once));
      }),
      { numRuns: 150 },
    );
  });

  it("native → neutral → native gives the same body, without losses", () => {
    fc.assert(
      fc.property(workflowArb(), (workflow) => {
        fc.pre(representable(workflow));
        const body = asFile(fromNeutral(workflow, { roles: "names" }).value);
        const neutral = readKontentFile(body, { what: "generated" }).value;
        const back = fromNeutral(neutral, { roles: "names" });
        expect(back.losses).toEqual([]);
        expect(asFile(back.value)).toEqual(body);
      }),
      { numRuns: 150 },
    );
  });
});
