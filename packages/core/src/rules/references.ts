import type { Issue } from "../issues.ts";
import type { Workflow } from "../model.ts";
import { graph, NO_STATE } from "./graph.ts";
import { error, known } from "./issue.ts";

/* No dangling reference: `initial`, and each transition's `from`, `to` and `group` name a key. */

/** The keys a message lists as the known ones, computed only when a message is written. */
class KnownKeys {
  #states: string[] | undefined;
  #groups: string[] | undefined;
  readonly #workflow: Workflow;
  constructor(workflow: Workflow) {
    this.#workflow = workflow;
  }
  get states(): string[] {
    this.#states ??= [...new Set(this.#workflow.states.map((state) => state.key))];
    return this.#states;
  }
  get groups(): string[] {
    this.#groups ??= [...new Set(this.#workflow.groups.map((group) => group.key))];
    return this.#groups;
  }
}

/** Dangling references, as errors; needs `graph.from` / `graph.to` from `linkTransitions`. */
export function checkReferences(
  workflow: Workflow,
  initialIndex: number | undefined,
  firstGroup: ReadonlyMap<string, number>,
  issues: Issue[],
): void {
  const keysOf = new KnownKeys(workflow);
  if (initialIndex === undefined) {
    issues.push(
      error(
        "dangling_reference",
        ["initial"],
        `initial names "${workflow.initial}", which is not a state key (${known(keysOf.states, "states")})`,
      ),
    );
  }
  const { from, to } = graph;
  const { transitions } = workflow;
  for (let index = 0; index < transitions.length; index++) {
    const transition = transitions[index]!;
    if (from[index] === NO_STATE) {
      issues.push(
        error(
          "dangling_reference",
          ["transitions", index, "from"],
          `transition "${transition.key}": from names "${transition.from}", which is not a state key ` +
            `(${known(keysOf.states, "states")})`,
        ),
      );
    }
    if (to[index] === NO_STATE) {
      issues.push(
        error(
          "dangling_reference",
          ["transitions", index, "to"],
          `transition "${transition.key}" from "${transition.from}": to names "${transition.to}", which is not ` +
            `a state key (${known(keysOf.states, "states")})`,
        ),
      );
    }
    if (transition.group !== undefined && !firstGroup.has(transition.group)) {
      issues.push(
        error(
          "dangling_reference",
          ["transitions", index, "group"],
          `transition "${transition.key}" from "${transition.from}": group names "${transition.group}", which ` +
            `is not a group key (${known(keysOf.groups, "groups")})`,
        ),
      );
    }
  }
}
