import { TERMINAL_KINDS } from "../analysis.ts";
import { stableStringify } from "../canonical.ts";
import type { Issue, Path } from "../issues.ts";
import { hasErrors } from "../issues.ts";
import type { Transition, Workflow } from "../model.ts";
import { parseWorkflow } from "../parse.ts";
import type { VendorProfile } from "../profile.ts";

/*
 * Semantic checks (what zod cannot say) and portability checks (what a vendor cannot hold: each
 * vendor adapter's `VendorProfile`, see profile.ts). Every issue's path is index-based into the
 * document (`["transitions", 3, "to"]`) so that a reader finds the spot in the file, and every
 * message names the keys involved.
 */

/** Options of `checkWorkflow` and `validateWorkflow`. */
export interface CheckOptions {
  /** Also run these vendors' portability checks (none by default); each adapter exports its profile. */
  profiles?: readonly VendorProfile[];
}

const quoted = (values: readonly string[]) => values.map((value) => `"${value}"`).join(", ");
const known = (values: readonly string[], what: string) =>
  values.length === 0 ? `no ${what} are defined` : `${what}: ${values.join(", ")}`;

function error(code: Issue["code"], path: Path, message: string): Issue {
  return { code, path, message, severity: "error" };
}
function warning(code: Issue["code"], path: Path, message: string): Issue {
  return { code, path, message, severity: "warning" };
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

/*
 * checkWorkflow runs for every document of a large set, and nearly every document is sound. So the
 * checks work on integer state indices in typed arrays that are reused from call to call (no
 * string, array or closure per transition), and the two reports that need real bookkeeping
 * (duplicate transition keys, duplicate transitions) run only when a cheap scan of the outgoing
 * rows finds a candidate. The property tests in rules.test.ts compare these checks with the plain
 * algorithms (analysis.ts for reachability, a Map per key or pair of ends for the duplicates).
 */

/** A transition's end that names no state. */
const NO_STATE = -1;
/** The `to` of a stay transition (`to: null`). */
const STAY = -2;
/** Rows longer than this are not scanned pairwise for repeats (the exact, Map-based check runs). */
const MAX_SCANNED_ROW = 32;

/**
 * One workflow's transitions between integer state indices (a state's index is the index of the
 * first state with its key), with the transitions grouped by source and by target state in
 * compressed rows: the transitions leaving state `s` are `outItems[outStart[s] .. outStart[s + 1])`.
 * Its arrays are reused by the next check (checkWorkflow is synchronous) and grow to the largest
 * workflow checked: read them only during one check.
 */
class StateGraph {
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

const graph = new StateGraph();

/**
 * Whether two transitions leaving one state may share a key or a target (`to`); false is certain.
 * Rows are scanned pairwise (they are short); a long row answers true.
 */
function mayRepeatInRows(transitions: readonly Transition[], states: number, what: "key" | "to"): boolean {
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

/**
 * The semantic checks of one parsed workflow. Errors unless noted:
 * - unique state keys, transition keys per source state, group keys, parameter keys per transition;
 * - no dangling reference (`initial`, a transition's `from`, `to` and `group`);
 * - exactly one state of kind `initial`, and `initial` names it;
 * - at least one state of kind `published`;
 * - every state can reach a published state (kinds published, archived and scheduled exempt);
 * - warning: a state that cannot be reached from `initial` (kind scheduled exempt: the vendor's
 *   scheduler moves content into it);
 * - warning: two transitions with the same from, to, roles and guard under different keys (stay
 *   transitions exempt: what they do lies in the vendor action they stand for, e.g. Contensis
 *   `sysUpdate` saves and `sysDelete` deletes);
 * - warning: a required parameter without `requiredMessage`.
 *
 * Then the portability checks of `options.profiles`, if any (`checkPortability`).
 */
export function checkWorkflow(workflow: Workflow, options: CheckOptions = {}): Issue[] {
  const issues: Issue[] = [];
  const { states, transitions, groups } = workflow;
  const stateCount = states.length;
  const transitionCount = transitions.length;
  graph.reserve(stateCount, transitionCount);
  const { first, from, to } = graph;
  // Only error messages list the known keys: computed when one is written.
  let stateKeysCache: string[] | undefined;
  let groupKeysCache: string[] | undefined;
  const keysOf = {
    get states() {
      stateKeysCache ??= [...new Set(states.map((state) => state.key))];
      return stateKeysCache;
    },
    get groups() {
      groupKeysCache ??= [...new Set(groups.map((group) => group.key))];
      return groupKeysCache;
    },
  };

  // Unique keys.
  const firstState = new Map<string, number>();
  for (let index = 0; index < stateCount; index++) {
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
  // Each transition's ends as state indices, once (the checks below read only these).
  let everyFromKnown = true;
  for (let index = 0; index < transitionCount; index++) {
    const transition = transitions[index]!;
    const source = firstState.get(transition.from);
    if (source === undefined) everyFromKnown = false;
    from[index] = source ?? NO_STATE;
    to[index] = transition.to === null ? STAY : (firstState.get(transition.to) ?? NO_STATE);
  }
  graph.rows(from, transitionCount, stateCount, graph.outStart, graph.outItems);
  // A key repeats from one state only if it repeats within a row (when every `from` names a state).
  if (!everyFromKnown || mayRepeatInRows(transitions, stateCount, "key")) {
    duplicateTransitionKeys(transitions, issues);
  }
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
  for (let index = 0; index < transitionCount; index++) {
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

  // Dangling references.
  const initialIndex = firstState.get(workflow.initial);
  if (initialIndex === undefined) {
    issues.push(
      error(
        "dangling_reference",
        ["initial"],
        `initial names "${workflow.initial}", which is not a state key (${known(keysOf.states, "states")})`,
      ),
    );
  }
  for (let index = 0; index < transitionCount; index++) {
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

  // Exactly one initial state, named by `initial`.
  const initials: number[] = [];
  let hasPublished = false;
  for (let index = 0; index < stateCount; index++) {
    const kind = states[index]!.kind;
    if (kind === "initial") initials.push(index);
    else if (kind === "published") hasPublished = true;
  }
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

  // A published state, and every state can get there: walk back from the published states (the
  // first state of each key) along the transitions (analysis.ts's `deadEnds`).
  if (!hasPublished) {
    issues.push(
      error(
        "no_published_state",
        ["states"],
        'no state has kind "published"; a workflow needs one so that content can be published',
      ),
    );
  } else {
    graph.rows(to, transitionCount, stateCount, graph.inStart, graph.inItems);
    const { backward, dead, queue } = graph;
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

  // Unreachable states (analysis.ts's `reachableStates` from `initial`).
  if (initialIndex !== undefined) {
    const { forward, queue } = graph;
    forward.fill(0, 0, stateCount);
    forward[initialIndex] = 1;
    queue[0] = initialIndex;
    graph.walk(forward, 1, graph.outStart, graph.outItems, to);
    for (let index = 0; index < stateCount; index++) {
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

  // Duplicate transitions: only transitions with the same ends can be duplicates.
  if (mayRepeatInRows(transitions, stateCount, "to")) duplicateTransitions(transitions, stateCount, issues);

  // Required parameters without a message.
  for (let index = 0; index < transitionCount; index++) {
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

  if (options.profiles !== undefined && options.profiles.length > 0) {
    issues.push(...portabilityIssues(workflow, options.profiles));
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Portability: each vendor's rules live in its adapter's profile (profile.ts).

/**
 * What the vendor of `profile` cannot hold, as warnings tagged with the vendor; each message names
 * the rule and its limit. A warning here becomes a loss when the workflow is written to that vendor.
 */
export function checkPortability(workflow: Workflow, profile: VendorProfile): Issue[] {
  if (typeof profile !== "object" || profile === null || typeof profile.checkPortability !== "function") {
    throw new TypeError(
      `checkPortability: pass a vendor profile (each vendor adapter exports one), not ${JSON.stringify(profile)}`,
    );
  }
  return profile.checkPortability(workflow);
}

/** The portability issues of `workflow` for each profile, in order; a profile given twice counts once. */
function portabilityIssues(workflow: Workflow, profiles: readonly VendorProfile[]): Issue[] {
  return [...new Set(profiles)].flatMap((profile) => checkPortability(workflow, profile));
}

export interface ValidationResult {
  /** No issue of severity `error` (warnings are allowed). */
  ok: boolean;
  /** The parsed workflow (defaults applied) when the document has the model's shape. */
  value?: Workflow;
  issues: Issue[];
}

/**
 * Parse (zod), then the semantic checks, then the portability checks of `options.profiles` (none
 * by default). Semantic and portability checks run only on a document that parses.
 */
export function validateWorkflow(input: unknown, options: CheckOptions = {}): ValidationResult {
  if (Object.hasOwn(options, "vendors")) {
    throw new TypeError(
      "validateWorkflow: options.vendors is gone; pass options.profiles (each vendor adapter exports its profile)",
    );
  }
  const parsed = parseWorkflow(input);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  const issues = checkWorkflow(parsed.value, options);
  return { ok: !hasErrors(issues), value: parsed.value, issues };
}

/** Checks across a set of workflows (one environment or folder): duplicate workflow keys. Paths start with the index in the set. */
export function checkWorkflowSet(workflows: readonly Workflow[]): Issue[] {
  const issues: Issue[] = [];
  const first = new Map<string, number>();
  workflows.forEach((workflow, index) => {
    const seen = first.get(workflow.key);
    if (seen === undefined) first.set(workflow.key, index);
    else
      issues.push(
        error(
          "duplicate_key",
          [index, "key"],
          `workflow key "${workflow.key}" is already used by workflow [${seen}]; workflow keys must be unique in a set`,
        ),
      );
  });
  return issues;
}
