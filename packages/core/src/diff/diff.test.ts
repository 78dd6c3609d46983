import { mutateWorkflowSet, shuffledArb, workflowSetArb } from "@workflow-sync/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fingerprint, sameWorkflow } from "../canonical.ts";
import { Workflow, type WorkflowInput } from "../model.ts";
import {
  applyDiff,
  type Change,
  DiffConflictError,
  DiffInputError,
  diffWorkflow,
  diffWorkflows,
  isEmptyDiff,
  summarizeDiff,
  type WorkflowDiff,
} from "./index.ts";

const editorialInput: WorkflowInput = {
  key: "editorial",
  name: { "en-GB": "Editorial" },
  initial: "draft",
  scope: { contentTypes: ["article", "news"] },
  states: [
    { key: "draft", name: { "en-GB": "Draft" }, kind: "initial", color: "gray", roles: ["Author", "Editor"] },
    { key: "review", name: { "en-GB": "Review" }, kind: "step", color: "orange", roles: ["Editor"] },
    { key: "published", name: { "en-GB": "Published" }, kind: "published", color: "green", editable: false },
  ],
  transitions: [
    { key: "submit", from: "draft", to: "review", name: { "en-GB": "Submit" }, group: "forward" },
    { key: "approve", from: "review", to: "published", name: { "en-GB": "Approve" }, roles: ["Editor"] },
    { key: "reject", from: "review", to: "draft", name: { "en-GB": "Reject" } },
    { key: "comment", from: "review", to: null, name: { "en-GB": "Comment" } },
  ],
  groups: [{ key: "forward", name: { "en-GB": "Forward" } }],
};

/** A parsed copy of the editorial workflow, changed by `edit`. */
function editorial(edit: (w: Workflow) => void = () => {}): Workflow {
  const workflow = Workflow.parse(structuredClone(editorialInput));
  edit(workflow);
  return workflow;
}

const state = (w: Workflow, key: string) => w.states.find((s) => s.key === key)!;
const transition = (w: Workflow, from: string, key: string) =>
  w.transitions.find((t) => t.from === from && t.key === key)!;

/** The changes as `kind path: before → after` lines, for readable expectations. */
const lines = (changes: readonly Change[]) =>
  changes.map(
    (c) =>
      `${c.kind} ${c.path.join(".")}${"field" in c ? `: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}` : ""}`,
  );

