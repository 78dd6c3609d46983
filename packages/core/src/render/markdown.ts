import { summarizeDiff, type WorkflowDiff } from "../diff/index.ts";
import type { Workflow } from "../model.ts";
import { type ChangeGroup, sections, type WorkflowSection } from "./format.ts";
import { renderDiffMermaid } from "./mermaid.ts";

export interface RenderMarkdownOptions {
  /** The heading. Default "Workflow changes". Used as given (Markdown allowed). */
  title?: string;
  /** A workflow with more table rows than this is folded into `<details>`. Default 25. */
  collapseAfter?: number;
  /**
   * The two sides of the diff. When given, each changed workflow gets a Mermaid diagram (GitHub
   * draws it inline) with added, removed and changed states and transitions marked. An added or
   * removed workflow is drawn from the diff itself.
   */
  workflows?: { current: readonly Workflow[]; desired: readonly Workflow[] };
}

/**
 * Text for a Markdown paragraph or heading: Markdown and HTML characters escaped, `@` defused so
 * that a name never mentions anyone, one line.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/[\\`*_[\]|~#!]/g, (char) => `\\${char}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/@/g, "&#64;");
}

/**
 * Text as an inline code span for a table cell: verbatim (no Markdown, no mentions, no links),
 * pipes escaped as GFM tables need, a fence longer than any backtick run inside.
 */
export function markdownCode(text: string): string {
  const line = text.replace(/[\r\n]+/g, " ").replace(/\|/g, "\\|");
  if (line === "") return "";
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad =
    line.startsWith("`") || line.endsWith("`") || (line.startsWith(" ") && line.endsWith(" ")) ? " " : "";
  return `${fence}${pad}${line}${pad}${fence}`;
}

const WORDS = { "+": "added", "~": "changed", "-": "removed" } as const;
const ICONS = { "+": "🟢", "~": "🟡", "-": "🔴" } as const;

function rows(group: ChangeGroup): string[] {
  const what = group.entity === "workflow" ? "workflow" : `${group.entity} ${markdownCode(group.id)}`;
  if (group.sign !== "~") {
    const value = markdownCode(group.detail ?? "");
    return [
      group.sign === "+"
        ? `| ${WORDS[group.sign]} | ${what} | | | ${value} |`
        : `| ${WORDS[group.sign]} | ${what} | | ${value} | |`,
    ];
  }
  return group.fields.map(
    (field) =>
      `| ${WORDS["~"]} | ${what} | ${markdownCode(field.field)} | ${markdownCode(field.before)} | ${markdownCode(field.after)} |`,
  );
}

/**
 * A pull-request comment: a heading, a summary table (added / changed / removed per kind) and one
 * section per workflow with a table of its changes. "No changes." when the diff is empty.
 */
export function renderDiffMarkdown(diff: WorkflowDiff, options: RenderMarkdownOptions = {}): string {
  const title = options.title ?? "Workflow changes";
  const lines: string[] = [`### ${title}`, ""];
  if (diff.changes.length === 0) {
    lines.push("No changes.");
    return `${lines.join("\n")}\n`;
  }
  lines.push(...summaryTable(diff));
  const sides = options.workflows && {
    current: new Map(options.workflows.current.map((w) => [w.key, w])),
    desired: new Map(options.workflows.desired.map((w) => [w.key, w])),
  };
  const collapseAfter = options.collapseAfter ?? 25;
  for (const section of sections(diff)) lines.push(...sectionLines(diff, section, sides, collapseAfter));
  return `${lines.join("\n")}\n`;
}

/** How many workflows, states, transitions (and groups, if any) are added, changed and removed. */
function summaryTable(diff: WorkflowDiff): string[] {
  const summary = summarizeDiff(diff);
  const lines: string[] = [];
  lines.push("| | Added | Changed | Removed |", "| --- | ---: | ---: | ---: |");
  const kinds = [
    ["Workflows", summary.workflows],
    ["States", summary.states],
    ["Transitions", summary.transitions],
    ["Groups", summary.groups],
  ] as const;
  for (const [label, counts] of kinds) {
    if (label === "Groups" && counts.added + counts.changed + counts.removed === 0) continue;
    lines.push(`| ${label} | ${counts.added} | ${counts.changed} | ${counts.removed} |`);
  }
  return lines;
}

/** One workflow's heading, its diagram (when the sides are given) and its table of changes. */
function sectionLines(
  diff: WorkflowDiff,
  section: WorkflowSection,
  sides: Sides | undefined,
  collapseAfter: number,
): string[] {
  const lines: string[] = [];
  const name = section.name ? ` ${escapeMarkdown(section.name)}` : "";
  lines.push(
    "",
    `#### ${ICONS[section.sign]} ${WORDS[section.sign]}: ${markdownCode(section.workflow)}${name}`,
    "",
  );
  const rawKey =
    diff.changes.find(
      (change) => change.workflow.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?") === section.workflow,
    )?.workflow ?? section.workflow;
  if (section.sign !== "~") {
    lines.push(`Workflow ${WORDS[section.sign]} (${section.detail ?? ""}).`, ...diagram(diff, rawKey, sides));
    return lines;
  }
  lines.push(...diagram(diff, rawKey, sides).slice(1), "");
  const table = ["| Action | Item | Field | Before | After |", "| --- | --- | --- | --- | --- |"];
  for (const group of section.groups) table.push(...rows(group));
  const count = table.length - 2;
  if (count > collapseAfter) {
    lines.push(`<details><summary>${count} changes</summary>`, "", ...table, "", "</details>");
  } else {
    lines.push(...table);
  }
  return lines;
}

/** The workflows of the two sides by key (`RenderMarkdownOptions.workflows`). */
type Sides = { current: ReadonlyMap<string, Workflow>; desired: ReadonlyMap<string, Workflow> };

/** The Mermaid diagram of one workflow's two sides (none unless the sides are given). */
function diagram(diff: WorkflowDiff, key: string, sides: Sides | undefined): string[] {
  if (!sides) return [];
  let before = sides.current.get(key) ?? null;
  let after = sides.desired.get(key) ?? null;
  for (const change of diff.changes) {
    if (change.workflow !== key) continue;
    if (change.kind === "workflow_added") after = change.after;
    if (change.kind === "workflow_removed") before = change.before;
  }
  if (!before && !after) return [];
  const legend =
    before && after
      ? "Diagram: `+` added (green), `-` removed (red, dashed), `~` changed (amber); `↻` stays in its state."
      : "";
  return [
    "",
    "```mermaid",
    renderDiffMermaid(before, after).trimEnd(),
    "```",
    ...(legend ? ["", legend] : []),
  ];
}
