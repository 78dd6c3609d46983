import type { Change, WorkflowDiff } from "../diff/index.ts";

const ORDER = [
  "kind",
  "path",
  "workflow",
  "state",
  "transition",
  "group",
  "field",
  "vendor",
  "before",
  "after",
];

function ordered(change: Change): Record<string, unknown> {
  const source = change as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of ORDER) if (source[key] !== undefined) out[key] = source[key];
  for (const key of Object.keys(source).sort())
    if (!(key in out) && source[key] !== undefined) out[key] = source[key];
  return out;
}

/**
 * The diff as pretty JSON: `{ "formatVersion": 1, "changes": [...] }`, each change with `kind`,
 * `path`, `before` and `after` (and `workflow`, `state`, `transition`, `group`, `field`, `vendor`
 * where they apply), members in a fixed order.
 */
export function renderDiffJson(diff: WorkflowDiff): string {
  return `${JSON.stringify({ formatVersion: diff.formatVersion, changes: diff.changes.map(ordered) }, null, 2)}\n`;
}
