import { UsageError } from "../errors.ts";

/*
 * `--workflow KEY` (repeatable; `*` and `?` as in a shell glob): the workflows a command works on,
 * like Terraform's `-target`. A workflow not selected is neither written nor deleted nor shown.
 */

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

/** The flag's values as a list (it may be given once, several times, or comma-separated). */
export function workflowPatterns(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
  return list
    .flatMap((item) => String(item).split(","))
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A predicate for the selected keys; undefined when nothing was selected (everything is). */
export function workflowSelector(patterns: readonly string[]): ((key: string) => boolean) | undefined {
  if (patterns.length === 0) return undefined;
  const expressions = patterns.map(globToRegExp);
  return (key) => expressions.some((expression) => expression.test(key));
}

/** Refuse a selection that matches no workflow at all (a typo would otherwise do nothing, quietly). */
export function checkSelection(patterns: readonly string[], keys: Iterable<string>): void {
  const all = [...new Set(keys)].sort();
  const unmatched = patterns.filter((pattern) => !all.some((key) => globToRegExp(pattern).test(key)));
  if (unmatched.length > 0) {
    throw new UsageError(
      `--workflow ${unmatched.map((pattern) => `"${pattern}"`).join(", ")} matches no workflow`,
      [`workflows here: ${all.join(", ") || "(none)"}`],
    );
  }
}
