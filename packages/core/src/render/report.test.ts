import { contensisApprovalWorkflow, editorialWorkflow } from "@workflow-sync/test-utils";
import { describe, expect, it } from "vitest";
import { diffWorkflows } from "../diff/index.ts";
import { Workflow } from "../model.ts";
import { renderReportHtml } from "./html.ts";
import { renderDiffMarkdown } from "./markdown.ts";
import { renderDiffSvg, renderWorkflowSvg, textWidth } from "./svg.ts";
import { renderDiffText } from "./text.ts";

const current = Workflow.parse(editorialWorkflow);
const desired = (() => {
  const w = Workflow.parse(structuredClone(editorialWorkflow));
  const [first, second] = w.states;
  first!.color = first!.color === "red" ? "blue" : "red";
  w.states.push({
    key: "fact_check",
    name: { "en-GB": 'Fact <check> & "verify"' },
    kind: "step",
    editable: true,
    roles: ["Checker"],
    extensions: {},
  });
  w.transitions.push({
    key: "check",
    from: second!.key,
    to: "fact_check",
    name: { "en-GB": "To fact check" },
    roles: [],
    parameters: [],
    validate: false,
    extensions: {},
  });
  w.transitions.push({
    key: "back",
    from: "fact_check",
    to: second!.key,
    name: { "en-GB": "Checked" },
    roles: [],
    parameters: [],
    validate: false,
    extensions: {},
  });
  w.transitions.push({
    key: "note",
    from: "fact_check",
    to: null,
    name: { "en-GB": "Add a note" },
    roles: [],
    parameters: [],
    validate: false,
    extensions: {},
  });
  const removed = w.transitions.findIndex((t) => t.from === first!.key);
  w.transitions.splice(removed, 1);
  return w;
})();

/** Attributes of every element of a class in an SVG string, by a data key. */
function marks(svg: string, cls: string, key: string): Map<string, string> {
  const out = new Map<string, string>();
  const pattern = new RegExp(`class="${cls}" data-change="(\\w+)" data-${key}="([^"]+)"`, "g");
  for (const match of svg.matchAll(pattern)) out.set(match[2]!, match[1]!);
  return out;
}

describe("renderDiffSvg", () => {
  const svg = renderDiffSvg(current, desired, { idPrefix: "t" });
  const first = current.states[0]!.key;
  const removedTransition = current.transitions.find((t) => t.from === first)!;

  it("marks added states and transitions in the after picture only", () => {
    const after = marks(svg.after!, "wf-state", "state");
    const before = marks(svg.before!, "wf-state", "state");
    expect(after.get("fact_check")).toBe("added");
    expect(before.has("fact_check")).toBe(false);
    expect(marks(svg.after!, "wf-transition", "transition").get(`${current.states[1]!.key}.check`)).toBe(
      "added",
    );
  });

  it("marks a removed transition in the before picture only, dashed", () => {
    const key = `${removedTransition.from}.${removedTransition.key}`;
    if (removedTransition.to === null || removedTransition.to === removedTransition.from) {
      expect(svg.before).toContain(`data-change="removed" data-transition="${key}"`);
    } else {
      expect(marks(svg.before!, "wf-transition", "transition").get(key)).toBe("removed");
      expect(svg.before).toMatch(
        new RegExp(`data-transition="${key.replace(".", "\\.")}"[^>]*><path[^>]*stroke-dasharray="7 4"`),
      );
    }
    expect(svg.after).not.toContain(`data-transition="${key}"`);
  });

  it("marks a changed state in both pictures, with the ~ symbol", () => {
    expect(marks(svg.before!, "wf-state", "state").get(first)).toBe("changed");
    expect(marks(svg.after!, "wf-state", "state").get(first)).toBe("changed");
    expect(svg.after).toMatch(/font-weight="600" fill="#78350f">~ /);
  });

  it("lists a stay in its state's box instead of drawing a loop", () => {
    expect(svg.after).toContain('class="wf-stay" data-change="added" data-transition="fact_check.note"');
    expect(svg.after).toContain("↻ + Add a note");
    expect(svg.after).not.toMatch(/data-from="(\w+)" data-to="\1"/);
  });

  it("escapes names and has an accessible title and description", () => {
    expect(svg.after).toContain("Fact &lt;check&gt; &amp; &quot;verify&quot;");
    expect(svg.after).not.toContain("<check>");
    expect(svg.after).toMatch(/<svg [^>]*role="img" aria-labelledby="t-after-title t-after-desc"/);
    expect(svg.after).toMatch(/<desc [^>]*>[^<]*added: [^<;]*state fact_check/);
  });

  it("keeps an unchanged state in the same place in both pictures", () => {
    const place = (text: string, key: string) =>
      text.match(new RegExp(`data-state="${key}"><rect x="([\\d.]+)" y="([\\d.]+)"`))?.slice(1);
    const key = current.states[2]!.key;
    expect(place(svg.before!, key)).toBeDefined();
    expect(place(svg.before!, key)).toEqual(place(svg.after!, key));
  });

  it("draws a new workflow with one picture and no marks", () => {
    const only = renderDiffSvg(null, desired);
    expect(only.before).toBeNull();
    expect(only.after).not.toContain('data-change="added"');
    expect(renderWorkflowSvg(desired)).toContain('class="wf-diagram"');
  });

  it("gives every edge label room of its own in a dense workflow (no two label boxes overlap)", () => {
    const dense = Workflow.parse(contensisApprovalWorkflow);
    const out = renderWorkflowSvg(dense);
    const rects = [
      ...out.matchAll(
        /class="wf-(?:edge-label|state)"[^>]*><rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"/g,
      ),
    ].map((m) => ({ x: Number(m[1]), y: Number(m[2]), w: Number(m[3]), h: Number(m[4]) }));
    expect(rects.length).toBeGreaterThan(dense.states.length);
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++) {
        const [a, b] = [rects[i]!, rects[j]!];
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
        expect(apart, `${JSON.stringify(a)} ${JSON.stringify(b)}`).toBe(true);
      }
    }
    expect(out).toContain("↻ Save");
  });

  it("estimates wider text wider", () => {
    expect(textWidth("WWWW", 12)).toBeGreaterThan(textWidth("iiii", 12));
  });
});

