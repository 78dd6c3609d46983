import type { Issue } from "../issues.ts";
import type { Group, Transition, Workflow } from "../model.ts";
import { graph, mayRepeatInRows } from "./graph.ts";
import { error } from "./issue.ts";

/*
 * Unique keys: states, transitions per source state, groups, parameters per transition. Each
 * check reports a key's second and later uses, pointing at the first.
 */

/**
 * Duplicate state keys, as errors; returns each key's first state index and sets `graph.first`
 * (per state: the index of the first state with its key).
 */
export function checkStateKeys(workflow: Workflow, issues: Issue[]): Map<string, number> {
  const { states } = workflow;
  const { first } = graph;
  const firstState = new Map<string, number>();
  for (let index = 0; index < states.length; index++) {
    const state = states[index]!;
    const seen = firstState.get(state.key);
    if (seen === undefined) {
      firstState.set(state.key, index);
      first[index] = index;
    } else {
      first[index] = seen;
      issues.push(
        error(
          "duplicate_key",
          ["states", index, "key"],
          `state key "${state.key}" is already used by states[${seen}]; state keys must be unique`,
        ),
      );
    }
  }
  return firstState;
}

/** Duplicate transition keys per source state; needs the rows of `linkTransitions`. */
export function checkTransitionKeys(workflow: Workflow, everyFromKnown: boolean, issues: Issue[]): void {
  // A key repeats from one state only if it repeats within a row (when every `from` names a state).
  if (!everyFromKnown || mayRepeatInRows(workflow.transitions, workflow.states.length, "key")) {
    duplicateTransitionKeys(workflow.transitions, issues);
  }
}

/** A transition key used twice from the same state (`from` compared as a string), as errors. */
function duplicateTransitionKeys(transitions: readonly Transition[], issues: Issue[]): void {
  // By key, then by source state: a key's one transition index, or several when it leaves more
  // than one state.
  const byKey = new Map<string, number | number[]>();
  for (let index = 0; index < transitions.length; index++) {
    const transition = transitions[index]!;
    const sameKey = byKey.get(transition.key);
    if (sameKey === undefined) {
      byKey.set(transition.key, index);
      continue;
    }
    const others = typeof sameKey === "number" ? [sameKey] : sameKey;
    const first = others.find((other) => transitions[other]!.from === transition.from);
    if (first === undefined) {
      others.push(index);
      if (others !== sameKey) byKey.set(transition.key, others);
    } else
      issues.push(
        error(
          "duplicate_key",
          ["transitions", index, "key"],
          `transition key "${transition.key}" already leaves state "${transition.from}" (transitions[${first}]); ` +
            "transition keys must be unique per from state",
        ),
      );
  }
}

/** Duplicate group keys, as errors; returns each key's first group index. */
export function checkGroupKeys(groups: readonly Group[], issues: Issue[]): Map<string, number> {
  const firstGroup = new Map<string, number>();
  for (let index = 0; index < groups.length; index++) {
    const group = groups[index]!;
    const seen = firstGroup.get(group.key);
    if (seen === undefined) firstGroup.set(group.key, index);
    else
      issues.push(
        error(
          "duplicate_key",
          ["groups", index, "key"],
          `group key "${group.key}" is already used by groups[${seen}]; group keys must be unique`,
        ),
      );
  }
  return firstGroup;
}

/** Duplicate parameter keys within one transition, as errors. */
export function checkParameterKeys(transitions: readonly Transition[], issues: Issue[]): void {
  for (let index = 0; index < transitions.length; index++) {
    const transition = transitions[index]!;
    if (transition.parameters.length < 2) continue;
    const firstParameter = new Map<string, number>();
    for (let position = 0; position < transition.parameters.length; position++) {
      const parameter = transition.parameters[position]!;
      const seen = firstParameter.get(parameter.key);
      if (seen === undefined) firstParameter.set(parameter.key, position);
      else
        issues.push(
          error(
            "duplicate_key",
            ["transitions", index, "parameters", position, "key"],
            `parameter key "${parameter.key}" of transition "${transition.key}" is already used by ` +
              `transitions[${index}].parameters[${seen}]; parameter keys must be unique per transition`,
          ),
        );
    }
  }
}
