import { editorialWorkflow, kontentExampleWorkflow, workflowFixtures } from "@workflow-sync/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Issue } from "../issues.ts";
import { type TransitionInput, VENDORS, Workflow, type WorkflowInput } from "../model.ts";
import { lengthIssues, notPortable, type VendorProfile } from "../profile.ts";
import { checkPortability, checkWorkflow, checkWorkflowSet, validateWorkflow } from "./index.ts";

/** A small valid workflow: draft → review → published, published → archived → draft. */
function base(): WorkflowInput {
  return {
    key: "simple",
    name: { "en-GB": "Simple" },
    initial: "draft",
    states: [
      { key: "draft", name: { "en-GB": "Draft" }, kind: "initial", color: "gray" },
      { key: "review", name: { "en-GB": "Review" }, kind: "step", color: "yellow" },
      { key: "published", name: { "en-GB": "Published" }, kind: "published" },
      { key: "archived", name: { "en-GB": "Archived" }, kind: "archived" },
    ],
    transitions: [
      { key: "submit", from: "draft", to: "review", name: { "en-GB": "Submit" } },
      { key: "approve", from: "review", to: "published", name: { "en-GB": "Approve" } },
      { key: "unpublish", from: "published", to: "archived", name: { "en-GB": "Unpublish" } },
      { key: "restore", from: "archived", to: "draft", name: { "en-GB": "Restore" } },
    ],
    groups: [{ key: "decision", name: { "en-GB": "Decision" } }],
  };
}

/** `base()` changed by `edit`, parsed. */
function make(edit: (input: WorkflowInput & { states: unknown[]; transitions: TransitionInput[] }) => void) {
  const input = structuredClone(base()) as WorkflowInput & {
    states: unknown[];
    transitions: TransitionInput[];
  };
  edit(input);
  return Workflow.parse(input);
}

const check = (edit: Parameters<typeof make>[0]) => checkWorkflow(make(edit));

/*
 * Two made-up vendor profiles (core's tests know no real vendor: each adapter tests its own profile
 * in its profile.test.ts). They carry the opaque vendor tags.
 */
const [first, second] = VENDORS;
const shortKeys: VendorProfile = {
  vendor: first,
  displayName: "First",
  limits: { workflowKey: { what: "workflow key", min: 1, max: 8, source: "https://example.com/limits" } },
  palettes: {},
  checkPortability: (workflow) =>
    lengthIssues(first, { key: workflow.key }, [], "a workflow key", 1, 8).map((issue) => ({
      ...issue,
      path: ["key"],
    })),
};
const noArchive: VendorProfile = {
  vendor: second,
  displayName: "Second",
  limits: {},
  palettes: { state: ["red"] },
  checkPortability: (workflow) =>
    workflow.states.flatMap((state, index) =>
      state.kind === "archived"
        ? [notPortable(second, ["states", index, "kind"], `no archived states; state "${state.key}" is one`)]
        : [],
    ),
};
const codes = (issues: readonly Issue[]) => issues.map((issue) => issue.code);
const t = (
  key: string,
  from: string,
  to: string | null,
  extra: Partial<TransitionInput> = {},
): TransitionInput => ({
  key,
  from,
  to,
  name: { "en-GB": key },
  ...extra,
});

describe("checkWorkflow: a sound workflow", () => {
  it("finds nothing in the base workflow", () => {
    expect(checkWorkflow(Workflow.parse(base()))).toEqual([]);
  });

  it.each(Object.entries(workflowFixtures))("finds nothing in the fixture %s", (_name, fixture) => {
    expect(checkWorkflow(Workflow.parse(fixture))).toEqual([]);
  });
});