describe("diffWorkflows: examples", () => {
  it("finds nothing between a workflow and itself, or a reordered copy", () => {
    expect(isEmptyDiff(diffWorkflows([editorial()], [editorial()]))).toBe(true);
    const reordered = editorial((w) => {
      w.states.reverse();
      w.transitions.reverse();
      state(w, "draft").roles.reverse();
      w.scope.contentTypes.reverse();
      w.name = { ...w.name };
    });
    expect(diffWorkflows([editorial()], [reordered]).changes).toEqual([]);
  });

  it("reports a field change by keys, with the field's values", () => {
    const desired = editorial((w) => {
      state(w, "review").color = "yellow";
      transition(w, "draft", "submit").to = "published";
    });
    const diff = diffWorkflows([editorial()], [desired]);
    expect(diff.formatVersion).toBe(1);
    expect(diff.changes).toEqual([
      {
        kind: "transition_changed",
        path: ["editorial", "states", "draft", "transitions", "submit", "to"],
        workflow: "editorial",
        state: "draft",
        transition: { from: "draft", key: "submit" },
        field: "to",
        before: "review",
        after: "published",
      },
      {
        kind: "state_changed",
        path: ["editorial", "states", "review", "color"],
        workflow: "editorial",
        state: "review",
        field: "color",
        before: "orange",
        after: "yellow",
      },
    ]);
  });

  it("compares roles as sets and shows them sorted", () => {
    const desired = editorial((w) => {
      state(w, "draft").roles = ["Editor", "Author", "Author"];
      state(w, "review").roles = ["Reviewer", "Editor"];
    });
    expect(lines(diffWorkflows([editorial()], [desired]).changes)).toEqual([
      'state_changed editorial.states.review.roles: ["Editor"] → ["Editor","Reviewer"]',
    ]);
  });

  it("reports optional fields that appear or go as null on the absent side", () => {
    const desired = editorial((w) => {
      w.description = { "en-GB": "For articles" };
      delete state(w, "draft").color;
      delete transition(w, "draft", "submit").group;
    });
    expect(lines(diffWorkflows([editorial()], [desired]).changes)).toEqual([
      'workflow_changed editorial.description: null → {"en-GB":"For articles"}',
      'state_changed editorial.states.draft.color: "gray" → null',
      'transition_changed editorial.states.draft.transitions.submit.group: "forward" → null',
    ]);
  });

  it("adds and removes states, transitions and groups as whole entities, sorted by path", () => {
    const desired = editorial((w) => {
      w.states.push({
        key: "legal",
        name: { "en-GB": "Legal" },
        kind: "step",
        editable: true,
        roles: [],
        extensions: {},
      });
      w.transitions.push({
        key: "to_legal",
        from: "review",
        to: "legal",
        name: { "en-GB": "Send to legal" },
        roles: [],
        parameters: [],
        validate: false,
        extensions: {},
      });
      w.transitions = w.transitions.filter((t) => t.key !== "comment");
      w.groups.push({ key: "back", name: { "en-GB": "Back" } });
    });
    const diff = diffWorkflows([editorial()], [desired]);
    expect(lines(diff.changes)).toEqual([
      "group_added editorial.groups.back",
      "state_added editorial.states.legal",
      "transition_removed editorial.states.review.transitions.comment",
      "transition_added editorial.states.review.transitions.to_legal",
    ]);
    const added = diff.changes.find((c) => c.kind === "state_added");
    expect(added).toMatchObject({ state: "legal", before: null, after: { key: "legal", kind: "step" } });
    const removed = diff.changes.find((c) => c.kind === "transition_removed");
    expect(removed).toMatchObject({ transition: { from: "review", key: "comment" }, after: null });
  });

  it("adds and removes whole workflows as one change each, carrying the workflow", () => {
    const other = Workflow.parse({ ...editorialInput, key: "news", $schema: "x" });
    const diff = diffWorkflows([editorial()], [other]);
    expect(lines(diff.changes)).toEqual(["workflow_removed editorial", "workflow_added news"]);
    const [removed, added] = diff.changes;
    expect(removed).toMatchObject({ workflow: "editorial", after: null });
    expect(added?.after).toMatchObject({ key: "news", states: expect.any(Array) });
    expect(added?.after).not.toHaveProperty("$schema");
    expect(sameWorkflow(added?.after as Workflow, other)).toBe(true);
  });

  it("treats a renamed key as a removal and an addition (keyed, never positional)", () => {
    const desired = editorial((w) => {
      state(w, "review").key = "check";
      for (const t of w.transitions) {
        if (t.from === "review") t.from = "check";
        if (t.to === "review") t.to = "check";
      }
    });
    const summary = summarizeDiff(diffWorkflows([editorial()], [desired]));
    expect(summary.states).toEqual({ added: 1, changed: 0, removed: 1 });
    expect(summary.transitions).toEqual({ added: 3, changed: 1, removed: 3 });
  });

  it("compares a vendor's extensions only where both sides carry them, unless told otherwise", () => {
    const current = editorial((w) => {
      state(w, "draft").extensions = { contensis: { uiEditorView: "default" } };
    });
    const desired = editorial((w) => {
      state(w, "draft").extensions = { kontent: { id: "abc" } };
      w.extensions = { kontent: { scopes: [] } };
    });
    expect(diffWorkflows([current], [desired]).changes).toEqual([]);
    expect(diffWorkflows([current], [desired], { extensions: "none" }).changes).toEqual([]);
    expect(lines(diffWorkflows([current], [desired], { extensions: "all" }).changes)).toEqual([
      'workflow_changed editorial.extensions.kontent: null → {"scopes":[]}',
      'state_changed editorial.states.draft.extensions.contensis: {"uiEditorView":"default"} → null',
      'state_changed editorial.states.draft.extensions.kontent: null → {"id":"abc"}',
    ]);
    const both = editorial((w) => {
      state(w, "draft").extensions = { contensis: { uiEditorView: "custom" }, kontent: { id: "abc" } };
    });
    const shared = diffWorkflows([current], [both]).changes;
    expect(shared).toMatchObject([
      {
        field: "extensions",
        vendor: "contensis",
        path: ["editorial", "states", "draft", "extensions", "contensis"],
      },
    ]);
  });

  it("is sorted by path whatever the order of the inputs", () => {
    const a = [editorial(), Workflow.parse({ ...editorialInput, key: "alpha" })];
    const b = [
      editorial((w) => {
        state(w, "review").color = "red";
        w.name = { "en-GB": "Editorial 2" };
      }),
      Workflow.parse({ ...editorialInput, key: "zulu" }),
    ];
    const paths = diffWorkflows(a, b).changes.map((c) => c.path.join("."));
    expect(paths).toEqual(["alpha", "editorial.name", "editorial.states.review.color", "zulu"]);
    expect(diffWorkflows([...a].reverse(), [...b].reverse())).toEqual(diffWorkflows(a, b));
  });

  it("refuses duplicate keys rather than guess which one is meant", () => {
    const twice = editorial((w) => {
      w.states.push({ ...state(w, "review") });
    });
    expect(() => diffWorkflows([editorial()], [twice])).toThrow(DiffInputError);
    expect(() => diffWorkflows([editorial(), editorial()], [])).toThrow(/editorial appears twice/);
    expect(() => diffWorkflow(editorial(), Workflow.parse({ ...editorialInput, key: "other" }))).toThrow(
      DiffInputError,
    );
  });

  it("diffWorkflow gives the changes of one pair", () => {
    const desired = editorial((w) => {
      transition(w, "review", "approve").validate = true;
    });
    expect(lines(diffWorkflow(editorial(), desired))).toEqual([
      "transition_changed editorial.states.review.transitions.approve.validate: false → true",
    ]);
  });
});

