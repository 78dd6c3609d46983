import type { Workflow } from "./model.ts";

/*
 * The permission relation of a workflow: who may move content from which state to which. A
 * workflow means the same thing about permissions as another exactly when their relations are
 * equal, and it allows no more when its relation is a subset. Mappings between vendors must give a
 * target whose relation is a subset of the source's: they may narrow (reported as a loss), never
 * widen.
 *
 * Semantics (docs/mapping-decisions.md, "Roles"): an actor may fire a transition when the source
 * state's `roles` is empty or shares a role with the actor, and the transition's `roles` is empty
 * or shares one. Empty means anyone. A transition that stays (`to: null`) is a move to the same
 * state.
 */

/** Stands for every role ("anyone") in a move. */
export const ANY_ROLE = "*";

/**
 * A role nobody holds: `roles: [NO_ROLE]` on a transition means nobody may fire it (a Contensis
 * event that no role is granted). An empty list means anyone, so "nobody" needs a name of its own;
 * the engine needs no rule for it (no actor holds it).
 */
export const NO_ROLE = "(nobody)";

/** One allowed move: `role` (a role name, or `ANY_ROLE`) may move content from `from` to `to`. */
export interface Move {
  role: string;
  from: string;
  to: string;
}

/**
 * The roles that may fire a transition from a state with `stateRoles`: `undefined` for anyone,
 * otherwise the (possibly empty: nobody) list of role names.
 */
export function effectiveRoles(
  stateRoles: readonly string[],
  transitionRoles: readonly string[],
): string[] | undefined {
  if (stateRoles.includes(NO_ROLE) || transitionRoles.includes(NO_ROLE)) return [];
  if (stateRoles.length === 0 && transitionRoles.length === 0) return undefined;
  if (stateRoles.length === 0) return [...new Set(transitionRoles)].sort();
  if (transitionRoles.length === 0) return [...new Set(stateRoles)].sort();
  return [...new Set(transitionRoles.filter((role) => stateRoles.includes(role)))].sort();
}

const moveKey = (move: Move) => `${move.role}\u0000${move.from}\u0000${move.to}`;

/** Every move a workflow allows, unique and sorted (role, from, to). */
export function permissionRelation(workflow: Workflow): Move[] {
  const roles = new Map(workflow.states.map((state) => [state.key, state.roles]));
  const moves = new Map<string, Move>();
  for (const transition of workflow.transitions) {
    const to = transition.to ?? transition.from;
    const who = effectiveRoles(roles.get(transition.from) ?? [], transition.roles);
    for (const role of who ?? [ANY_ROLE]) {
      const move = { role, from: transition.from, to };
      moves.set(moveKey(move), move);
    }
  }
  return [...moves.values()].sort((a, b) => (moveKey(a) < moveKey(b) ? -1 : moveKey(a) > moveKey(b) ? 1 : 0));
}

export interface SubRelationOptions {
  /**
   * Kinds of source states a target may not hold, through which a target move may pass: a target
   * move `f → t` is allowed when the source allows `f → a` and `a → t` to the same role for such a
   * state `a` (Kontent.ai's archive-then-restore, one Contensis event). Default: none.
   */
  through?: ReadonlyArray<Workflow["states"][number]["kind"]>;
}

/**
 * The moves of `target` that `source` does not allow (empty: `target` allows no more than
 * `source`). A move by a named role is allowed when the source allows it to that role or to
 * anyone; a move by anyone only when the source allows it to anyone.
 */
export function widenedMoves(source: Workflow, target: Workflow, options: SubRelationOptions = {}): Move[] {
  const allowed = new Set(permissionRelation(source).map(moveKey));
  const allows = (role: string, from: string, to: string) =>
    allowed.has(moveKey({ role, from, to })) ||
    (role !== ANY_ROLE && allowed.has(moveKey({ role: ANY_ROLE, from, to })));
  const via = source.states
    .filter((state) => options.through?.includes(state.kind))
    .map((state) => state.key);
  return permissionRelation(target).filter(
    (move) =>
      !allows(move.role, move.from, move.to) &&
      !via.some((middle) => allows(move.role, move.from, middle) && allows(move.role, middle, move.to)),
  );
}

/** Whether `target` allows no move that `source` does not (see `widenedMoves`). */
export function isSubRelation(source: Workflow, target: Workflow, options: SubRelationOptions = {}): boolean {
  return widenedMoves(source, target, options).length === 0;
}