describe("checkWorkflow: unique keys", () => {
  it("reports a second state with the same key, at its index", () => {
    const issues = check((w) => {
      w.states.push({ key: "review", name: { "en-GB": "Review again" }, kind: "step" });
    });
    expect(issues).toContainEqual({
      code: "duplicate_key",
      path: ["states", 4, "key"],
      message: 'state key "review" is already used by states[1]; state keys must be unique',
      severity: "error",
    });
  });

  it("reports a transition key used twice from the same state, but not from different states", () => {
    const issues = check((w) => {
      w.transitions.push(t("submit", "draft", "published"));
      w.transitions.push(t("submit", "review", "draft"));
    });
    const duplicates = issues.filter((issue) => issue.code === "duplicate_key");
    expect(duplicates).toHaveLength(1);
    expect(duplicates[0]).toMatchObject({ path: ["transitions", 4, "key"], severity: "error" });
    expect(duplicates[0]!.message).toContain(
      'transition key "submit" already leaves state "draft" (transitions[0])',
    );
  });

  it("reports a duplicate group key", () => {
    const issues = check((w) => {
      w.groups = [...(w.groups ?? []), { key: "decision", name: { "en-GB": "Again" } }];
    });
    expect(issues).toEqual([
      expect.objectContaining({ code: "duplicate_key", path: ["groups", 1, "key"], severity: "error" }),
    ]);
    expect(issues[0]!.message).toContain('group key "decision"');
  });

  it("reports a duplicate parameter key within one transition", () => {
    const issues = check((w) => {
      w.transitions[1]!.parameters = [
        { key: "note", name: { "en-GB": "Note" } },
        { key: "note", name: { "en-GB": "Another note" } },
      ];
    });
    expect(issues).toEqual([
      expect.objectContaining({
        code: "duplicate_key",
        path: ["transitions", 1, "parameters", 1, "key"],
        severity: "error",
      }),
    ]);
    expect(issues[0]!.message).toContain('parameter key "note" of transition "approve"');
  });
});

describe("checkWorkflow: dangling references", () => {
  it("reports an initial that names no state", () => {
    const issues = check((w) => {
      w.initial = "drafts";
    });
    expect(issues).toContainEqual({
      code: "dangling_reference",
      path: ["initial"],
      message:
        'initial names "drafts", which is not a state key (states: draft, review, published, archived)',
      severity: "error",
    });
  });

  it("reports from, to and group that name nothing, each at its own path", () => {
    const issues = check((w) => {
      w.transitions.push(t("lost", "nowhere", "draft"));
      w.transitions.push(t("astray", "review", "limbo", { group: "decisions" }));
    });
    const dangling = issues.filter((issue) => issue.code === "dangling_reference");
    expect(dangling.map((issue) => issue.path)).toEqual([
      ["transitions", 4, "from"],
      ["transitions", 5, "to"],
      ["transitions", 5, "group"],
    ]);
    expect(dangling[0]!.message).toContain('transition "lost": from names "nowhere"');
    expect(dangling[1]!.message).toContain('to names "limbo", which is not a state key');
    expect(dangling[2]!.message).toContain(
      'group names "decisions", which is not a group key (groups: decision)',
    );
  });

  it("does not treat a stay transition (to: null) as dangling", () => {
    expect(check((w) => w.transitions.push(t("save", "draft", null)))).toEqual([]);
  });
});

describe("checkWorkflow: the initial state", () => {
  it("needs a state of kind initial", () => {
    const issues = check((w) => {
      (w.states[0] as { kind: string }).kind = "step";
    });
    expect(codes(issues)).toEqual(["initial_state", "initial_state"]);
    expect(issues[0]).toMatchObject({ path: ["states"], severity: "error" });
    expect(issues[0]!.message).toContain('no state has kind "initial"');
    expect(issues[1]).toMatchObject({ path: ["initial"] });
    expect(issues[1]!.message).toBe(
      'initial names "draft", whose kind is "step"; initial must name the state of kind "initial"',
    );
  });

  it("allows only one state of kind initial", () => {
    const issues = check((w) => {
      (w.states[1] as { kind: string }).kind = "initial";
    });
    expect(issues).toEqual([
      expect.objectContaining({ code: "initial_state", path: ["states", 1, "kind"], severity: "error" }),
    ]);
    expect(issues[0]!.message).toContain('state "review" has kind "initial", but so has state "draft"');
  });

  it("needs initial to name the initial state", () => {
    const issues = check((w) => {
      w.initial = "review";
    });
    expect(issues).toContainEqual(
      expect.objectContaining({
        code: "initial_state",
        path: ["initial"],
        message:
          'initial names "review", whose kind is "step"; initial must name the state of kind "initial" ("draft")',
      }),
    );
  });
});

