import type { Vendor } from "./model.ts";

/** Where in a document: object keys and array indexes, as zod gives them. */
export type Path = ReadonlyArray<string | number>;

/**
 * What a check found. A union keyed by `code` (zod's shape): every issue names its `path` inside
 * the document and the rule it breaks in `message`. Portability issues are warnings tagged with the
 * vendor whose rule they break.
 */
export type IssueCode =
  // parse
  | "invalid_document"
  | "invalid_type"
  | "invalid_value"
  | "missing_field"
  | "unknown_field"
  // semantics
  | "duplicate_key"
  | "dangling_reference"
  | "initial_state"
  | "no_published_state"
  | "cannot_reach_published"
  | "unreachable_state"
  | "duplicate_transition"
  | "missing_required_message"
  // portability
  | "not_portable"
  // a vendor's own rule, broken by a vendor-native document (tagged with the vendor)
  | "vendor_rule";

export type Severity = "error" | "warning";

export interface Issue {
  code: IssueCode;
  path: Path;
  message: string;
  severity: Severity;
  /** Set on portability issues: the vendor whose rule this breaks. */
  vendor?: Vendor;
}

/** `states[2].transitions[0].to`: a path as a reader finds it in a YAML or JSON file. */
export function formatPath(path: Path): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || "(root)";
}

/** One line per issue: `path: message (code)`. */
export function formatIssue(issue: Issue): string {
  const tag = issue.vendor ? ` [${issue.vendor}]` : "";
  return `${formatPath(issue.path)}: ${issue.message} (${issue.code}${tag})`;
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((issue) => issue.severity === "error");
}
