import { workflowArb, workflowFixtures } from "@workflow-sync/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { stableStringify } from "./canonical.ts";
import { isKey, parseWorkflowFast } from "./fast-parse.ts";
import { Key, Workflow } from "./model.ts";
import { EmbeddedWorkflow } from "./parse.ts";

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
        expect(fast).toEqual(Workflow.parse(document));
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
            // Equal as JSON (what every consumer sees; an array's stray non-index property is not JSON).
            expect(stableStringify(fast)).toBe(stableStringify(slow.data));
          }
        },
      ),
      { numRuns: 600 },
    );
  });

  it("never modifies its input, and fills defaults in copies", () => {
    const deepFreeze = (value: unknown): unknown => {
      if (value && typeof value === "object") {
        for (const member of Object.values(value)) deepFreeze(member);
        Object.freeze(value);
      }
      return value;
    };
    const minimal = {
      key: "w",
      name: { en: "W" },
      initial: "a",
      states: [
        { key: "a", name: { en: "A" }, kind: "initial" },
        { key: "p", name: { en: "P" }, kind: "published" },
      ],
      transitions: [
        { key: "go", from: "a", to: "p", name: { en: "Go" }, parameters: [{ key: "m", name: { en: "M" } }] },
      ],
    };
    const frozen = deepFreeze(plain(minimal));
    const parsed = parseWorkflowFast(frozen);
    expect(parsed).toEqual(Workflow.parse(minimal));
    expect(parsed!.states[0]!.roles).toEqual([]);
    parsed!.scope.contentTypes.push("x");
    expect(parseWorkflowFast(frozen)!.scope.contentTypes).toEqual([]);
  });

  it("returns a complete document without copying it", () => {
    const complete = Workflow.parse(plain(workflowFixtures.editorialWorkflow));
    expect(parseWorkflowFast(complete)).toBe(complete);
  });

  it("leaves documents it does not judge to zod", () => {
    const document = plain(workflowFixtures.editorialWorkflow) as Record<string, unknown>;
    expect(parseWorkflowFast({ ...document, key: undefined })).toBeUndefined();
    expect(parseWorkflowFast({ ...document, surprise: true })).toBeUndefined();
    expect(parseWorkflowFast(null)).toBeUndefined();
    expect(parseWorkflowFast([document])).toBeUndefined();
  });
});

describe("parseWorkflowFast's character checks agree with zod", () => {
  // every character class a key or a role name can meet at its ends: ASCII, white space zod trims,
  // other non-ASCII characters
  const char = fc.oneof(
    fc.constantFrom(
      "a",
      "Z",
      "_",
      "0",
      "9",
      "-",
      " ",
      "!",
      "\t",
      "\n",
      "\u00a0",
      "\u2028",
      "\ufeff",
      "\u3000",
      "é",
      "ß",
    ),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  );
  const text = fc.oneof(
    fc.array(char, { maxLength: 6 }).map((chars) => chars.join("")),
    // a key with one character put in somewhere
    fc
      .tuple(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,5}$/), char, fc.nat())
      .map(([key, c, at]) => key.slice(0, at % (key.length + 1)) + c + key.slice(at % (key.length + 1))),
    fc.string({ unit: "binary", maxLength: 8 }),
    fc.constantFrom("", "a".repeat(100), "a".repeat(101), "_1", "1a", "review_2"),
  );

  it("isKey is the Key schema", () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(isKey(value)).toBe(Key.safeParse(value).success);
      }),
      { numRuns: 3000 },
    );
    for (const value of [undefined, null, 1, {}, ["a"]]) expect(isKey(value)).toBe(false);
  });

  it("accepts a role name exactly when zod does, untrimmed", () => {
    fc.assert(
      fc.property(workflowArb(), text, (workflow, role) => {
        const document = plain(workflow) as { states: Array<{ roles?: string[] }> };
        document.states[0]!.roles = [role];
        const fast = parseWorkflowFast(document);
        const slow = Workflow.safeParse(document);
        if (fast !== undefined) {
          expect(slow.success).toBe(true);
          expect(fast).toEqual(slow.data);
        } else {
          // the fast path leaves to zod only the names zod refuses or trims
          expect(role.length === 0 || role.trim() !== role).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("EmbeddedWorkflow (a workflow inside a plan or a backup)", () => {
  const Embedded = z.strictObject({ workflows: z.array(EmbeddedWorkflow) });
  const Zod = z.strictObject({ workflows: z.array(Workflow) });
  const shape = (issues: readonly z.core.$ZodIssue[]) =>
    issues.map((issue) => ({ code: issue.code, path: issue.path, message: issue.message }));

  it("gives zod's value, and zod's issues at the same paths (corrupted documents)", () => {
    fc.assert(
      fc.property(workflowArb(), fc.nat(), oddValue, fc.boolean(), (workflow, pick, value, remove) => {
        const document = plain(workflow);
        const all = paths(document);
        const corrupted = setAt(document, all[pick % all.length]!, value, remove);
        const embedded = Embedded.safeParse({ workflows: [document, corrupted] }, { reportInput: true });
        const zod = Zod.safeParse({ workflows: [document, corrupted] }, { reportInput: true });
        expect(embedded.success).toBe(zod.success);
        if (embedded.success && zod.success) {
          expect(stableStringify(embedded.data)).toBe(stableStringify(zod.data));
        } else {
          expect(shape(embedded.error!.issues)).toEqual(shape(zod.error!.issues));
          expect(embedded.error!.issues.every((issue) => issue.path[1] === 1)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
