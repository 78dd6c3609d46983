import { generateWorkflowSet, shuffledArb, workflowArb } from "@workflow-sync/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalize, fingerprint, fingerprints, stableStringify } from "./canonical.ts";
import type { Condition, State, Transition, Workflow } from "./model.ts";

/*
 * canonicalize orders short lists with inline comparisons (insertion, binary insertion, buckets
 * per source state) instead of `Array.prototype.sort`. The reference below is the plain form with
 * `sort`; both must give the same workflow, key order included (JSON output shows it).
 */

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byKey = <T extends { key: string }>(a: T, b: T) => compare(a.key, b.key);
const byFromThenKey = (a: Transition, b: Transition) => compare(a.from, b.from) || compare(a.key, b.key);
const byCondition = (a: Condition, b: Condition) => compare(stableStringify(a), stableStringify(b));
const sortedSet = (values: readonly string[]) => [...new Set(values)].sort(compare);
const isSortedSet = (values: readonly string[]) =>
  values.every((value, i) => i === 0 || values[i - 1]! < value);

function reference(workflow: Workflow): Workflow {
  const { $schema: _schema, ...rest } = workflow;
  const state = (s: State): State => ({ ...s, roles: sortedSet(s.roles) });
  const transition = (t: Transition): Transition => ({
    ...t,
    roles: sortedSet(t.roles),
    parameters: [...t.parameters].sort(byKey),
    ...(t.guard ? { guard: { all: [...t.guard.all].sort(byCondition) } } : {}),
  });
  return {
    ...rest,
    // a scope in order already is shared (its keys keep their order)
    scope:
      isSortedSet(workflow.scope.contentTypes) && isSortedSet(workflow.scope.collections)
        ? workflow.scope
        : {
            contentTypes: sortedSet(workflow.scope.contentTypes),
            collections: sortedSet(workflow.scope.collections),
          },
    states: workflow.states.map(state).sort(byKey),
    transitions: workflow.transitions.map(transition).sort(byFromThenKey),
    groups: [...workflow.groups].sort(byKey),
  };
}

const POOL = ["a", "b", "draft", "review", "review_2", "Z", "_x"];

/**
 * A valid workflow, shuffled, then edited so that the orders meet their corner cases: repeated
 * state keys, transitions whose `from` names no state, repeated roles, a `$schema`.
 */
const workflowArbForOrder = workflowArb()
  .chain((workflow) => shuffledArb(workflow))
  .chain((workflow) =>
    fc
      .array(
        fc.tuple(
          fc.constantFrom("stateKey", "from", "roles", "copyTransition", "schema"),
          fc.nat(),
          fc.constantFrom(...POOL),
        ),
        { maxLength: 5 },
      )
      .map((edits) => {
        const w = structuredClone(workflow) as Workflow;
        for (const [what, n, key] of edits) {
          const state = w.states[n % w.states.length]!;
          const transition = w.transitions[n % Math.max(1, w.transitions.length)];
          if (what === "stateKey") state.key = key;
          else if (what === "roles") state.roles = [key, "b", key, "a"];
          else if (what === "schema") w.$schema = "x";
          else if (transition && what === "from") transition.from = key;
          else if (transition && what === "copyTransition")
            w.transitions.push({ ...transition, roles: [key, key] });
        }
        return w;
      }),
  );

/** A workflow with many states and transitions, some beyond the inline orders' limit (256). */
const largeArb = fc
  .record({
    states: fc.integer({ min: 1, max: 300 }),
    transitions: fc.integer({ min: 0, max: 600 }),
    seed: fc.nat(),
  })
  .map(({ states, transitions, seed }) => {
    const random = fc.sample(fc.nat({ max: states - 1 }), { numRuns: transitions + 1, seed });
    const stateKeys = Array.from({ length: states }, (_, i) => `s${(i * 7919) % 1000}`);
    const workflow: Workflow = {
      key: "large",
      name: { en: "Large" },
      scope: { contentTypes: [], collections: [] },
      initial: stateKeys[0]!,
      states: stateKeys.map((key) => ({
        key,
        name: { en: key },
        kind: "step",
        editable: true,
        roles: [],
        extensions: {},
      })),
      transitions: random.slice(1).map((from, i) => ({
        key: `t${i % 5}`,
        from: stateKeys[from]!,
        to: null,
        name: { en: "T" },
        roles: i % 3 === 0 ? ["b", "a"] : [],
        parameters: [],
        validate: false,
        extensions: {},
      })),
      groups: [],
      extensions: {},
    };
    return workflow;
  });

describe("canonicalize orders as Array.prototype.sort does", () => {
  const same = (workflow: Workflow) => {
    const expected = reference(workflow);
    const actual = canonicalize(workflow);
    expect(actual).toEqual(expected);
    expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
  };

  it("for shuffled workflows with repeated keys, unknown sources and repeated roles", () => {
    fc.assert(fc.property(workflowArbForOrder, same), { numRuns: 500 });
  });

  it("for large workflows (beyond the inline orders' limit too)", () => {
    fc.assert(fc.property(largeArb, same), { numRuns: 40 });
  });

  it("for generated benchmark workflows", () => {
    for (const workflow of generateWorkflowSet({ count: 20, seed: 3 })) same(workflow);
  });

  it("does not change its input, and shares what is in order already", () => {
    const [workflow] = generateWorkflowSet({ count: 1, seed: 5 });
    const before = structuredClone(workflow!);
    const canonical = canonicalize(workflow!);
    expect(workflow).toEqual(before);
    expect(canonicalize(canonical).transitions).toEqual(canonical.transitions);
    expect(canonicalize(canonical).scope).toBe(canonical.scope);
  });
});

describe("fingerprints", () => {
  it("gives the set's fingerprint and each workflow's, as fingerprint does", () => {
    fc.assert(
      fc.property(fc.array(workflowArb(), { maxLength: 6 }), (generated) => {
        // Distinct keys, as in an environment.
        const workflows = generated.filter(
          (workflow, index) => generated.findIndex((other) => other.key === workflow.key) === index,
        );
        const { set, each } = fingerprints(workflows);
        expect(set).toBe(fingerprint(workflows));
        expect(Object.keys(each).sort()).toEqual(workflows.map((workflow) => workflow.key).sort());
        for (const workflow of workflows) expect(each[workflow.key]).toBe(fingerprint(workflow));
      }),
      { numRuns: 60 },
    );
  });
});