describe("checkWorkflow: publishing", () => {
  it("needs a published state", () => {
    const issues = check((w) => {
      w.states = w.states.filter((state) => (state as { key: string }).key !== "published");
      w.transitions = [t("submit", "draft", "review"), t("back", "review", "draft")];
    });
    expect(codes(issues)).not.toContain("cannot_reach_published");
    expect(issues).toContainEqual({
      code: "no_published_state",
      path: ["states"],
      message: 'no state has kind "published"; a workflow needs one so that content can be published',
      severity: "error",
    });
  });

  it("reports a state from which no published state can be reached, but not archived or scheduled states", () => {
    const issues = check((w) => {
      w.states.push({ key: "stuck", name: { "en-GB": "Stuck" }, kind: "step" });
      w.states.push({ key: "scheduled", name: { "en-GB": "Scheduled" }, kind: "scheduled" });
      w.transitions.push(t("park", "review", "stuck"));
      w.transitions.push(t("stay", "stuck", null));
    });
    expect(issues).toEqual([
      expect.objectContaining({ code: "cannot_reach_published", path: ["states", 4], severity: "error" }),
    ]);
    expect(issues[0]!.message).toContain('no state of kind "published" can be reached from state "stuck"');
  });

  it("reports every state of a loop that never leads to publishing", () => {
    const issues = check((w) => {
      w.states.push({ key: "a", name: { "en-GB": "A" }, kind: "step" });
      w.states.push({ key: "b", name: { "en-GB": "B" }, kind: "step" });
      w.transitions.push(t("to_a", "review", "a"), t("to_b", "a", "b"), t("back_to_a", "b", "a"));
    });
    expect(issues.map((issue) => [issue.code, issue.path])).toEqual([
      ["cannot_reach_published", ["states", 4]],
      ["cannot_reach_published", ["states", 5]],
    ]);
  });
});

describe("checkWorkflow: warnings", () => {
  it("warns about a state that cannot be reached from initial, but not a scheduled one", () => {
    const issues = check((w) => {
      w.states.push({ key: "orphan", name: { "en-GB": "Orphan" }, kind: "step" });
      w.states.push({ key: "scheduled", name: { "en-GB": "Scheduled" }, kind: "scheduled" });
      w.transitions.push(t("go", "orphan", "published"));
    });
    expect(issues).toEqual([
      {
        code: "unreachable_state",
        path: ["states", 4],
        message: 'state "orphan" cannot be reached from the initial state "draft"',
        severity: "warning",
      },
    ]);
  });

  it("warns about a duplicate transition: same from, to, roles (any order) and guard under another key", () => {
    const guard = { all: [{ field: "urgent", equals: true }] };
    const issues = check((w) => {
      w.transitions[1]!.roles = ["Editor", "Publisher"];
      w.transitions[1]!.guard = guard;
      w.transitions.push(
        t("approve_again", "review", "published", { roles: ["Publisher", "Editor"], guard }),
      );
    });
    expect(issues).toEqual([
      expect.objectContaining({
        code: "duplicate_transition",
        path: ["transitions", 4],
        severity: "warning",
      }),
    ]);
    expect(issues[0]!.message).toContain(
      'transition "approve_again" from "review" to "published" duplicates',
    );
    expect(issues[0]!.message).toContain('"approve" (transitions[1])');
  });

  it("does not call transitions duplicates when roles or guards differ, nor stay transitions", () => {
    const issues = check((w) => {
      w.transitions.push(t("approve_as_publisher", "review", "published", { roles: ["Publisher"] }));
      w.transitions.push(
        t("approve_urgent", "review", "published", { guard: { all: [{ field: "urgent", equals: true }] } }),
      );
      w.transitions.push(t("save", "draft", null), t("delete", "draft", null));
    });
    expect(issues).toEqual([]);
  });

  it("warns about a required parameter without requiredMessage", () => {
    const issues = check((w) => {
      w.transitions[1]!.parameters = [
        { key: "reason", name: { "en-GB": "Reason" }, required: true },
        { key: "ok", name: { "en-GB": "Fine" }, required: true, requiredMessage: { "en-GB": "Give it" } },
        { key: "optional", name: { "en-GB": "Optional" } },
      ];
    });
    expect(issues).toEqual([
      {
        code: "missing_required_message",
        path: ["transitions", 1, "parameters", 0],
        message:
          'parameter "reason" of transition "approve" from "review" is required but has no requiredMessage: ' +
          "say what the user must give",
        severity: "warning",
      },
    ]);
  });
});

