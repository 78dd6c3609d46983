import { checkPortability, checkWorkflow, type Issue, validateWorkflow, Workflow } from "@workflow-sync/core";
import {
  contensisApprovalWorkflow,
  coreSources,
  customEntryApprovalWorkflow,
  editedWorkflow,
  simpleWorkflowInput,
  workflowFixtures,
} from "@workflow-sync/test-utils";
import { describe, expect, it } from "vitest";
import { contensisProfile } from "./index.ts";
import {
  BUTTON_COLORS,
  EVENT_ID_RULE,
  GROUP_ID_RULE,
  PARAMETER_ID_RULE,
  STATE_COLORS,
  STATE_ID_RULE,
  WORKFLOW_ID_RULE,
} from "./rules.ts";

const portability = (edit: Parameters<typeof editedWorkflow>[0]) =>
  checkPortability(editedWorkflow(edit), contensisProfile);
const paths = (issues: readonly Issue[]) => issues.map((issue) => issue.path);

describe("contensisProfile", () => {
  it("is the adapter's own rules: the palettes and id rules the mapping uses", () => {
    expect(contensisProfile.vendor).toBe("contensis");
    expect(contensisProfile.displayName).toBe("Contensis");
    expect(contensisProfile.palettes.state).toBe(STATE_COLORS);
    expect(contensisProfile.palettes.eventButton).toBe(BUTTON_COLORS);
    expect(
      Object.fromEntries(Object.entries(contensisProfile.limits).map(([name, limit]) => [name, limit.max])),
    ).toEqual({
      workflowId: WORKFLOW_ID_RULE.max,
      stateId: STATE_ID_RULE.max,
      eventId: EVENT_ID_RULE.max,
      parameterId: PARAMETER_ID_RULE.max,
      eventGroupId: GROUP_ID_RULE.max,
    });
    for (const limit of Object.values(contensisProfile.limits)) {
      expect(limit.source).toMatch(/^https:\/\/github\.com\/contensis\/docs-management-http\//);
    }
  });

  it("is not repeated in core: no state or button colour among core's strings", () => {
    const sources = coreSources();
    expect(sources.length).toBeGreaterThan(5);
    const palette = new Set<string>([...STATE_COLORS, ...BUTTON_COLORS, "cyan"]);
    const found = sources.flatMap((source) =>
      source.scanned.strings
        .filter((literal) => palette.has(literal.value))
        .map((literal) => `${source.path}:${literal.line}: "${literal.value}"`),
    );
    expect(found).toEqual([]);
  });

  it("runs through core's checkWorkflow and validateWorkflow", () => {
    const workflow = Workflow.parse(simpleWorkflowInput());
    const issues = checkWorkflow(workflow, { profiles: [contensisProfile] });
    expect(issues).toEqual(checkPortability(workflow, contensisProfile));
    expect(paths(issues)).toEqual([["states", 3, "kind"]]);
    expect(validateWorkflow(simpleWorkflowInput(), { profiles: [contensisProfile] })).toMatchObject({
      ok: true,
      issues,
    });
  });

  it.each(Object.entries(workflowFixtures))(
    "finds in the fixture %s only warnings, tagged contensis",
    (_name, fixture) => {
      const issues = checkPortability(Workflow.parse(fixture), contensisProfile);
      for (const issue of issues) {
        expect(issue).toMatchObject({ code: "not_portable", severity: "warning", vendor: "contensis" });
      }
    },
  );
});

/** Contensis checks on `simpleWorkflowInput()` without its archived state (Contensis has none), changed by `edit`. */
const contensis = (edit: Parameters<typeof editedWorkflow>[0]) =>
  portability((w) => {
    w.states = w.states.filter((state) => (state as { kind: string }).kind !== "archived");
    w.transitions = w.transitions.filter(
      (transition) => transition.to !== "archived" && transition.from !== "archived",
    );
    edit(w);
  });

describe("contensisProfile.checkPortability", () => {
  it("finds nothing in a base workflow without an archived state", () => {
    expect(contensis(() => {})).toEqual([]);
  });

  it("finds nothing in the CustomEntryApproval example", () => {
    expect(checkPortability(Workflow.parse(customEntryApprovalWorkflow), contensisProfile)).toEqual([]);
  });

  it("warns about the DMH example's colours outside today's palettes (cyan, blue)", () => {
    const issues = checkPortability(Workflow.parse(contensisApprovalWorkflow), contensisProfile);
    expect(issues[0]).toMatchObject({
      path: ["states", 0, "color"],
      vendor: "contensis",
      severity: "warning",
    });
    expect(
      issues.slice(1).every((issue) => issue.path.join(".").endsWith("extensions.contensis.color")),
    ).toBe(true);
    expect(issues).toHaveLength(1 + 10);
  });

  it("limits the workflow id to 25 alphanumeric characters starting with a letter", () => {
    const long = contensis((w) => {
      w.key = "a".repeat(26);
    });
    expect(long).toEqual([expect.objectContaining({ path: ["key"], vendor: "contensis" })]);
    expect(long[0]!.message).toBe(
      `Contensis: a workflow id is at most 25 characters; "${"a".repeat(26)}" has 26`,
    );
    const underscore = contensis((w) => {
      w.key = "my_workflow";
    });
    expect(underscore).toEqual([expect.objectContaining({ path: ["key"] })]);
    expect(underscore[0]!.message).toContain("alphanumeric and starts with a letter");
    expect(
      contensis((w) => {
        w.key = "_x";
      }),
    ).toHaveLength(1);
    expect(
      contensis((w) => {
        w.key = "CustomEntryApproval2";
      }),
    ).toEqual([]);
  });

  it("limits state and event ids to 30 characters", () => {
    const id = "s".repeat(31);
    const issues = contensis((w) => {
      (w.states[1] as { key: string }).key = id;
      w.transitions[0]!.to = id;
      w.transitions[1]!.from = id;
      w.transitions[0]!.key = "e".repeat(31);
    });
    expect(paths(issues)).toEqual([
      ["states", 1, "key"],
      ["transitions", 0, "key"],
    ]);
    expect(issues[0]!.message).toContain("a state id is at most 30 characters");
    expect(issues[1]!.message).toContain("an event id is at most 30 characters");
  });

  it("limits parameter and group ids to 50 characters", () => {
    const id = "p".repeat(51);
    const issues = contensis((w) => {
      w.transitions[1]!.parameters = [{ key: id, name: { "en-GB": "P" } }];
      w.groups = [{ key: "g".repeat(51), name: { "en-GB": "G" } }];
    });
    expect(paths(issues)).toEqual([
      ["transitions", 1, "parameters", 0, "key"],
      ["groups", 0, "key"],
    ]);
    expect(issues[0]!.message).toContain("a parameter id is at most 50 characters");
    expect(issues[1]!.message).toContain("an event group id is at most 50 characters");
  });

  it("needs state colours from the state palette and event colours from the button palette", () => {
    const issues = contensis((w) => {
      (w.states[1] as { color?: string }).color = "sky-blue";
      w.transitions[0]!.extensions = { contensis: { color: "blue" } };
      w.transitions[1]!.extensions = { contensis: { color: "white" } };
    });
    expect(paths(issues)).toEqual([
      ["states", 1, "color"],
      ["transitions", 0, "extensions", "contensis", "color"],
    ]);
    expect(issues[0]!.message).toContain("a state colour is one of red, green, orange, blue");
    expect(issues[1]!.message).toContain(
      'an event button colour is one of red, green, white; event "submit" of state "draft" has "blue"',
    );
  });

  it("keeps permissions on roles, not states, and has no archived state", () => {
    const issues = portability((w) => {
      (w.states[1] as { roles?: string[] }).roles = ["Editor"];
    });
    expect(paths(issues)).toEqual([
      ["states", 1, "roles"],
      ["states", 3, "kind"],
    ]);
    expect(issues[1]!.message).toContain("there is no archived state");
  });
});
