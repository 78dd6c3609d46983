import { checkPortability, checkWorkflow, type Issue, validateWorkflow, Workflow } from "@workflow-sync/core";
import {
  coreSources,
  editedWorkflow,
  kontentExampleWorkflow,
  simpleWorkflowInput,
  transitionInput,
  workflowFixtures,
} from "@workflow-sync/test-utils";
import { describe, expect, it } from "vitest";
import { kontentProfile } from "./index.ts";
import { CODENAME_PATTERN, KONTENT_COLORS, KONTENT_LIMITS } from "./rules.ts";

const portability = (edit: Parameters<typeof editedWorkflow>[0]) =>
  checkPortability(editedWorkflow(edit), kontentProfile);
const paths = (issues: readonly Issue[]) => issues.map((issue) => issue.path);

describe("kontentProfile", () => {
  it("is the adapter's own rules: the palette and limits the mapping and the wire schema use", () => {
    expect(kontentProfile.vendor).toBe("kontent");
    expect(kontentProfile.displayName).toBe("Kontent.ai");
    expect(kontentProfile.palettes).toEqual({ step: KONTENT_COLORS });
    expect(kontentProfile.palettes.step).toBe(KONTENT_COLORS);
    expect(
      Object.fromEntries(Object.entries(kontentProfile.limits).map(([name, limit]) => [name, limit.max])),
    ).toEqual(KONTENT_LIMITS);
    for (const limit of Object.values(kontentProfile.limits)) {
      expect(limit.min).toBe(1);
      expect(limit.source).toMatch(/^https:\/\/kontent\.ai\/learn\//);
    }
    expect(CODENAME_PATTERN.test("my_workflow")).toBe(true);
  });

  it("is not repeated in core: no step colour among core's strings", () => {
    const sources = coreSources();
    expect(sources.length).toBeGreaterThan(5);
    const palette = new Set<string>(KONTENT_COLORS);
    const found = sources.flatMap((source) =>
      source.scanned.strings
        .filter((literal) => palette.has(literal.value))
        .map((literal) => `${source.path}:${literal.line}: "${literal.value}"`),
    );
    expect(found).toEqual([]);
  });

  it("runs through core's checkWorkflow and validateWorkflow", () => {
    const workflow = editedWorkflow((w) => {
      w.key = "Simple";
    });
    const issues = checkWorkflow(workflow, { profiles: [kontentProfile] });
    expect(issues).toEqual(checkPortability(workflow, kontentProfile));
    expect(paths(issues)).toEqual([["key"]]);
    expect(
      validateWorkflow({ ...simpleWorkflowInput(), key: "Simple" }, { profiles: [kontentProfile] }),
    ).toMatchObject({
      ok: true,
      issues,
    });
  });

  it.each(Object.entries(workflowFixtures))(
    "finds in the fixture %s only warnings, tagged kontent",
    (_name, fixture) => {
      const issues = checkPortability(Workflow.parse(fixture), kontentProfile);
      for (const issue of issues) {
        expect(issue).toMatchObject({ code: "not_portable", severity: "warning", vendor: "kontent" });
      }
    },
  );
});

describe("kontentProfile.checkPortability", () => {
  it("finds nothing in the Kontent.ai example (implicit transitions may carry roles)", () => {
    expect(checkPortability(Workflow.parse(kontentExampleWorkflow), kontentProfile)).toEqual([]);
  });

  it("finds nothing in a base workflow with Kontent.ai colours", () => {
    expect(checkPortability(Workflow.parse(simpleWorkflowInput()), kontentProfile)).toEqual([]);
  });

  it("tags every issue as a warning for kontent", () => {
    const issues = portability((w) => {
      w.key = "Simple";
    });
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues)
      expect(issue).toMatchObject({ code: "not_portable", severity: "warning", vendor: "kontent" });
  });

  it("limits the workflow name to 1–200 characters", () => {
    const long = "x".repeat(201);
    const issues = portability((w) => {
      w.name = { "en-GB": long };
    });
    expect(issues).toEqual([
      expect.objectContaining({
        path: ["name", "en-GB"],
        message: `Kontent.ai: a workflow name is 1–200 characters; "${long}" has 201`,
      }),
    ]);
    expect(
      paths(
        portability((w) => {
          w.name = { "en-GB": "" };
        }),
      ),
    ).toEqual([["name", "en-GB"]]);
  });

  it("limits the workflow codename to 60 characters of lowercase letters, digits and _", () => {
    const long = portability((w) => {
      w.key = "a".repeat(61);
    });
    expect(long).toEqual([expect.objectContaining({ path: ["key"] })]);
    expect(long[0]!.message).toContain("a workflow codename is 1–60 characters");
    const upper = portability((w) => {
      w.key = "MyWorkflow";
    });
    expect(upper).toEqual([expect.objectContaining({ path: ["key"] })]);
    expect(upper[0]!.message).toContain("lowercase letters, digits and _");
    expect(
      portability((w) => {
        w.key = "_my_workflow_2";
      }),
    ).toEqual([]);
  });

  it("limits step names to 1–30 characters (steps only, not the published step)", () => {
    const issues = portability((w) => {
      (w.states[1] as { name: object }).name = { "en-GB": "A review step with a very long name" };
      (w.states[2] as { name: object }).name = { "en-GB": "Published for everyone to read now" };
    });
    expect(issues).toEqual([expect.objectContaining({ path: ["states", 1, "name", "en-GB"] })]);
    expect(issues[0]!.message).toContain('a step name (state "review") is 1–30 characters');
  });

  it("limits step codenames to 40 characters of lowercase letters, digits and _", () => {
    const longKey = `review_${"x".repeat(34)}`;
    const issues = portability((w) => {
      (w.states[1] as { key: string }).key = longKey;
      w.transitions[0]!.to = longKey;
      w.transitions[1]!.from = longKey;
    });
    expect(issues).toEqual([expect.objectContaining({ path: ["states", 1, "key"] })]);
    expect(issues[0]!.message).toContain("a step codename is 1–40 characters");
    const camel = portability((w) => {
      (w.states[1] as { key: string }).key = "inReview";
      w.transitions[0]!.to = "inReview";
      w.transitions[1]!.from = "inReview";
    });
    expect(camel).toEqual([expect.objectContaining({ path: ["states", 1, "key"] })]);
    expect(camel[0]!.message).toContain('"inReview" does not');
  });

  it("needs step colours from the 16-colour palette", () => {
    const issues = portability((w) => {
      (w.states[0] as { color?: string }).color = "cobalt";
      delete (w.states[1] as { color?: string }).color;
    });
    expect(paths(issues)).toEqual([
      ["states", 0, "color"],
      ["states", 1],
    ]);
    expect(issues[0]!.message).toContain("a step colour is one of gray, red, rose");
    expect(issues[0]!.message).toContain('state "draft" has "cobalt"');
    expect(issues[1]!.message).toContain("every step has a colour");
    expect(
      portability((w) => {
        (w.states[0] as { color?: string }).color = "persian-green";
      }),
    ).toEqual([]);
  });

  it("keeps one locale: names in several locales are warned about", () => {
    const issues = portability((w) => {
      w.name = { "en-GB": "Simple", "de-DE": "Einfach" };
      w.transitions[0]!.name = { "en-GB": "Submit", fr: "Soumettre" };
    });
    expect(paths(issues)).toEqual([["name"], ["transitions", 0, "name"]]);
    expect(issues[0]!.message).toContain("names are plain strings in one locale; name has 2 (en-GB, de-DE)");
  });

  it("holds no roles on ordinary transitions", () => {
    const issues = portability((w) => {
      w.transitions[1]!.roles = ["Publisher"];
    });
    expect(issues).toEqual([expect.objectContaining({ path: ["transitions", 1, "roles"] })]);
    expect(issues[0]!.message).toContain('transition "approve" from "review" has roles "Publisher"');
  });

  it("holds roles on the implicit transitions (unpublish, create new version, restore)", () => {
    const issues = portability((w) => {
      w.transitions[2]!.roles = ["Publisher"];
      w.transitions[3]!.roles = ["Editor"];
      w.transitions.push(transitionInput("new_version", "published", "draft", { roles: ["Editor"] }));
    });
    expect(issues).toEqual([]);
  });

  it("holds no parameters, guards or groups on transitions", () => {
    const issues = portability((w) => {
      w.transitions[1]!.parameters = [{ key: "note", name: { "en-GB": "Note" } }];
      w.transitions[1]!.guard = { all: [{ field: "urgent", equals: true }] };
      w.transitions[1]!.group = "decision";
    });
    expect(paths(issues)).toEqual([
      ["transitions", 1, "parameters"],
      ["transitions", 1, "guard"],
      ["transitions", 1, "group"],
    ]);
  });

  it("holds no stay transitions and no transitions into scheduled", () => {
    const issues = portability((w) => {
      w.states.push({ key: "scheduled", name: { "en-GB": "Scheduled" }, kind: "scheduled" });
      w.transitions.push(
        transitionInput("save", "draft", null),
        transitionInput("schedule", "review", "scheduled"),
      );
    });
    expect(paths(issues)).toEqual([
      ["transitions", 4, "to"],
      ["transitions", 5, "to"],
    ]);
    expect(issues[0]!.message).toContain('transition "save" from "draft" stays (to: null)');
    expect(issues[1]!.message).toContain("nothing transitions into the scheduled step");
  });

  it("holds only the implicit transitions out of published and archived, once each", () => {
    const issues = portability((w) => {
      w.transitions.push(transitionInput("rework", "published", "review"));
      w.transitions.push(transitionInput("unpublish_again", "published", "archived"));
      w.transitions.push(transitionInput("revive", "archived", "review"));
    });
    expect(paths(issues)).toEqual([
      ["transitions", 4],
      ["transitions", 5],
      ["transitions", 6],
    ]);
    expect(issues[0]!.message).toContain('transition "rework" from "published" to "review" is none of them');
    expect(issues[1]!.message).toContain('one implicit "unpublish" transition');
    expect(issues[2]!.message).toContain(
      "from the archived step content moves only by the implicit transitions",
    );
  });

  it("has always-editable steps, one published/archived/scheduled step each, and no roles on them", () => {
    const issues = portability((w) => {
      (w.states[1] as { editable?: boolean }).editable = false;
      (w.states[3] as { roles?: string[] }).roles = ["Editor"];
      w.states.push({ key: "archived_too", name: { "en-GB": "Archived too" }, kind: "archived" });
      w.transitions.push(
        transitionInput("bin", "review", "archived_too"),
        transitionInput("restore_too", "archived_too", "draft"),
      );
    });
    expect(paths(issues)).toEqual([
      ["states", 1, "editable"],
      ["states", 3, "roles"],
      ["states", 4, "kind"],
      ["transitions", 5],
    ]);
    expect(issues[2]!.message).toContain("a workflow has exactly one archived step");
  });
});
