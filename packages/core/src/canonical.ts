import { createHash } from "node:crypto";
import type { Workflow } from "./model.ts";

/*
 * Canonical form: the same JSON for the same meaning, whatever the order of object keys and of
 * set-like arrays. Keyed collections are sorted by key, role and scope lists are sorted and
 * de-duplicated, `$schema` is dropped and absent optional fields stay absent.
 *
 * Note: `node:crypto` is a pure computation here (no I/O); it is the only Node built-in core uses.
 */

const byKey = <T extends { key: string }>(a: T, b: T) => compare(a.key, b.key);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sortedSet = (values: readonly string[]): string[] =>
  values.length < 2 ? [...values] : [...new Set(values)].sort(compare);

/** A copy of the workflow with every set-like array in a fixed order. */
export function canonicalize(workflow: Workflow): Workflow {
  const { $schema: _schema, ...rest } = workflow;
  return {
    ...rest,
    scope: {
      contentTypes: sortedSet(workflow.scope.contentTypes),
      collections: sortedSet(workflow.scope.collections),
    },
    states: workflow.states.map((state) => ({ ...state, roles: sortedSet(state.roles) })).sort(byKey),
    transitions: workflow.transitions
      .map((transition) => ({
        ...transition,
        roles: sortedSet(transition.roles),
        parameters: [...transition.parameters].sort(byKey),
        ...(transition.guard
          ? {
              guard: {
                all: [...transition.guard.all].sort((a, b) =>
                  compare(stableStringify(a), stableStringify(b)),
                ),
              },
            }
          : {}),
      }))
      .sort((a, b) => compare(a.from, b.from) || compare(a.key, b.key)),
    groups: [...workflow.groups].sort(byKey),
  };
}

/** JSON with object keys sorted at every level and `undefined` members left out. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") {
    return value === undefined ? "null" : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => stableStringify(item)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => compare(a, b));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${stableStringify(member)}`).join(",")}}`;
}

/** The canonical JSON of one workflow. */
export function canonicalJson(workflow: Workflow): string {
  return stableStringify(canonicalize(workflow));
}

/** sha256 (hex) of the canonical JSON of a workflow, or of a set of workflows (order free). */
export function fingerprint(input: Workflow | readonly Workflow[]): string {
  const hash = createHash("sha256");
  if (Array.isArray(input)) {
    const sorted = [...(input as readonly Workflow[])].sort(byKey);
    hash.update(`[${sorted.map(canonicalJson).join(",")}]`);
  } else {
    hash.update(canonicalJson(input as Workflow));
  }
  return hash.digest("hex");
}

/** Whether two workflows mean the same. */
export function sameWorkflow(a: Workflow, b: Workflow): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
