import { summarizeDiff, type WorkflowDiff } from "../diff/index.ts";
import { countsText, followedRenames, type Sign, sections } from "./format.ts";

export interface RenderTextOptions {
  /** ANSI colours (green `+`, yellow `~`, red `-`). The caller decides (TTY, `NO_COLOR`, `--no-color`). Default false. */
  color?: boolean;
}

const ANSI: Record<Sign, string> = { "+": "\u001b[32m", "~": "\u001b[33m", "-": "\u001b[31m" };
const RESET = "\u001b[0m";
const BOLD = "\u001b[1m";

/**
 * A terraform-like plan: one block per workflow, `+` added, `~` changed, `-` removed, field changes
 * as `before → after`, and a closing `Changes:` line with the counts. "No changes." when empty.
 */
export function renderDiffText(diff: WorkflowDiff, options: RenderTextOptions = {}): string {
  const color = options.color === true;
  const paint = (sign: Sign, text: string) => (color ? `${ANSI[sign]}${text}${RESET}` : text);
  const bold = (text: string) => (color ? `${BOLD}${text}${RESET}` : text);
  if (diff.changes.length === 0) return "No changes.\n";

  const lines: string[] = [];
  for (const section of sections(diff)) {
    const name = section.name !== undefined ? ` ${JSON.stringify(section.name)}` : "";
    const detail = section.detail !== undefined ? ` (${section.detail})` : "";
    lines.push(paint(section.sign, `${section.sign} workflow ${section.workflow}${name}${detail}`));
    for (const group of section.groups) {
      if (group.sign !== "~") {
        lines.push(paint(group.sign, `    ${group.sign} ${group.subject}: ${group.detail ?? ""}`));
        continue;
      }
      if (group.entity === "workflow") {
        for (const field of group.fields) {
          lines.push(`    ${paint("~", "~")} ${field.field}: ${field.before} → ${field.after}`);
        }
        continue;
      }
      lines.push(`    ${paint("~", `~ ${group.subject}`)}`);
      for (const field of group.fields) {
        lines.push(`        ${paint("~", "~")} ${field.field}: ${field.before} → ${field.after}`);
      }
    }
    lines.push("");
  }
  // A transition name that only follows its state's rename is not counted again.
  const { hidden } = followedRenames(diff);
  const summary = summarizeDiff({ ...diff, changes: diff.changes.filter((change) => !hidden.has(change)) });
  const parts = [
    `workflows: ${countsText(summary.workflows)}`,
    `states: ${countsText(summary.states)}`,
    `transitions: ${countsText(summary.transitions)}`,
  ];
  const groups = summary.groups;
  if (groups.added + groups.changed + groups.removed > 0) parts.push(`groups: ${countsText(groups)}`);
  lines.push(`${bold("Changes:")} ${parts.join("; ")}.`);
  return `${lines.join("\n")}\n`;
}
