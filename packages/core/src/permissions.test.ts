import { describe, expect, it } from "vitest";
import { Workflow } from "./model.ts";
import {
  ANY_ROLE,
  effectiveRoles,
  isSubRelation,
  NO_ROLE,
  permissionRelation,
  widenedMoves,
} from "./permissions.ts";

const workflow = (states: Array<[string, string[]]>, transitions: Array<[string, string | null, string[]]>) =>
  Workflow.parse({
    key: "w",
    name: { en: "W" },
    initial: states[0]![0],
    states: states.map(([key, roles], index) => ({
      key,
      name: { en: key },
      kind:
        index === 0
          ? "initial"
          : key === "published"
            ? "published"
            : key === "archived"
              ? "archived"
              : "step",
      roles,
    })),
    transitions: transitions.map(([from, to, roles]) => ({
      key: to ?? "stay",
      from,
      to,
      name: { en: "t" },
      roles,
    })),
  });

describe("permission relation", () => {
  it("applies the engine rule: the state's and the transition's roles both restrict, empty is anyone", () => {
    expect(effectiveRoles([], [])).toBeUndefined();
    expect(effectiveRoles(["A", "B"], [])).toEqual(["A", "B"]);
    expect(effectiveRoles([], ["B"])).toEqual(["B"]);
    expect(effectiveRoles(["A"], ["B"])).toEqual([]);
    expect(effectiveRoles([], [NO_ROLE])).toEqual([]);
    const w = workflow(
      [
        ["draft", ["A", "B"]],
        ["review", []],
        ["published", []],
      ],
      [
        ["draft", "review", ["B", "C"]],
        ["review", "published", []],
        ["review", null, [NO_ROLE]],
      ],
    );
    expect(permissionRelation(w)).toEqual([
      { role: ANY_ROLE, from: "review", to: "published" },
      { role: "B", from: "draft", to: "review" },
    ]);
  });

  it("a target that names a role where the source allows anyone is narrower; anyone where the source names roles is wider", () => {
    const source = workflow(
      [
        ["draft", []],
        ["published", []],
      ],
      [["draft", "published", []]],
    );
    const named = workflow(
      [
        ["draft", ["A"]],
        ["published", []],
      ],
      [["draft", "published", []]],
    );
    expect(isSubRelation(source, named)).toBe(true);
    expect(widenedMoves(named, source)).toEqual([{ role: ANY_ROLE, from: "draft", to: "published" }]);
  });

  it("a move through a state the target does not hold is allowed when the same role may take both steps", () => {
    const source = workflow(
      [
        ["draft", []],
        ["hold", ["A", "B"]],
        ["published", []],
        ["archived", []],
      ],
      [
        ["draft", "hold", []],
        ["draft", "published", []],
        ["hold", "archived", []],
        ["archived", "draft", ["B"]],
      ],
    );
    const collapsed = (roles: string[]) =>
      workflow(
        [
          ["draft", []],
          ["hold", []],
          ["published", []],
        ],
        [
          ["draft", "hold", []],
          ["draft", "published", []],
          ["hold", "draft", roles],
        ],
      );
    expect(widenedMoves(source, collapsed(["B"]), { through: ["archived"] })).toEqual([]);
    expect(widenedMoves(source, collapsed(["A"]), { through: ["archived"] })).toEqual([
      { role: "A", from: "hold", to: "draft" },
    ]);
    expect(widenedMoves(source, collapsed(["B"]))).toEqual([{ role: "B", from: "hold", to: "draft" }]);
  });
});