describe("summarizeDiff", () => {
  it("counts entities, not field changes", () => {
    const desired = editorial((w) => {
      state(w, "review").color = "red";
      state(w, "review").name = { "en-GB": "Check" };
      transition(w, "review", "reject").name = { "en-GB": "Send back" };
      w.transitions = w.transitions.filter((t) => t.key !== "comment");
    });
    const diff = diffWorkflows([editorial()], [desired, Workflow.parse({ ...editorialInput, key: "news" })]);
    expect(summarizeDiff(diff)).toEqual({
      workflows: { added: 1, changed: 1, removed: 0 },
      states: { added: 0, changed: 1, removed: 0 },
      transitions: { added: 0, changed: 1, removed: 1 },
      groups: { added: 0, changed: 0, removed: 0 },
    });
  });
});

describe("applyDiff", () => {
  it("turns current into desired and keeps the current order", () => {
    const desired = editorial((w) => {
      state(w, "review").color = "red";
      delete w.description;
      w.description = { "en-GB": "New" };
      w.states.push({
        key: "legal",
        name: { "en-GB": "Legal" },
        kind: "step",
        editable: true,
        roles: [],
        extensions: {},
      });
    });
    const [result] = applyDiff([editorial()], diffWorkflows([editorial()], [desired]));
    expect(sameWorkflow(result!, desired)).toBe(true);
    expect(result!.states.map((s) => s.key)).toEqual(["draft", "review", "published", "legal"]);
  });

  it("removes a field whose new value is null", () => {
    const desired = editorial((w) => {
      delete state(w, "draft").color;
    });
    const [result] = applyDiff([editorial()], diffWorkflows([editorial()], [desired]));
    expect(state(result!, "draft")).not.toHaveProperty("color");
  });

  it("does not change its inputs, and returns untouched workflows as they are", () => {
    const current = [editorial(), Workflow.parse({ ...editorialInput, key: "news" })];
    const desired = [editorial((w) => (state(w, "draft").color = "red")), current[1]!];
    const diff = diffWorkflows(current, desired);
    const frozen = structuredClone(current);
    const diffCopy = structuredClone(diff);
    const result = applyDiff(current, diff);
    expect(current).toEqual(frozen);
    expect(diff).toEqual(diffCopy);
    expect(result[1]).toBe(current[1]);
    // the result shares nothing mutable with the diff
    (state(result[0]!, "draft").roles as string[]).push("x");
    expect(diff).toEqual(diffCopy);
  });

  it("refuses a diff that does not fit (stale before values, missing or existing entities)", () => {
    const desired = editorial((w) => (state(w, "review").color = "red"));
    const diff = diffWorkflows([editorial()], [desired]);
    const drifted = editorial((w) => (state(w, "review").color = "blue"));
    expect(() => applyDiff([drifted], diff)).toThrow(DiffConflictError);
    expect(() => applyDiff([drifted], diff)).toThrow(
      /editorial\.states\.review\.color: expected "orange", found "blue"/,
    );
    expect(() => applyDiff([], diff)).toThrow(/does not exist/);
    const add = diffWorkflows([], [editorial()]);
    expect(() => applyDiff([editorial()], add)).toThrow(/already exists/);
    expect(() => applyDiff([], { formatVersion: 2 } as unknown as WorkflowDiff)).toThrow(/format version 2/);
    const removal = diffWorkflows(
      [editorial()],
      [editorial((w) => (w.transitions = w.transitions.slice(1)))],
    );
    const changedSince = editorial((w) => (w.transitions[0]!.validate = true));
    expect(() => applyDiff([changedSince], removal)).toThrow(/transition to remove has changed since/);
    expect(() => applyDiff([changedSince], diffWorkflows([editorial()], []))).toThrow(
      /workflow to remove has changed/,
    );
  });
});