describe("validateWorkflow", () => {
  it("returns the parse issues and no value for a document that is not a workflow", () => {
    const result = validateWorkflow({ key: "x", states: [] });
    expect(result.ok).toBe(false);
    expect(result.value).toBeUndefined();
    expect(codes(result.issues)).toContain("missing_field");
  });

  it("says an empty document is empty", () => {
    expect(validateWorkflow(null)).toEqual({
      ok: false,
      issues: [{ code: "invalid_document", path: [], message: "the document is empty", severity: "error" }],
    });
  });

  it("is not ok with a semantic error, and still returns the parsed value", () => {
    const input = { ...base(), initial: "nowhere" };
    const result = validateWorkflow(input);
    expect(result.ok).toBe(false);
    expect(result.value?.key).toBe("simple");
    expect(codes(result.issues)).toContain("dangling_reference");
  });

  it("is ok with warnings only", () => {
    const input = structuredClone(base()) as WorkflowInput & { states: unknown[] };
    input.states.push({ key: "orphan", name: { "en-GB": "Orphan" }, kind: "published" });
    const result = validateWorkflow(input);
    expect(result.ok).toBe(true);
    expect(codes(result.issues)).toEqual(["unreachable_state"]);
  });

  it("runs portability checks only for the profiles asked for, in order, each once", () => {
    const input = { ...base(), key: "Simple_one" };
    expect(validateWorkflow(input).issues).toEqual([]);
    const firstOnly = validateWorkflow(input, { profiles: [shortKeys] }).issues;
    expect(firstOnly.map((issue) => [issue.vendor, issue.path])).toEqual([[first, ["key"]]]);
    const both = validateWorkflow(input, { profiles: [shortKeys, noArchive, shortKeys] }).issues;
    expect(both.map((issue) => [issue.vendor, issue.path])).toEqual([
      [first, ["key"]],
      [second, ["states", 3, "kind"]],
    ]);
    expect(both[0]!.message).toBe('a workflow key is 1–8 characters; "Simple_one" has 10');
  });

  it("is not ok when a profile's check is, and keeps the semantic issues first", () => {
    const input = { ...base(), initial: "nowhere" };
    const result = validateWorkflow(input, { profiles: [noArchive] });
    expect(result.ok).toBe(false);
    expect(codes(result.issues)).toEqual(["dangling_reference", "not_portable"]);
  });

  it("refuses the removed `vendors` option instead of skipping the checks", () => {
    expect(() => validateWorkflow(base(), { vendors: ["x"] } as never)).toThrow(
      /options\.vendors is gone; pass options\.profiles/,
    );
  });

  it.each(Object.entries(workflowFixtures))("accepts the fixture %s without errors", (_name, fixture) => {
    const result = validateWorkflow(fixture);
    expect(result.ok).toBe(true);
    expect(result.issues.filter((issue) => issue.severity === "error")).toEqual([]);
  });
});

describe("checkWorkflow and checkPortability with vendor profiles", () => {
  it("checkWorkflow appends the profiles' issues to the semantic ones", () => {
    const workflow = make((w) => {
      w.key = "a_long_key";
    });
    expect(checkWorkflow(workflow)).toEqual([]);
    expect(checkWorkflow(workflow, { profiles: [] })).toEqual([]);
    expect(checkWorkflow(workflow, { profiles: [shortKeys, noArchive] })).toEqual([
      ...checkPortability(workflow, shortKeys),
      ...checkPortability(workflow, noArchive),
    ]);
  });

  it("checkPortability runs the profile's check", () => {
    const workflow = make(() => {});
    expect(checkPortability(workflow, noArchive)).toEqual([
      {
        code: "not_portable",
        path: ["states", 3, "kind"],
        message: 'no archived states; state "archived" is one',
        severity: "warning",
        vendor: second,
      },
    ]);
  });

  it("checkPortability says what to pass when given a vendor name (the API before profiles)", () => {
    const workflow = make(() => {});
    expect(() => checkPortability(workflow, VENDORS[0] as never)).toThrow(
      /pass a vendor profile \(each vendor adapter exports one\)/,
    );
  });

  it("lengthIssues reports every locale outside the bounds", () => {
    expect(lengthIssues(first, { "en-GB": "", de: "ok", fr: "too long" }, ["name"], "a name", 1, 5)).toEqual([
      notPortable(first, ["name", "en-GB"], 'a name is 1–5 characters; "" has 0'),
      notPortable(first, ["name", "fr"], 'a name is 1–5 characters; "too long" has 8'),
    ]);
  });
});

