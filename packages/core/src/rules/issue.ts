import type { Issue, Path } from "../issues.ts";

/* How the checks word their issues: every message names the keys involved. */

export const quoted = (values: readonly string[]) => values.map((value) => `"${value}"`).join(", ");
export const known = (values: readonly string[], what: string) =>
  values.length === 0 ? `no ${what} are defined` : `${what}: ${values.join(", ")}`;

export function error(code: Issue["code"], path: Path, message: string): Issue {
  return { code, path, message, severity: "error" };
}
export function warning(code: Issue["code"], path: Path, message: string): Issue {
  return { code, path, message, severity: "warning" };
}
