import { TERMINAL_KINDS } from "../analysis.ts";
import type { Issue } from "../issues.ts";
import type { Workflow } from "../model.ts";
import { graph } from "./graph.ts";
import { error, warning } from "./issue.ts";

/*
 * Where content can go: walks over the state graph of `linkTransitions` (graph.ts), the same
 * answers as analysis.ts's `deadEnds` and `reachableStates` (rules.test.ts compares them).
 */

/**
 * Every state can reach a published state (kinds published, archived and scheduled exempt), as
 * errors: walk back from the published states (the first state of each key) along the transitions.
 */
export function checkReachesPublished(workflow: Workflow, issues: Issue[]): void {
  const { states, transitions } = workflow;
  const stateCount = states.length;
  const { backward, dead, first, from, queue } = graph;
  graph.rows(graph.to, transitions.length, stateCount, graph.inStart, graph.inItems);
  backward.fill(0, 0, stateCount);
  dead.fill(0, 0, stateCount);
  let tail = 0;
  for (let index = 0; index < stateCount; index++) {
    if (states[index]!.kind === "published" && first[index] === index) {
      backward[index] = 1;
      queue[tail++] = index;
    }
  }
  graph.walk(backward, tail, graph.inStart, graph.inItems, from);
  // A key is stuck when any state with it is stuck; every state with a stuck key is reported.
  for (let index = 0; index < stateCount; index++) {
    if (!TERMINAL_KINDS.includes(states[index]!.kind) && !backward[first[index]!]) dead[first[index]!] = 1;
  }
  for (let index = 0; index < stateCount; index++) {
    const state = states[index]!;
    if (dead[first[index]!]) {
      issues.push(
        error(
          "cannot_reach_published",
          ["states", index],
          `no state of kind "published" can be reached from state "${state.key}": content there is stuck ` +
            "(every state except kinds published, archived and scheduled must lead to a published state)",
        ),
      );
    }
  }
}

/**
 * States that cannot be reached from `initial` (the state at `initialIndex`), as warnings; kind
 * scheduled is exempt (the vendor's scheduler moves content into it).
 */
export function checkUnreachable(workflow: Workflow, initialIndex: number, issues: Issue[]): void {
  const { states } = workflow;
  const { first, forward, queue } = graph;
  forward.fill(0, 0, states.length);
  forward[initialIndex] = 1;
  queue[0] = initialIndex;
  graph.walk(forward, 1, graph.outStart, graph.outItems, graph.to);
  for (let index = 0; index < states.length; index++) {
    const state = states[index]!;
    if (state.kind !== "scheduled" && !forward[first[index]!]) {
      issues.push(
        warning(
          "unreachable_state",
          ["states", index],
          `state "${state.key}" cannot be reached from the initial state "${workflow.initial}"`,
        ),
      );
    }
  }
}