describe("checkWorkflowSet", () => {
  it("reports a workflow key used twice in a set, at the later index", () => {
    const a = Workflow.parse(editorialWorkflow);
    const b = Workflow.parse(kontentExampleWorkflow);
    expect(checkWorkflowSet([a, b, a])).toEqual([
      {
        code: "duplicate_key",
        path: [2, "key"],
        message:
          'workflow key "editorial" is already used by workflow [0]; workflow keys must be unique in a set',
        severity: "error",
      },
    ]);
  });

  it("finds nothing in a set with unique keys", () => {
    expect(
      checkWorkflowSet(Object.values(workflowFixtures).map((fixture) => Workflow.parse(fixture))),
    ).toEqual([]);
  });
});

describe("checkWorkflow's reachability agrees with analysis.ts", () => {
  it("dead ends and unreachable states are the ones deadEnds and reachableStates give", async () => {
    const fc = (await import("fast-check")).default;
    const { workflowArb, mutateWorkflow } = await import("@workflow-sync/test-utils");
    const { deadEnds, reachableStates } = await import("../analysis.ts");
    // Random rewiring of the transitions gives dead ends and unreachable states.
    const arbitrary = workflowArb()
      .chain((workflow) => mutateWorkflow(workflow, { maxEdits: 3 }))
      .chain((workflow) =>
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: workflow.states.length * 2 }).map((pairs) => ({
          ...workflow,
          transitions: pairs.map(([from, to], position) => ({
            key: `t${position}`,
            from: workflow.states[from % workflow.states.length]!.key,
            to: workflow.states[to % workflow.states.length]!.key,
            name: { en: "T" },
            roles: [],
            parameters: [],
            validate: false,
            extensions: {},
          })),
          groups: [],
        })),
      );
    let withDeadEnds = 0;
    let withUnreachable = 0;
    fc.assert(
      fc.property(arbitrary, (workflow) => {
        const issues = checkWorkflow(workflow);
        if (issues.some((issue) => issue.code === "dangling_reference" || issue.code === "duplicate_key"))
          return;
        const keyAt = (issue: (typeof issues)[number]) => workflow.states[issue.path[1] as number]!.key;
        const dead = issues.filter((issue) => issue.code === "cannot_reach_published").map(keyAt);
        const hasPublished = workflow.states.some((state) => state.kind === "published");
        expect(dead).toEqual(hasPublished ? deadEnds(workflow) : []);
        if (dead.length) withDeadEnds++;
        const reachable = reachableStates(workflow, { from: workflow.initial });
        const unreachable = issues.filter((issue) => issue.code === "unreachable_state").map(keyAt);
        expect(unreachable).toEqual(
          workflow.states
            .filter((state) => state.kind !== "scheduled" && !reachable.has(state.key))
            .map((state) => state.key),
        );
        if (unreachable.length) withUnreachable++;
      }),
      { numRuns: 300 },
    );
    // The property saw both kinds of problem, so it could have failed.
    expect(withDeadEnds).toBeGreaterThan(20);
    expect(withUnreachable).toBeGreaterThan(20);
  });
});

