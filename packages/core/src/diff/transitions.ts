import type { Transition } from "../model.ts";
import type { Change, ExtensionMode } from "./changes.ts";
import { extensionChanges, pushExtensionChanges } from "./extensions.ts";
import { duplicate, pushFieldChanges } from "./keyed.ts";
import { sameTransition } from "./same.ts";
import { canonicalTransition, TRANSITION_FIELDS, transitionFields } from "./values.ts";

export function compareTransition(
  out: Change[],
  workflow: string,
  before: Transition,
  after: Transition,
  mode: ExtensionMode,
): void {
  const differs = !sameTransition(before, after);
  const extensions = extensionChanges(before.extensions, after.extensions, mode);
  if (!differs && extensions.length === 0) return;
  const base = {
    path: [workflow, "states", after.from, "transitions", after.key],
    workflow,
    state: after.from,
    transition: { from: after.from, key: after.key },
  };
  if (differs) {
    pushFieldChanges(
      out,
      TRANSITION_FIELDS,
      transitionFields(before),
      transitionFields(after),
      base,
      "transition_changed",
    );
  }
  pushExtensionChanges(out, extensions, base, "transition_changed");
}

/**
 * Transitions indexed by key, then by source state: no composite string is built per transition
 * (this runs for every transition of every workflow). Usually one transition per key.
 */
export class TransitionIndex {
  /** A key's one transition, or several when the key leaves more than one state. */
  readonly #byKey = new Map<string, Transition | Transition[]>();
  readonly order: Transition[] = [];
  get(from: string, key: string): Transition | undefined {
    const found = this.#byKey.get(key);
    if (found === undefined) return undefined;
    if (!Array.isArray(found)) return found.from === from ? found : undefined;
    for (const transition of found) if (transition.from === from) return transition;
    return undefined;
  }
  /** Adds it, or returns false when a transition with the same from and key is already here. */
  add(transition: Transition): boolean {
    const found = this.#byKey.get(transition.key);
    if (found === undefined) this.#byKey.set(transition.key, transition);
    else if (!Array.isArray(found)) {
      if (found.from === transition.from) return false;
      this.#byKey.set(transition.key, [found, transition]);
    } else {
      for (const other of found) if (other.from === transition.from) return false;
      found.push(transition);
    }
    this.order.push(transition);
    return true;
  }
}

export function diffTransitions(
  out: Change[],
  workflow: string,
  current: readonly Transition[],
  desired: readonly Transition[],
  mode: ExtensionMode,
): void {
  const n = Math.min(current.length, desired.length);
  const where = (t: Transition) => [workflow, "states", t.from, "transitions", t.key];
  // A paired prefix (same from and key at the same position) holds the same ids on both sides.
  const prefix = new TransitionIndex();
  let i = 0;
  for (; i < n; i++) {
    const before = current[i] as Transition;
    const after = desired[i] as Transition;
    if (before.key !== after.key || before.from !== after.from) break;
    if (!prefix.add(after)) throw duplicate(where(after));
    compareTransition(out, workflow, before, after, mode);
  }
  if (i === current.length && i === desired.length) return;
  const rest = (items: readonly Transition[]) => {
    const index = new TransitionIndex();
    for (let position = i; position < items.length; position++) {
      const item = items[position]!;
      if (prefix.get(item.from, item.key) || !index.add(item)) throw duplicate(where(item));
    }
    return index;
  };
  const currentRest = rest(current);
  const desiredRest = rest(desired);
  for (const after of desiredRest.order) {
    const before = currentRest.get(after.from, after.key);
    if (before) compareTransition(out, workflow, before, after, mode);
    else {
      out.push({
        kind: "transition_added",
        path: where(after),
        workflow,
        state: after.from,
        transition: { from: after.from, key: after.key },
        before: null,
        after: canonicalTransition(after),
      });
    }
  }
  for (const before of currentRest.order) {
    if (desiredRest.get(before.from, before.key)) continue;
    out.push({
      kind: "transition_removed",
      path: where(before),
      workflow,
      state: before.from,
      transition: { from: before.from, key: before.key },
      before: canonicalTransition(before),
      after: null,
    });
  }
}
