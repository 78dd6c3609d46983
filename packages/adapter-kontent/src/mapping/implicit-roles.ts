import { effectiveRoles, type LossCode, NO_ROLE, type Path } from "@workflow-sync/core";

/*
 * Who may take Kontent.ai's implicit transitions (docs/mapping-decisions.md, "Kontent.ai's implicit
 * transitions"): unpublish (`published_step.unpublish_role_ids`), create a new version
 * (`published_step.create_new_version_role_ids`) and restore (`archived_step.role_ids`), fields of
 * the workflow object (https://kontent.ai/learn/docs/apis/management-api-v2/workflows). Each is a
 * list of role ids, and an empty list means no restriction (every role): the .NET SDK's upsert
 * models (https://github.com/kontent-ai/management-sdk-net, `WorkflowPublishedStepUpsertModel`,
 * `WorkflowArchivedStepUpsertModel`). So these three can be narrowed to any non-empty set of roles,
 * and "nobody" cannot be said at all.
 */

/**
 * Who may take one source transition that becomes an implicit one, in the form the mapping
 * collects: `[]` for anyone, `[NO_ROLE]` for nobody, otherwise the roles (in the transition's
 * order when the state does not restrict, so that a same-vendor round trip writes what it read).
 */
export function implicitWho(stateRoles: readonly string[], transitionRoles: readonly string[]): string[] {
  const who = effectiveRoles(stateRoles, transitionRoles);
  if (who === undefined) return [];
  if (who.length === 0) return [NO_ROLE];
  return stateRoles.length === 0 ? [...new Set(transitionRoles)] : who;
}

/**
 * The role names Kontent.ai gets for one implicit transition from every source transition merged
 * into it (`implicitWho` of each; none: the source lacks it): `[]` (every role) when anyone may
 * take one of them, or when nobody may take any (Kontent.ai cannot say "nobody": `nobody` is then
 * true and the caller reports it); otherwise the roles that may take one of them.
 */
export function joinImplicit(lists: readonly string[][]): { roles: string[]; nobody: boolean } {
  if (lists.length === 0) return { roles: [], nobody: false }; // lacking in the source: reported apart
  if (lists.some((roles) => roles.length === 0)) return { roles: [], nobody: false };
  const roles = [...new Set(lists.flat().filter((role) => role !== NO_ROLE))];
  return { roles, nobody: roles.length === 0 };
}

/** The loss for an implicit transition the source grants to nobody: Kontent.ai opens it to every role. */
export function nobodyLoss(
  key: string,
  lists: readonly string[][],
  path: Path,
  loss: (code: LossCode, path: Path, message: string) => void,
): void {
  if (!joinImplicit(lists).nobody) return;
  loss(
    "implicit_transition",
    path,
    `nobody may "${key}" in the source; Kontent.ai cannot say nobody (an empty role list means every role), so every role may do it`,
  );
}