// -------------------------------------------------------------------------------------------------
// Properties

const canonicallyEqual = (a: readonly Workflow[], b: readonly Workflow[]) =>
  fingerprint(a) === fingerprint(b);

describe("diff properties", () => {
  it("applyDiff(current, diff(current, desired)) equals desired, for arbitrary sets", () => {
    fc.assert(
      fc.property(workflowSetArb(), workflowSetArb(), (current, desired) => {
        const diff = diffWorkflows(current, desired, { extensions: "all" });
        expect(canonicallyEqual(applyDiff(current, diff), desired)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("applyDiff(current, diff(current, mutate(current))) equals the mutation, mostly by field changes", () => {
    let fieldLevel = 0;
    let total = 0;
    fc.assert(
      fc.property(
        workflowSetArb({ minLength: 1, maxLength: 3 }).chain((set) =>
          fc.tuple(fc.constant(set), mutateWorkflowSet(set)),
        ),
        ([current, desired]) => {
          const diff = diffWorkflows(current, desired, { extensions: "all" });
          expect(canonicallyEqual(applyDiff(current, diff), desired)).toBe(true);
          for (const change of diff.changes) {
            total++;
            if (change.kind.endsWith("_changed")) fieldLevel++;
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(fieldLevel / total).toBeGreaterThan(0.5);
  });

  it("finds nothing between a set and itself, nor a reordered copy of it", () => {
    fc.assert(
      fc.property(
        workflowSetArb().chain((set) => fc.tuple(fc.constant(set), shuffledArb(set))),
        ([set, shuffled]) => {
          expect(diffWorkflows(set, set, { extensions: "all" }).changes).toEqual([]);
          expect(diffWorkflows(set, shuffled, { extensions: "all" }).changes).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("does not depend on the order of arrays and object keys", () => {
    fc.assert(
      fc.property(
        workflowSetArb({ minLength: 1, maxLength: 3 })
          .chain((set) => fc.tuple(fc.constant(set), mutateWorkflowSet(set)))
          .chain(([a, b]) => fc.tuple(fc.constant(a), fc.constant(b), shuffledArb(a), shuffledArb(b))),
        ([a, b, shuffledA, shuffledB]) => {
          const expected = diffWorkflows(a, b, { extensions: "all" });
          expect(diffWorkflows(shuffledA, shuffledB, { extensions: "all" })).toEqual(expected);
          expect(canonicallyEqual(applyDiff(shuffledA, expected), b)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
