import type { State } from "../model.ts";
import type { Change, ExtensionMode } from "./changes.ts";
import { extensionChanges, pushExtensionChanges } from "./extensions.ts";
import { indexBy, pushFieldChanges } from "./keyed.ts";
import { sameState } from "./same.ts";
import { canonicalState, STATE_FIELDS, stateFields } from "./values.ts";

/*
 * Each collection is walked in step while both sides hold the same keys at the same positions (the
 * usual case: two reads of one source keep its order), then the rest is matched through Maps.
 */

export function compareState(
  out: Change[],
  workflow: string,
  before: State,
  after: State,
  mode: ExtensionMode,
): void {
  const differs = !sameState(before, after);
  const extensions = extensionChanges(before.extensions, after.extensions, mode);
  if (!differs && extensions.length === 0) return;
  const base = { path: [workflow, "states", after.key], workflow, state: after.key };
  if (differs)
    pushFieldChanges(out, STATE_FIELDS, stateFields(before), stateFields(after), base, "state_changed");
  pushExtensionChanges(out, extensions, base, "state_changed");
}

export function diffStates(
  out: Change[],
  workflow: string,
  current: readonly State[],
  desired: readonly State[],
  mode: ExtensionMode,
): void {
  const n = Math.min(current.length, desired.length);
  let i = 0;
  for (; i < n; i++) {
    const before = current[i] as State;
    const after = desired[i] as State;
    if (before.key !== after.key) break;
    compareState(out, workflow, before, after, mode);
  }
  const key = (s: State) => s.key;
  const where = (s: State) => [workflow, "states", s.key];
  // keys must be unique (a paired prefix holds the same keys on both sides: one side is checked)
  const prefix = indexBy(desired.slice(0, i), key, where);
  if (i === current.length && i === desired.length) return;
  const currentRest = indexBy(current.slice(i), key, where, prefix);
  const desiredRest = indexBy(desired.slice(i), key, where, prefix);
  for (const [key, after] of desiredRest) {
    const before = currentRest.get(key);
    if (before) compareState(out, workflow, before, after, mode);
    else {
      out.push({
        kind: "state_added",
        path: [workflow, "states", key],
        workflow,
        state: key,
        before: null,
        after: canonicalState(after),
      });
    }
  }
  for (const [key, before] of currentRest) {
    if (desiredRest.has(key)) continue;
    out.push({
      kind: "state_removed",
      path: [workflow, "states", key],
      workflow,
      state: key,
      before: canonicalState(before),
      after: null,
    });
  }
}
