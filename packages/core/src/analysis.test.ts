import {
  contensisApprovalWorkflow,
  customEntryApprovalWorkflow,
  editorialWorkflow,
  kontentExampleWorkflow,
  workflowFixtures,
} from "@workflow-sync/test-utils";
import { describe, expect, it } from "vitest";
import { canReach, deadEnds, findBypass, findPath, reachableStates } from "./analysis.ts";
import { UnknownStateError } from "./engine.ts";
import { type StateInput, type TransitionInput, Workflow } from "./model.ts";

const editorial = Workflow.parse(editorialWorkflow);
/** The editorial workflow without its fast track: legal review cannot be skipped. */
const strictEditorial = Workflow.parse({
  ...editorialWorkflow,
  transitions: editorialWorkflow.transitions?.filter((transition) => transition.key !== "fast_track"),
});

const everyone = ["Author", "Editor", "Legal", "Managing editor"];

const state = (key: string, kind: StateInput["kind"] = "step"): StateInput => ({
  key,
  name: { en: key },
  kind,
});
const move = (key: string, from: string, to: string | null, roles: string[] = []): TransitionInput => ({
  key,
  from,
  to,
  name: { en: key },
  roles,
});

describe("findPath", () => {
  it("finds the shortest path (here: the fast track, guards are not judged)", () => {
    expect(findPath(editorial, "draft", "published")).toEqual(["draft", "editorial_review", "published"]);
  });

  it("uses only transitions the given roles may fire", () => {
    // without a managing editor nobody can publish: ready → published needs one
    expect(
      findPath(editorial, "draft", "published", { roles: ["Author", "Editor", "Legal"] }),
    ).toBeUndefined();
    expect(findPath(editorial, "draft", "ready", { roles: ["Author", "Editor", "Legal"] })).toEqual([
      "draft",
      "editorial_review",
      "legal_review",
      "ready",
    ]);
    // an author alone gets content into review and no further
    expect(findPath(editorial, "draft", "legal_review", { roles: ["Author"] })).toBeUndefined();
    // the whole newsroom takes the shortest way
    expect(findPath(strictEditorial, "draft", "published", { roles: everyone })).toEqual([
      "draft",
      "editorial_review",
      "legal_review",
      "ready",
      "published",
    ]);
  });

  it("returns [from] when from and to are the same state", () => {
    expect(findPath(editorial, "ready", "ready")).toEqual(["ready"]);
  });

  it("throws UnknownStateError for an unknown from or to", () => {
    expect(() => findPath(editorial, "drafts", "published")).toThrow(UnknownStateError);
    expect(() => findPath(editorial, "draft", "live")).toThrow('workflow "editorial" has no state "live"');
  });

  it("explores transitions in key order, whatever their order in the document", () => {
    const workflow = Workflow.parse({
      key: "order",
      name: { en: "Order" },
      initial: "start",
      states: [state("start", "initial"), state("via_b"), state("via_a"), state("done", "published")],
      transitions: [
        move("b", "start", "via_b"),
        move("a", "start", "via_a"),
        move("finish", "via_b", "done"),
        move("finish", "via_a", "done"),
      ],
    });
    expect(findPath(workflow, "start", "done")).toEqual(["start", "via_a", "done"]);
    expect(findBypass(workflow, "via_a")?.path).toEqual(["start", "via_b", "done"]);
  });

  it("ignores stay transitions and transitions to unknown states", () => {
    const workflow = Workflow.parse({
      key: "odd",
      name: { en: "Odd" },
      initial: "start",
      states: [state("start", "initial"), state("done", "published")],
      transitions: [move("save", "start", null), move("lost", "start", "nowhere")],
    });
    expect(findPath(workflow, "start", "done")).toBeUndefined();
    expect(reachableStates(workflow)).toEqual(new Set(["start"]));
  });
});

describe("canReach", () => {
  it("answers findPath's question as a boolean", () => {
    expect(canReach(editorial, "archived", "published")).toBe(true);
    expect(canReach(editorial, "draft", "published", { roles: ["Author"] })).toBe(false);
    expect(canReach(editorial, "draft", "scheduled")).toBe(false);
  });
});

