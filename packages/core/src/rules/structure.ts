import type { Issue } from "../issues.ts";
import type { Workflow } from "../model.ts";
import { error, quoted } from "./issue.ts";

/* The shape every workflow needs: exactly one initial state, named by `initial`, and a published state. */

/** Exactly one state of kind `initial`, and `initial` names it (`initialIndex`: the state it names, if any). */
export function checkInitialState(
  workflow: Workflow,
  initialIndex: number | undefined,
  issues: Issue[],
): void {
  const { states } = workflow;
  const initials: number[] = [];
  for (let index = 0; index < states.length; index++)
    if (states[index]!.kind === "initial") initials.push(index);
  if (initials.length === 0) {
    issues.push(
      error(
        "initial_state",
        ["states"],
        `no state has kind "initial"; exactly one state must, and initial ("${workflow.initial}") must name it`,
      ),
    );
  }
  for (const index of initials.slice(1)) {
    const firstInitial = states[initials[0]!]!;
    issues.push(
      error(
        "initial_state",
        ["states", index, "kind"],
        `state "${states[index]!.key}" has kind "initial", but so has state "${firstInitial.key}" ` +
          `(states[${initials[0]}]); exactly one state may have kind "initial"`,
      ),
    );
  }
  const named = initialIndex === undefined ? undefined : states[initialIndex]!;
  if (named && named.kind !== "initial") {
    const actual = initials.map((index) => states[index]!.key);
    issues.push(
      error(
        "initial_state",
        ["initial"],
        `initial names "${named.key}", whose kind is "${named.kind}"; initial must name the state of kind ` +
          `"initial"${actual.length > 0 ? ` (${quoted(actual)})` : ""}`,
      ),
    );
  }
}

/** At least one state of kind `published`, else an error; whether there is one. */
export function checkPublishedState(workflow: Workflow, issues: Issue[]): boolean {
  if (workflow.states.some((state) => state.kind === "published")) return true;
  issues.push(
    error(
      "no_published_state",
      ["states"],
      'no state has kind "published"; a workflow needs one so that content can be published',
    ),
  );
  return false;
}
