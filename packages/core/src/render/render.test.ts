import { describe, expect, it } from "vitest";
import { diffWorkflows, type WorkflowDiff } from "../diff/index.ts";
import { Workflow, type WorkflowInput } from "../model.ts";
import { renderDiffJson } from "./json.ts";
import { escapeMarkdown, markdownCode, renderDiffMarkdown } from "./markdown.ts";
import { escapeMermaid, renderDiffMermaid, renderMermaid } from "./mermaid.ts";
import { renderDiffText } from "./text.ts";

const input: WorkflowInput = {
  key: "editorial",
  name: { "en-GB": "Editorial", "de-DE": "Redaktion" },
  initial: "draft",
  states: [
    { key: "draft", name: { "en-GB": "Draft", "de-DE": "Entwurf" }, kind: "initial", color: "gray" },
    { key: "review", name: { "en-GB": "Review", "de-DE": "Prüfung" }, kind: "step", color: "orange" },
    { key: "published", name: { "en-GB": "Published" }, kind: "published", editable: false },
    { key: "archived", name: { "en-GB": "Archived" }, kind: "archived" },
  ],
  transitions: [
    { key: "submit", from: "draft", to: "review", name: { "en-GB": "Submit", "de-DE": "Einreichen" } },
    { key: "approve", from: "review", to: "published", name: { "en-GB": "Approve" } },
    { key: "comment", from: "review", to: null, name: { "en-GB": "Comment" } },
    { key: "unpublish", from: "published", to: "archived", name: { "en-GB": "Unpublish" } },
  ],
};
const current = Workflow.parse(input);
const desired = (() => {
  const w = Workflow.parse(structuredClone(input));
  const review = w.states.find((s) => s.key === "review")!;
  review.color = "yellow";
  review.name = { "en-GB": 'Review | "legal" `x` @team', "de-DE": "Prüfung" };
  w.states.push({
    key: "legal",
    name: { "en-GB": "Legal" },
    kind: "step",
    editable: true,
    roles: [],
    extensions: {},
  });
  w.transitions.find((t) => t.key === "submit")!.to = "legal";
  w.transitions = w.transitions.filter((t) => t.key !== "comment");
  w.transitions.push({
    key: "clear",
    from: "legal",
    to: "review",
    name: { "en-GB": "Cleared" },
    roles: ["Legal"],
    parameters: [],
    validate: false,
    extensions: {},
  });
  return w;
})();
const news = Workflow.parse({ ...input, key: "news", name: { "en-GB": "News" } });
const old = Workflow.parse({ ...input, key: "old", name: { "en-GB": "Old" } });
const diff = diffWorkflows([current, old], [desired, news]);
const empty: WorkflowDiff = { formatVersion: 1, changes: [] };

describe("renderDiffText", () => {
  const text = renderDiffText(diff);
  const lines = text.split("\n");

  it("shows one block per workflow with + ~ - and before → after", () => {
    expect(lines).toContain("~ workflow editorial");
    expect(lines).toContain("    ~ state review");
    expect(lines).toContain('        ~ color: "orange" → "yellow"');
    expect(lines).toContain('    + state legal: "Legal" (step)');
    expect(lines).toContain('    + transition legal.clear: "Cleared" → review');
    expect(lines).toContain("    ~ transition draft.submit");
    expect(lines).toContain('        ~ to: "review" → "legal"');
    expect(lines).toContain('    - transition review.comment: "Comment" → (stays)');
    expect(lines).toContain('+ workflow news "News" (4 states, 4 transitions)');
    expect(lines).toContain('- workflow old "Old" (4 states, 4 transitions)');
  });

  it("shows a text in several locales in full, and escapes quotes and control characters", () => {
    expect(text).toContain(
      '        ~ name: {"de-DE":"Prüfung","en-GB":"Review"} → {"de-DE":"Prüfung","en-GB":"Review | \\"legal\\" `x` @team"}',
    );
    const sneaky = Workflow.parse({ ...input, name: { "en-GB": "evil\u001b[2Jname" } });
    const out = renderDiffText(diffWorkflows([current], [sneaky]));
    expect(out).not.toContain("\u001b");
    expect(out).toContain(
      '~ name: {"de-DE":"Redaktion","en-GB":"Editorial"} → {"en-GB":"evil\\u001b[2Jname"}',
    );
  });

  it("ends with the counts", () => {
    expect(lines.at(-2)).toBe(
      "Changes: workflows: 1 to add, 1 to change, 1 to remove; states: 1 to add, 1 to change, 0 to remove; " +
        "transitions: 1 to add, 1 to change, 1 to remove.",
    );
  });

  it("colours only when asked", () => {
    expect(text).not.toContain("\u001b[");
    const coloured = renderDiffText(diff, { color: true });
    expect(coloured).toContain('\u001b[32m+ workflow news "News" (4 states, 4 transitions)\u001b[0m');
    expect(coloured).toContain('\u001b[31m- workflow old "Old" (4 states, 4 transitions)\u001b[0m');
    expect(coloured).toContain("    \u001b[33m~ state review\u001b[0m");
    expect(coloured).toContain('\u001b[32m    + state legal: "Legal" (step)\u001b[0m');
  });

  it('says "No changes." for an empty diff', () => {
    expect(renderDiffText(empty)).toBe("No changes.\n");
    expect(renderDiffText(empty, { color: true })).toBe("No changes.\n");
  });
});