describe("reachableStates", () => {
  it("from initial by default, every transition counts", () => {
    expect(reachableStates(editorial)).toEqual(
      new Set(["draft", "editorial_review", "legal_review", "ready", "published", "archived"]),
    );
  });

  it("restricted by roles and from another start", () => {
    expect(reachableStates(editorial, { roles: ["Author"] })).toEqual(new Set(["draft", "editorial_review"]));
    expect(reachableStates(editorial, { from: "published", roles: ["Author"] })).toEqual(
      new Set(["published", "draft", "editorial_review"]),
    );
    expect(reachableStates(editorial, { roles: [] })).toEqual(new Set(["draft"]));
  });

  it("throws for an unknown start", () => {
    expect(() => reachableStates(editorial, { from: "nowhere" })).toThrow(UnknownStateError);
  });
});

describe("deadEnds", () => {
  it.each(Object.entries(workflowFixtures))("finds none in the fixture %s", (_name, fixture) => {
    expect(deadEnds(Workflow.parse(fixture))).toEqual([]);
  });

  it("finds a step with no way out and a loop that never publishes, not published/archived/scheduled", () => {
    const workflow = Workflow.parse({
      key: "stuck",
      name: { en: "Stuck" },
      initial: "draft",
      states: [
        state("draft", "initial"),
        state("limbo"),
        state("loop_a"),
        state("loop_b"),
        state("live", "published"),
        state("scheduled", "scheduled"),
        state("gone", "archived"),
      ],
      transitions: [
        move("publish", "draft", "live"),
        move("park", "draft", "limbo"),
        move("spin", "draft", "loop_a"),
        move("next", "loop_a", "loop_b"),
        move("back", "loop_b", "loop_a"),
        move("stay", "limbo", null),
        move("archive", "live", "gone"),
      ],
    });
    expect(deadEnds(workflow)).toEqual(["limbo", "loop_a", "loop_b"]);
  });

  it("makes every non-terminal state a dead end when nothing is published", () => {
    const workflow = Workflow.parse({
      key: "nothing",
      name: { en: "Nothing" },
      initial: "draft",
      states: [state("draft", "initial"), state("review"), state("gone", "archived")],
      transitions: [move("submit", "draft", "review"), move("bin", "review", "gone")],
    });
    expect(deadEnds(workflow)).toEqual(["draft", "review"]);
  });
});

describe("findBypass (separation of duties)", () => {
  it("finds the fast track around legal review, with the witness path", () => {
    expect(findBypass(editorial, "legal_review")).toEqual({
      path: ["draft", "editorial_review", "published"],
      transitions: [
        { from: "draft", key: "submit" },
        { from: "editorial_review", key: "fast_track" },
      ],
    });
  });

  it("finds no bypass when every way to publish goes through legal review", () => {
    expect(findBypass(strictEditorial, "legal_review")).toBeUndefined();
    expect(findBypass(strictEditorial, "legal_review", { roles: everyone })).toBeUndefined();
  });

  it("finds no bypass for roles that may not take the fast track", () => {
    expect(findBypass(editorial, "legal_review", { roles: ["Author", "Editor", "Legal"] })).toBeUndefined();
  });

  it("finds the bypass for a managing editor once content is in editorial review, not from the draft", () => {
    expect(findBypass(editorial, "legal_review", { roles: ["Managing editor"] })).toBeUndefined();
    expect(
      findBypass(editorial, "legal_review", { from: "editorial_review", roles: ["Managing editor"] }),
    ).toEqual({
      path: ["editorial_review", "published"],
      transitions: [{ from: "editorial_review", key: "fast_track" }],
    });
  });

  it("cannot bypass the approval step of the Contensis approval workflows", () => {
    expect(findBypass(Workflow.parse(contensisApprovalWorkflow), "awaitingApproval")).toBeUndefined();
    expect(findBypass(Workflow.parse(customEntryApprovalWorkflow), "awaitingApproval")).toBeUndefined();
    // avoiding "declined" is easy: the witness shows the ordinary way
    expect(findBypass(Workflow.parse(contensisApprovalWorkflow), "declined")).toEqual({
      path: ["draft", "awaitingApproval", "versionComplete"],
      transitions: [
        { from: "draft", key: "submit" },
        { from: "awaitingApproval", key: "approve" },
      ],
    });
  });

  it("has no bypass when the start is the avoided state, and an empty one when the start is published", () => {
    const kontent = Workflow.parse(kontentExampleWorkflow);
    expect(findBypass(kontent, "draft")).toBeUndefined();
    expect(findBypass(kontent, "draft", { from: "published" })).toEqual({
      path: ["published"],
      transitions: [],
    });
  });

  it("throws for an unknown avoided state or start", () => {
    expect(() => findBypass(editorial, "legal")).toThrow(UnknownStateError);
    expect(() => findBypass(editorial, "legal_review", { from: "nowhere" })).toThrow(UnknownStateError);
  });
});