describe("renderReportHtml", () => {
  const changes = diffWorkflows([current], [desired]).changes;
  const html = renderReportHtml({
    source: { environment: "dev", vendor: "kontent", fingerprint: "a".repeat(64) },
    plan: { id: "0123456789abcdef", createdAt: "2026-01-01T00:00:00Z", checksum: "c".repeat(64) },
    targets: [
      {
        environment: "prod",
        vendor: "kontent",
        fingerprint: "b".repeat(64),
        workflows: [
          {
            key: current.key,
            action: "update",
            before: current,
            after: desired,
            changes,
            requests: [{ method: "PUT", path: "workflows/1", description: "update", body: { a: "<b>" } }],
          },
        ],
        unchanged: [{ key: "news", name: "News" }],
        skipped: [],
        losses: [
          { workflow: current.key, code: "name_dropped", path: ["transitions", 0, "name"], message: "one" },
          { workflow: current.key, code: "name_dropped", path: ["transitions", 1, "name"], message: "two" },
          {
            workflow: current.key,
            code: "guard_dropped",
            path: ["transitions", 1, "guard"],
            message: "three",
          },
        ],
        warnings: [],
      },
    ],
  });

  it("is one self-contained page: no script, no outside resource, a strict content policy", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|src="http|href="http|@import|url\((?!#)/i);
    expect(html).toContain("Content-Security-Policy");
  });

  it("shows the fingerprints and the checksum, the diagrams, the changes, roles and requests", () => {
    expect(html).toContain("c".repeat(64));
    expect(html).toContain("b".repeat(64));
    expect(html.match(/<svg [^>]*class="wf-diagram"/g)).toHaveLength(2);
    expect(html).toContain('<table class="changes">');
    expect(html).toContain("Role and permission changes");
    expect(html).toContain("<code>Checker</code>");
    expect(html).toContain("&quot;&lt;b&gt;&quot;");
  });

  it("groups losses by rule with a count, and folds unchanged workflows", () => {
    expect(html).toMatch(/<code>name_dropped<\/code><\/td><td class="num">2<\/td>/);
    expect(html).toMatch(/<code>guard_dropped<\/code><\/td><td class="num">1<\/td>/);
    expect(html).toMatch(/<details class="unchanged"><summary>1 unchanged workflow<\/summary>/);
  });

  it("keeps diagram ids unique on the page", () => {
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("renderDiffMarkdown with diagrams", () => {
  it("embeds a Mermaid diagram of each changed workflow, with the changes marked", () => {
    const diff = diffWorkflows([current], [desired]);
    const md = renderDiffMarkdown(diff, { workflows: { current: [current], desired: [desired] } });
    const block = md.slice(md.indexOf("```mermaid"), md.indexOf("```", md.indexOf("```mermaid") + 3));
    expect(block).toContain("stateDiagram-v2");
    expect(block).toContain("class fact_check added");
    expect(block).toContain("fact_check : ↻ + Add a note");
    expect(block).toMatch(/editorial_review --> fact_check : \+ To fact check/);
    // Without the sides there is no diagram (the table alone, as before).
    expect(renderDiffMarkdown(diff)).not.toContain("```mermaid");
  });
});

describe("a renamed state", () => {
  it("is shown as one rename, not as a rename of every transition named after it", () => {
    const base = Workflow.parse({
      key: "k",
      name: { en: "K" },
      initial: "draft",
      states: [
        { key: "draft", name: { en: "Draft" }, kind: "initial" },
        { key: "review", name: { en: "Review" }, kind: "step" },
        { key: "published", name: { en: "Published" }, kind: "published" },
      ],
      transitions: [
        // Named after the state they lead to, as Kontent.ai names them.
        { key: "review", from: "draft", to: "review", name: { en: "Review" } },
        { key: "back", from: "published", to: "review", name: { en: "Review" } },
        { key: "published", from: "review", to: "published", name: { en: "Published" } },
        { key: "other", from: "review", to: "draft", name: { en: "Send back" } },
      ],
    });
    const renamed = structuredClone(base);
    renamed.states[1]!.name = { en: "Legal review" };
    for (const t of renamed.transitions) if (t.to === "review") t.name = { en: "Legal review" };
    renamed.transitions[3]!.name = { en: "Return" };
    const text = renderDiffText(diffWorkflows([base], [renamed]));
    expect(text).toContain(
      '~ name: "Review" → "Legal review" (and the 2 transitions into it, named after it)',
    );
    expect(text).not.toContain("transition draft.review");
    expect(text).not.toContain("transition published.back");
    expect(text).toContain("transitions: 0 to add, 1 to change, 0 to remove");
    // A transition renamed on its own is still shown.
    expect(text).toContain('~ name: "Send back" → "Return"');
  });
});
