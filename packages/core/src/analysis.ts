import { mayFire, stateOf } from "./engine.ts";
import type { StateKind, Transition, Workflow } from "./model.ts";

/*
 * Questions about the shape of a workflow: who can get content where, which states are dead ends,
 * and whether a review step can be bypassed. Breadth-first searches, deterministic: states are
 * visited in order of discovery and the transitions leaving a state are tried in key order, so
 * the same workflow always gives the same (shortest) witness path.
 *
 * Guards are not judged here (they depend on facts about one piece of content): a guarded
 * transition counts as a possible move. Stay transitions (`to: null`) move nothing and are skipped.
 */

export interface AnalysisOptions {
  /**
   * Use only the transitions that an actor holding these roles may fire (the engine's rule: the
   * source state's roles and the transition's roles each empty or shared). Absent: anyone, every
   * transition counts.
   */
  roles?: readonly string[];
}

export interface ReachOptions extends AnalysisOptions {
  /** Where to start; default: the workflow's `initial` state. */
  from?: string;
}

/** Kinds that end the "reach published" obligation (see docs/mapping-decisions.md). */
export const TERMINAL_KINDS: readonly StateKind[] = ["published", "archived", "scheduled"];

/** One step of a witness path: the transition (by source state and key) that was taken. */
export interface TransitionRef {
  from: string;
  key: string;
}

export interface Bypass {
  /** State keys from the start to a published state, never entering the avoided state. */
  path: string[];
  /** The transitions taken, one fewer than `path`. */
  transitions: TransitionRef[];
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** State key → moves leaving it (key order), restricted to the given roles. */
function graph(workflow: Workflow, roles: readonly string[] | undefined): Map<string, Transition[]> {
  const known = new Map(workflow.states.map((state) => [state.key, state]));
  const edges = new Map<string, Transition[]>();
  for (const state of workflow.states) edges.set(state.key, []);
  for (const transition of workflow.transitions) {
    const source = known.get(transition.from);
    if (!source || transition.to === null || !known.has(transition.to)) continue;
    if (roles !== undefined && !mayFire(source, transition, roles)) continue;
    edges.get(source.key)?.push(transition);
  }
  for (const moves of edges.values()) if (moves.length > 1) moves.sort((a, b) => compare(a.key, b.key));
  return edges;
}

interface Found {
  path: string[];
  transitions: TransitionRef[];
}

/**
 * Breadth-first search from `start` to the first state that satisfies `isGoal`, never entering a
 * state in `avoid`.
 */
function search(
  edges: Map<string, Transition[]>,
  start: string,
  isGoal: (state: string) => boolean,
  avoid?: string,
): Found | undefined {
  if (start === avoid) return undefined;
  const cameBy = new Map<string, Transition | null>([[start, null]]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head]!;
    if (isGoal(current)) return unwind(cameBy, current);
    for (const move of edges.get(current) ?? []) {
      const next = move.to!;
      if (next === avoid || cameBy.has(next)) continue;
      cameBy.set(next, move);
      queue.push(next);
    }
  }
  return undefined;
}

function unwind(cameBy: Map<string, Transition | null>, end: string): Found {
  const path = [end];
  const transitions: TransitionRef[] = [];
  for (let move = cameBy.get(end); move; move = cameBy.get(move.from)) {
    path.unshift(move.from);
    transitions.unshift({ from: move.from, key: move.key });
  }
  return { path, transitions };
}

/**
 * The shortest path of state keys from `from` to `to` (both included; `[from]` when they are the
 * same) using only transitions the given roles may fire, or `undefined` when there is none.
 *
 * @throws UnknownStateError when `from` or `to` is not a state of the workflow.
 */
export function findPath(
  workflow: Workflow,
  from: string,
  to: string,
  options: AnalysisOptions = {},
): string[] | undefined {
  stateOf(workflow, from);
  stateOf(workflow, to);
  return search(graph(workflow, options.roles), from, (state) => state === to)?.path;
}

/** Whether content can get from `from` to `to` (see `findPath`). */
export function canReach(
  workflow: Workflow,
  from: string,
  to: string,
  options: AnalysisOptions = {},
): boolean {
  return findPath(workflow, from, to, options) !== undefined;
}

/**
 * Every state reachable from `options.from` (default: `initial`), the start included, using only
 * transitions the given roles may fire.
 *
 * @throws UnknownStateError when the start is not a state of the workflow.
 */
export function reachableStates(workflow: Workflow, options: ReachOptions = {}): Set<string> {
  const start = options.from ?? workflow.initial;
  stateOf(workflow, start);
  const edges = graph(workflow, options.roles);
  const seen = new Set([start]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    for (const move of edges.get(queue[head]!) ?? []) {
      if (!seen.has(move.to!)) {
        seen.add(move.to!);
        queue.push(move.to!);
      }
    }
  }
  return seen;
}

/**
 * States (other than kinds `published`, `archived` and `scheduled`) from which no `published`
 * state can be reached through any transition, in document order. Content that lands there is
 * stuck. A workflow without a published state makes every such state a dead end.
 */
export function deadEnds(workflow: Workflow): string[] {
  // Walk backwards from the published states.
  const into = new Map<string, string[]>();
  for (const [from, moves] of graph(workflow, undefined)) {
    for (const move of moves) {
      const list = into.get(move.to!);
      if (list) list.push(from);
      else into.set(move.to!, [from]);
    }
  }
  const canPublish = new Set(
    workflow.states.filter((state) => state.kind === "published").map((state) => state.key),
  );
  const queue = [...canPublish];
  for (let head = 0; head < queue.length; head++) {
    for (const previous of into.get(queue[head]!) ?? []) {
      if (!canPublish.has(previous)) {
        canPublish.add(previous);
        queue.push(previous);
      }
    }
  }
  const dead = new Set<string>();
  for (const state of workflow.states) {
    if (TERMINAL_KINDS.includes(state.kind) || canPublish.has(state.key)) continue;
    dead.add(state.key);
  }
  return [...dead];
}

/**
 * Separation of duties: a path from `options.from` (default: `initial`) to a `published` state
 * that never enters `avoid` (e.g. a legal review step), using only transitions the given roles
 * may fire. Returns the shortest such path with the transitions taken (the witness), or
 * `undefined` when every way to publish goes through `avoid` (or the start is `avoid` itself).
 *
 * @throws UnknownStateError when `avoid` or the start is not a state of the workflow.
 */
export function findBypass(
  workflow: Workflow,
  avoid: string,
  options: ReachOptions = {},
): Bypass | undefined {
  stateOf(workflow, avoid);
  const start = options.from ?? workflow.initial;
  stateOf(workflow, start);
  const published = new Set(
    workflow.states.filter((state) => state.kind === "published").map((state) => state.key),
  );
  return search(graph(workflow, options.roles), start, (state) => published.has(state), avoid);
}
