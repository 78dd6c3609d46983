import type { WantedGrant, WorkflowGrants } from "./grants.ts";
import { grantsFromRoles } from "./roles.ts";
import type { ContensisRole } from "./wire.ts";

/*
 * Role writes come in two steps around the definition writes, so that no moment of an apply lets a
 * role do more than both the target before it and the source allow (docs/mapping-decisions.md,
 * "Between the writes"):
 *
 *   1. before any definition is written: each role keeps, of the synced workflows' action strings,
 *      only the grants that it holds now AND that the source wants (same role, a scope at least as
 *      wide): grants are only taken away. An old grant on an event id that the new definition
 *      reuses for another move, or that the source gives to other roles, is gone before that event
 *      exists in its new meaning.
 *   2. the definitions are written (new events are granted to nobody yet: narrower);
 *   3. after them: the grants the source wants are added (`planPermissions`, as before).
 */

const covers = (held: string[] | undefined, wanted: string[] | undefined) =>
  held === undefined || (wanted?.every((item) => held.includes(item)) ?? false);

/**
 * What a workflow may keep granted on `roles` before its definition is written: the wanted grants
 * that the roles already hold (with a scope covering the wanted one). Every other grant of the
 * workflow's actions goes.
 */
export function narrowingGrants(wanted: WorkflowGrants, roles: readonly ContensisRole[]): WorkflowGrants {
  const held = grantsFromRoles(roles);
  const actions = new Map<string, WantedGrant[]>();
  for (const [action, grants] of wanted.actions) {
    const parts = action.slice(wanted.workflowId.length + 1).split(".");
    const current =
      parts.length === 2
        ? held(wanted.workflowId, parts[0], parts[1]!)
        : held(wanted.workflowId, undefined, parts.join("."));
    actions.set(
      action,
      grants.filter((grant) =>
        current.some(
          (has) =>
            has.role === grant.role &&
            covers(has.contentTypes, grant.contentTypes) &&
            covers(has.languages, grant.languages),
        ),
      ),
    );
  }
  return { workflowId: wanted.workflowId, actions };
}