describe("checkWorkflow's duplicate checks agree with the plain algorithm", () => {
  /*
   * checkWorkflow looks for repeated transition keys and repeated transitions only within the rows
   * of transitions leaving one state (scanned pairwise), and reports them only when a row shows
   * one. The reference compares every transition with every earlier one.
   */
  const signature = (t: Workflow["transitions"][number]) =>
    [
      [...new Set(t.roles)].sort().join("\u0001"),
      t.guard
        ? t.guard.all
            .map((condition) => JSON.stringify([condition.field, condition.equals]))
            .sort()
            .join("\u0001")
        : "",
    ].join("\u0000");
  function reference(workflow: Workflow): Issue[] {
    const issues: Issue[] = [];
    const states = new Set(workflow.states.map((state) => state.key));
    const { transitions } = workflow;
    transitions.forEach((t, index) => {
      const first = transitions.findIndex((o, j) => j < index && o.from === t.from && o.key === t.key);
      if (first >= 0) {
        issues.push({
          code: "duplicate_key",
          path: ["transitions", index, "key"],
          message:
            `transition key "${t.key}" already leaves state "${t.from}" (transitions[${first}]); ` +
            "transition keys must be unique per from state",
          severity: "error",
        });
      }
    });
    transitions.forEach((t, index) => {
      if (t.to === null || !states.has(t.from) || !states.has(t.to)) return;
      const first = transitions.findIndex(
        (o, j) => j < index && o.from === t.from && o.to === t.to && signature(o) === signature(t),
      );
      if (first < 0 || transitions[first]!.key === t.key) return;
      issues.push({
        code: "duplicate_transition",
        path: ["transitions", index],
        message:
          `transition "${t.key}" from "${t.from}" to "${t.to}" duplicates transition ` +
          `"${transitions[first]!.key}" (transitions[${first}]): same from, to, roles and guard under another key`,
        severity: "warning",
      });
    });
    return issues;
  }

  const key = fc.constantFrom("a", "b", "c", "d_long_state_key");
  // ends: mostly a state (by position), sometimes a key that names none
  const end = fc.oneof(
    { weight: 9, arbitrary: fc.nat() },
    { weight: 1, arbitrary: fc.constantFrom("x", "y_no_such_state") },
  );
  const transitionArb = fc.record({
    key: fc.nat(),
    from: end,
    to: fc.option(end, { nil: null, freq: 5 }),
    roles: fc.array(fc.constantFrom("R", "S"), { maxLength: 2 }),
    guard: fc.option(
      fc.record({
        all: fc.array(fc.record({ field: fc.constantFrom("f", "g"), equals: fc.boolean() }), {
          minLength: 1,
          maxLength: 2,
        }),
      }),
      { nil: undefined, freq: 4 },
    ),
  });
  const workflowArbForDuplicates = fc
    .record({
      stateKeys: fc.array(key, { minLength: 1, maxLength: 5 }),
      // transition keys are `k0` … `k${keys - 1}`: few keys give many repeats, many keys few
      keys: fc.integer({ min: 1, max: 300 }),
      // up to 120: a row of more than 32 transitions leaving one state is not scanned pairwise
      transitions: fc.oneof(
        fc.array(transitionArb, { maxLength: 12 }),
        fc.array(transitionArb, { minLength: 40, maxLength: 120 }),
      ),
    })
    .map(({ stateKeys, keys, transitions }) =>
      Workflow.parse({
        key: "w",
        name: { en: "W" },
        initial: stateKeys[0],
        states: stateKeys.map((stateKey, index) => ({
          key: stateKey,
          name: { en: stateKey },
          kind: index === 0 ? "initial" : "published",
        })),
        transitions: transitions.map((t) => {
          const named = (at: number | string) =>
            typeof at === "string" ? at : stateKeys[at % stateKeys.length]!;
          const transitionKey = `k${t.key % keys}`;
          return {
            ...t,
            key: transitionKey,
            from: named(t.from),
            to: t.to === null ? null : named(t.to),
            name: { en: transitionKey },
          };
        }),
      }),
    );

  it("reports the same duplicate transition keys and duplicate transitions, in order", () => {
    let keys = 0;
    let duplicates = 0;
    fc.assert(
      fc.property(workflowArbForDuplicates, (workflow) => {
        const expected = reference(workflow);
        const actual = checkWorkflow(workflow).filter(
          (issue) =>
            issue.code === "duplicate_transition" ||
            (issue.code === "duplicate_key" && issue.path[0] === "transitions"),
        );
        expect(actual).toEqual(expected);
        if (expected.some((issue) => issue.code === "duplicate_key")) keys++;
        if (expected.some((issue) => issue.code === "duplicate_transition")) duplicates++;
      }),
      { numRuns: 400 },
    );
    // The property saw both kinds of problem, so it could have failed.
    expect(keys).toBeGreaterThan(50);
    expect(duplicates).toBeGreaterThan(50);
  });
});