describe("renderDiffJson", () => {
  it("is versioned pretty JSON of the changes, members in a fixed order", () => {
    const json = renderDiffJson(diff);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(diff)));
    expect(json.startsWith('{\n  "formatVersion": 1,\n  "changes": [\n')).toBe(true);
    const first = JSON.parse(json).changes.find((c: { kind: string }) => c.kind === "state_changed");
    expect(Object.keys(first)).toEqual(["kind", "path", "workflow", "state", "field", "before", "after"]);
    expect(JSON.parse(renderDiffJson(empty))).toEqual({ formatVersion: 1, changes: [] });
  });
});

describe("renderDiffMarkdown", () => {
  const md = renderDiffMarkdown(diff, { title: "Plan for prod" });
  const lines = md.split("\n");

  it("has a title, a summary table and a section per workflow", () => {
    expect(lines[0]).toBe("### Plan for prod");
    expect(lines).toContain("| Workflows | 1 | 1 | 1 |");
    expect(lines).toContain("| States | 1 | 1 | 0 |");
    expect(lines).toContain("| Transitions | 1 | 1 | 1 |");
    expect(lines).toContain("#### 🟡 changed: `editorial`");
    expect(lines).toContain("#### 🟢 added: `news` News");
    expect(lines).toContain("#### 🔴 removed: `old` Old");
    expect(lines).toContain('| changed | state `review` | `color` | `"orange"` | `"yellow"` |');
    expect(lines).toContain('| added | state `legal` | | | `"Legal" (step)` |');
    expect(lines).toContain('| removed | transition `review.comment` | | `"Comment" → (stays)` | |');
  });

  it("escapes pipes and backticks in values so that the table holds", () => {
    const row = lines.find((line) => line.startsWith("| changed | state `review` | `name`"));
    expect(row).toContain('``{"de-DE":"Prüfung","en-GB":"Review \\| \\"legal\\" `x` @team"}``');
    expect(markdownCode("a|b")).toBe("`a\\|b`");
    expect(markdownCode("`x`")).toBe("`` `x` ``");
    expect(escapeMarkdown("*a* | <b> @team [x](y)")).toBe("\\*a\\* \\| &lt;b&gt; &#64;team \\[x\\](y)");
  });

  it("folds a long table into <details>", () => {
    const folded = renderDiffMarkdown(diff, { collapseAfter: 2 });
    expect(folded).toContain("<details><summary>6 changes</summary>");
  });

  it('says "No changes." for an empty diff', () => {
    expect(renderDiffMarkdown(empty)).toBe("### Workflow changes\n\nNo changes.\n");
  });
});

describe("renderMermaid", () => {
  const lines = renderMermaid(current).split("\n");

  it("draws states with their names, the start, and labelled transitions", () => {
    expect(lines[0]).toBe("stateDiagram-v2");
    expect(lines).toContain('    state "Draft" as draft');
    expect(lines).toContain("    [*] --> draft");
    expect(lines).toContain("    draft --> review : Submit");
    expect(lines).toContain("    review : ↻ Comment");
    expect(lines.some((line) => line.includes("review --> review"))).toBe(false);
  });

  it("marks published and archived states", () => {
    expect(lines).toContain("    class published published");
    expect(lines).toContain("    class archived archived");
    expect(lines.some((line) => line.startsWith("    classDef published fill:"))).toBe(true);
  });

  it("picks a locale", () => {
    const german = renderMermaid(current, { locale: "de-DE" }).split("\n");
    expect(german).toContain('    state "Entwurf" as draft');
    expect(german).toContain('    state "Published" as published');
    expect(german).toContain("    draft --> review : Einreichen");
  });

  it("escapes labels and keeps ids safe", () => {
    expect(escapeMermaid('Say "hi"; #1 %% a:b <x>\nnext')).toBe(
      "Say #quot;hi#quot;#59; #35;1 #37;#37; a#58;b #60;x#62; next",
    );
    const tricky = Workflow.parse({
      ...input,
      initial: "end",
      states: [
        { key: "end", name: { "en-GB": 'The "end"' }, kind: "initial" },
        { key: "published", name: { "en-GB": "Published" }, kind: "published" },
      ],
      transitions: [{ key: "go", from: "end", to: "published", name: { "en-GB": "Go: now" } }],
    });
    const out = renderMermaid(tricky).split("\n");
    expect(out).toContain('    state "The #quot;end#quot;" as s_end');
    expect(out).toContain("    [*] --> s_end");
    expect(out).toContain("    s_end --> published : Go#58; now");
  });
});

describe("renderDiffMermaid", () => {
  const lines = renderDiffMermaid(current, desired).split("\n");

  it("draws the union, marking added, removed and changed", () => {
    expect(lines).toContain('    state "Legal" as legal');
    expect(lines).toContain("    class legal added");
    expect(lines).toContain("    class review changed");
    expect(lines).toContain("    legal --> review : + Cleared");
    expect(lines).toContain("    review : ↻ - Comment");
    expect(lines.find((line) => line.startsWith("    classDef removed"))).toBeUndefined();
    expect(lines.find((line) => line.startsWith("    classDef added"))).toContain("fill:");
  });

  it("shows a new target as the old edge removed and the new one added", () => {
    expect(lines).toContain("    draft --> review : - Submit");
    expect(lines).toContain("    draft --> legal : + Submit");
  });

  it("marks removed states red and dashed, and draws a workflow that is only on one side", () => {
    const back = renderDiffMermaid(desired, current).split("\n");
    expect(back).toContain("    class legal removed");
    expect(back.find((line) => line.startsWith("    classDef removed"))).toContain("stroke-dasharray");
    const added = renderDiffMermaid(null, current).split("\n");
    expect(added).toContain("    class archived,draft,published,review added");
    expect(added).toContain("    draft --> review : + Submit");
  });
});
