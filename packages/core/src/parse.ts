import { z } from "zod";
import { parseWorkflowFast } from "./fast-parse.ts";
import type { Issue, Path } from "./issues.ts";
import { Workflow } from "./model.ts";

export type ParseResult<T> = { ok: true; value: T; issues: Issue[] } | { ok: false; issues: Issue[] };

/** Read unknown input (parsed YAML or JSON) as a workflow, or say every way it is not one. */
export function parseWorkflow(input: unknown): ParseResult<Workflow> {
  if (input === null || input === undefined) {
    return {
      ok: false,
      issues: [{ code: "invalid_document", path: [], message: "the document is empty", severity: "error" }],
    };
  }
  // Valid plain documents take the fast path; anything else gets zod's full report.
  const fast = parseWorkflowFast(input);
  if (fast) return { ok: true, value: fast, issues: [] };
  // reportInput: zod then keeps each issue's input, which tells a missing field from a wrong type.
  const result = Workflow.safeParse(input, { reportInput: true });
  if (result.success) return { ok: true, value: result.data, issues: [] };
  return { ok: false, issues: fromZodIssues(result.error.issues) };
}

/**
 * A workflow inside a larger document (a plan, a backup), as a zod schema: a plain, valid workflow takes
 * `parseWorkflow`'s fast path; anything else gets the issues `Workflow` gives, at their paths. zod's
 * general parse spent most of the time of writing a plan of 1,000 workflows.
 */
export const EmbeddedWorkflow: z.ZodType<Workflow, unknown> = z.unknown().transform((value, context) => {
  const fast = parseWorkflowFast(value);
  if (fast) return fast;
  const result = Workflow.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  // The same issues, relative to this value: the enclosing document adds its own path.
  for (const issue of result.error.issues) context.issues.push(issue as z.core.$ZodRawIssue);
  return z.NEVER;
});

/** zod's issues in workflow-sync's shape: one issue per unknown field, missing fields named. */
export function fromZodIssues(zodIssues: readonly z.core.$ZodIssue[], prefix: Path = []): Issue[] {
  const issues: Issue[] = [];
  for (const issue of zodIssues) fromZodIssue(issue, prefix, issues);
  return issues;
}

/** One zod issue as ours (one per unknown key, the closest branch's issues for a union). */
function fromZodIssue(issue: z.core.$ZodIssue, prefix: Path, issues: Issue[]): void {
  const path = [...prefix, ...issue.path.map((part) => (typeof part === "symbol" ? String(part) : part))];
  switch (issue.code) {
    case "unrecognized_keys":
      for (const key of issue.keys) {
        issues.push({
          code: "unknown_field",
          path: [...path, key],
          message: `unknown field "${key}"`,
          severity: "error",
        });
      }
      break;
    case "invalid_type":
      if (issue.input === undefined) {
        issues.push({
          code: "missing_field",
          path,
          message: "required field is missing",
          severity: "error",
        });
      } else {
        issues.push({
          code: "invalid_type",
          path,
          message: `expected ${issue.expected}, got ${describe(issue.input)}`,
          severity: "error",
        });
      }
      break;
    case "invalid_key": {
      // A record key that breaks its rule (e.g. a locale): say the rule, not zod's generic
      // "Invalid key in record" (a schema's own message for the key wins).
      const generic = issue.message === "Invalid key in record";
      const rule = generic
        ? issue.issues.map((inner) => inner.message).join("; ") || issue.message
        : issue.message;
      issues.push({ code: "invalid_value", path, message: rule, severity: "error" });
      break;
    }
    case "invalid_union":
      if (issue.errors.length > 0 && issue.errors.every((branch) => branch.length > 0)) {
        const best = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
        issues.push(...fromZodIssues(best, path.slice(0, 0)));
      } else {
        issues.push({ code: "invalid_value", path, message: issue.message, severity: "error" });
      }
      break;
    default:
      issues.push({ code: "invalid_value", path, message: issue.message, severity: "error" });
  }
}

function describe(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "array";
  return typeof input;
}
