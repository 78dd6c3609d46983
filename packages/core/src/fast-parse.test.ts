import { workflowArb, workflowFixtures } from "@workflow-sync/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseWorkflowFast } from "./fast-parse.ts";
import { Workflow } from "./model.ts";

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

/** Every path to a value inside a JSON document. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== "object") return [prefix];
  const entries = Array.isArray(value)
    ? value.map((item, index) => [index, item] as const)
    : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, item]) => paths(item, [...prefix, key]))];
}

function setAt(document: unknown, path: Array<string | number>, value: unknown, remove: boolean): unknown {
  if (path.length === 0) return value;
  const copy = plain(document) as Record<string | number, unknown>;
  let node = copy;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  return copy;
}

const oddValue = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    "",
    " x ",
    "en-GB",
    "draft",
    "not a key!",
    [],
    {},
    { "en-GB": "x" },
    ["x"],
  ),
  fc.string({ maxLength: 5 }),
  fc.integer(),
);

describe("parseWorkflowFast", () => {
  it("accepts every fixture, with the value zod gives", () => {
    for (const [name, fixture] of Object.entries(workflowFixtures)) {
      const document = plain(fixture);
      const fast = parseWorkflowFast(document);
      expect(fast, name).toBeDefined();
      expect(fast).toEqual(Workflow.parse(document));
    }
  });

  it("gives exactly zod's value for generated valid workflows", () => {
    fc.assert(
      fc.property(workflowArb(), (workflow) => {
        const document = plain(workflow);
        const fast = parseWorkflowFast(document);
        expect(fast).toBeDefined();
        expect(JSON.stringify(fast)).toBe(JSON.stringify(Workflow.parse(document)));
      }),
      { numRuns: 150 },
    );
  });

  it("never accepts what zod refuses, and agrees with zod when it accepts (corrupted documents)", () => {
    fc.assert(
      fc.property(
        workflowArb(),
        fc.nat(),
        oddValue,
        fc.boolean(),
        fc.boolean(),
        (workflow, pick, value, remove, addUnknown) => {
          const document = plain(workflow);
          const all = paths(document);
          const path = all[pick % all.length]!;
          let corrupted = setAt(document, path, value, remove);
          if (addUnknown && path.length > 0)
            corrupted = setAt(corrupted, [...path.slice(0, -1), "surprise"], 1, false);
          const fast = parseWorkflowFast(corrupted);
          const slow = Workflow.safeParse(corrupted);
          if (fast !== undefined) {
            expect(slow.success).toBe(true);
            expect(JSON.stringify(fast)).toBe(JSON.stringify(slow.data));
          }
        },
      ),
      { numRuns: 600 },
    );
  });

  it("leaves documents it does not judge to zod", () => {
    const document = plain(workflowFixtures.editorialWorkflow) as Record<string, unknown>;
    expect(parseWorkflowFast({ ...document, key: undefined })).toBeUndefined();
    expect(parseWorkflowFast({ ...document, surprise: true })).toBeUndefined();
    expect(parseWorkflowFast(null)).toBeUndefined();
    expect(parseWorkflowFast([document])).toBeUndefined();
  });
});
