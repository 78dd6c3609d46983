import type { Transition, Workflow } from "../model.ts";

/*
 * checkWorkflow runs for every document of a large set, and nearly every document is sound. So the
 * checks work on integer state indices in typed arrays that are reused from call to call (no
 * string, array or closure per transition), and the two reports that need real bookkeeping
 * (duplicate transition keys, duplicate transitions) run only when a cheap scan of the outgoing
 * rows finds a candidate. The property tests in rules.test.ts compare these checks with the plain
 * algorithms (analysis.ts for reachability, a Map per key or pair of ends for the duplicates).
 */

/** A transition's end that names no state. */
export const NO_STATE = -1;
/** The `to` of a stay transition (`to: null`). */
export const STAY = -2;
/** Rows longer than this are not scanned pairwise for repeats (the exact, Map-based check runs). */
export const MAX_SCANNED_ROW = 32;

/**
 * One workflow's transitions between integer state indices (a state's index is the index of the
 * first state with its key), with the transitions grouped by source and by target state in
 * compressed rows: the transitions leaving state `s` are `outItems[outStart[s] .. outStart[s + 1])`.
 * Its arrays are reused by the next check (checkWorkflow is synchronous) and grow to the largest
 * workflow checked: read them only during one check.
 */
export class StateGraph {
  #states = -1;
  #transitions = -1;
  /** Per state: the index of the first state with the same key. */
  first = new Int32Array(0);
  /** Per transition: the state named by `from` (or NO_STATE) and by `to` (or NO_STATE, STAY). */
  from = new Int32Array(0);
  to = new Int32Array(0);
  outStart = new Int32Array(0);
  outItems = new Int32Array(0);
  inStart = new Int32Array(0);
  inItems = new Int32Array(0);
  /** Work space for the rows and the walks. */
  fill = new Int32Array(0);
  queue = new Int32Array(0);
  forward = new Uint8Array(0);
  backward = new Uint8Array(0);
  dead = new Uint8Array(0);

  /** Room for `states` states and `transitions` transitions (contents unspecified). */
  reserve(states: number, transitions: number): void {
    if (states > this.#states) {
      const size = Math.max(states, 2 * this.#states, 64);
      this.#states = size;
      this.first = new Int32Array(size);
      this.outStart = new Int32Array(size + 1);
      this.inStart = new Int32Array(size + 1);
      this.fill = new Int32Array(size);
      this.queue = new Int32Array(size);
      this.forward = new Uint8Array(size);
      this.backward = new Uint8Array(size);
      this.dead = new Uint8Array(size);
    }
    if (transitions > this.#transitions) {
      const size = Math.max(transitions, 2 * this.#transitions, 256);
      this.#transitions = size;
      this.from = new Int32Array(size);
      this.to = new Int32Array(size);
      this.outItems = new Int32Array(size);
      this.inItems = new Int32Array(size);
    }
  }

  /** Groups the transitions `t` with `rowOf[t] >= 0` into rows by `rowOf[t]`, in document order. */
  rows(rowOf: Int32Array, transitions: number, states: number, start: Int32Array, items: Int32Array): void {
    start.fill(0, 0, states + 1);
    for (let t = 0; t < transitions; t++) {
      const row = rowOf[t]!;
      if (row >= 0) start[row + 1]!++;
    }
    const fill = this.fill;
    for (let row = 0; row < states; row++) {
      fill[row] = start[row]!;
      start[row + 1]! += start[row]!;
    }
    for (let t = 0; t < transitions; t++) {
      const row = rowOf[t]!;
      if (row >= 0) items[fill[row]!++] = t;
    }
  }

  /**
   * Marks in `seen` every state reachable from the `tail` states in `queue` (already marked),
   * following the rows `start`/`items` to `next[transition]`.
   */
  walk(seen: Uint8Array, tail: number, start: Int32Array, items: Int32Array, next: Int32Array): void {
    const queue = this.queue;
    for (let head = 0; head < tail; head++) {
      const state = queue[head]!;
      for (let edge = start[state]!, end = start[state + 1]!; edge < end; edge++) {
        const to = next[items[edge]!]!;
        if (to >= 0 && !seen[to]) {
          seen[to] = 1;
          queue[tail++] = to;
        }
      }
    }
  }
}

export const graph = new StateGraph();

/**
 * Whether two transitions leaving one state may share a key or a target (`to`); false is certain.
 * Rows are scanned pairwise (they are short); a long row answers true.
 */
export function mayRepeatInRows(
  transitions: readonly Transition[],
  states: number,
  what: "key" | "to",
): boolean {
  const { outStart, outItems, to } = graph;
  for (let row = 0; row < states; row++) {
    const begin = outStart[row]!;
    const end = outStart[row + 1]!;
    if (end - begin > MAX_SCANNED_ROW) return true;
    for (let a = begin; a < end; a++) {
      if (what === "key") {
        const key = transitions[outItems[a]!]!.key;
        for (let b = a + 1; b < end; b++) if (transitions[outItems[b]!]!.key === key) return true;
      } else {
        const target = to[outItems[a]!]!;
        if (target < 0) continue;
        for (let b = a + 1; b < end; b++) if (to[outItems[b]!] === target) return true;
      }
    }
  }
  return false;
}

/**
 * Each transition's ends as state indices in `graph.from` / `graph.to` (`firstState`: a key's
 * first state), once (the checks read only these), and the rows of outgoing transitions. Whether
 * every `from` names a state.
 */
export function linkTransitions(workflow: Workflow, firstState: ReadonlyMap<string, number>): boolean {
  const { transitions } = workflow;
  const { from, to } = graph;
  let everyFromKnown = true;
  for (let index = 0; index < transitions.length; index++) {
    const transition = transitions[index]!;
    const source = firstState.get(transition.from);
    if (source === undefined) everyFromKnown = false;
    from[index] = source ?? NO_STATE;
    to[index] = transition.to === null ? STAY : (firstState.get(transition.to) ?? NO_STATE);
  }
  graph.rows(from, transitions.length, workflow.states.length, graph.outStart, graph.outItems);
  return everyFromKnown;
}
