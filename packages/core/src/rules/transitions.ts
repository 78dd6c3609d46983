import { stableStringify } from "../canonical.ts";
import type { Issue } from "../issues.ts";
import type { Transition, Workflow } from "../model.ts";
import { graph, mayRepeatInRows } from "./graph.ts";
import { warning } from "./issue.ts";

/* Warnings about transitions: one that repeats another under a new key, a parameter that asks without saying what. */

/**
 * Two transitions with the same from, to, roles and guard under different keys (stay transitions
 * exempt); needs the rows of `linkTransitions`.
 */
export function checkDuplicateTransitions(workflow: Workflow, issues: Issue[]): void {
  // Only transitions with the same ends can be duplicates.
  const { transitions, states } = workflow;
  if (mayRepeatInRows(transitions, states.length, "to"))
    duplicateTransitions(transitions, states.length, issues);
}

/** Same from, same to, same roles (as a set), same guard (as a set of conditions). */
function transitionSignature(transition: Transition): string {
  const roles = transition.roles.length > 1 ? [...new Set(transition.roles)].sort() : transition.roles;
  const guard = transition.guard
    ? transition.guard.all
        .map((condition) => stableStringify(condition))
        .sort()
        .join("\u0001")
    : "";
  // \u0000 cannot occur in keys or role names, so the parts cannot run into each other.
  return `${transition.from}\u0000${transition.to}\u0000${roles.join("\u0001")}\u0000${guard}`;
}

/** Two transitions with the same from, to, roles and guard under different keys, as warnings. */
function duplicateTransitions(transitions: readonly Transition[], states: number, issues: Issue[]): void {
  const firstSignature = new Map<string, number>();
  const sameEnds = new Map<number, number>();
  const { from: fromState, to: toState } = graph;
  for (let index = 0; index < transitions.length; index++) {
    const transition = transitions[index]!;
    const from = fromState[index]!;
    const to = toState[index]!;
    // stay transitions are exempt; a dangling end is a dangling_reference error already
    if (from < 0 || to < 0) continue;
    // Most transitions have no sibling with the same ends: no signature needed for those.
    const ends = from * states + to;
    const sibling = sameEnds.get(ends);
    if (sibling === undefined) {
      sameEnds.set(ends, index);
      continue;
    }
    if (sibling >= 0) {
      firstSignature.set(transitionSignature(transitions[sibling]!), sibling);
      sameEnds.set(ends, -1);
    }
    const signature = transitionSignature(transition);
    const first = firstSignature.get(signature);
    if (first === undefined) {
      firstSignature.set(signature, index);
      continue;
    }
    const original = transitions[first]!;
    if (original.key === transition.key) continue; // already a duplicate_key error
    issues.push(
      warning(
        "duplicate_transition",
        ["transitions", index],
        `transition "${transition.key}" from "${transition.from}" to "${transition.to}" duplicates transition ` +
          `"${original.key}" (transitions[${first}]): same from, to, roles and guard under another key`,
      ),
    );
  }
}

/** A required parameter without `requiredMessage`, as a warning. */
export function checkRequiredMessages(transitions: readonly Transition[], issues: Issue[]): void {
  for (let index = 0; index < transitions.length; index++) {
    const transition = transitions[index]!;
    for (let position = 0; position < transition.parameters.length; position++) {
      const parameter = transition.parameters[position]!;
      if (parameter.required && parameter.requiredMessage === undefined) {
        issues.push(
          warning(
            "missing_required_message",
            ["transitions", index, "parameters", position],
            `parameter "${parameter.key}" of transition "${transition.key}" from "${transition.from}" is ` +
              "required but has no requiredMessage: say what the user must give",
          ),
        );
      }
    }
  }
}
