import type { ContensisRole } from "./wire.ts";

/*
 * Role permissions → who may fire an event. Contensis keeps workflow permissions on roles, as
 * entry permission actions (docs/vendors/contensis.md §4; CD `create-a-role.md`, DMH
 * `permissions/overview.md`):
 *   "*"                              every action
 *   "{workflowId}.*"                 every event of the workflow
 *   "{workflowId}.{stateId}.*"       every event of a state
 *   "{workflowId}.{stateId}.{event}" one event
 *   "{workflowId}.sysCreate", "{workflowId}.sysUnpublish"  (not events of a state: not transitions)
 */

/** The name of a role: a plain string (CMA ≥ PR #19) or, in the older shape, localized. */
export function roleName(role: Pick<ContensisRole, "name" | "id">, locale?: string): string {
  if (typeof role.name === "string") return role.name;
  if (locale && role.name[locale]) return role.name[locale];
  const first = Object.keys(role.name).sort()[0];
  return (first !== undefined ? role.name[first] : undefined) || role.id;
}

/**
 * Whether one permission action grants event `eventId` of state `stateId` of workflow `workflowId`;
 * with `stateId` undefined, the workflow-level action `{workflowId}.{eventId}` (`sysCreate`,
 * `sysUnpublish`).
 */
export function actionGrants(
  action: string,
  workflowId: string,
  stateId: string | undefined,
  eventId: string,
): boolean {
  if (action === "*") return true;
  if (action === `${workflowId}.*`) return true;
  if (stateId === undefined) return action === `${workflowId}.${eventId}`;
  if (action === `${workflowId}.${stateId}.*`) return true;
  return action === `${workflowId}.${stateId}.${eventId}`;
}

/** The workflow-level actions (not events of a state): who may create entries, who may unpublish. */
export const WORKFLOW_ACTIONS = ["sysCreate", "sysUnpublish"] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

/** A grant and how narrow it is (entry permissions can be limited to content types and languages). */
export interface Grant {
  role: string;
  /** Content type ids the permission is limited to; undefined: every content type (`"*"`). */
  contentTypes?: string[] | undefined;
  /** Languages the permission is limited to; undefined: every language (`"*"`). */
  languages?: string[] | undefined;
}

/** Who may fire an event (`stateId` undefined: a workflow-level action), from the environment's roles. */
export type RoleGrants = (workflowId: string, stateId: string | undefined, eventId: string) => Grant[];

/**
 * The grants of `roles`. A disabled role (`enabled: false`) grants nothing (ASSUMPTION: a
 * disabled role is inactive, as its name says; the docs do not define it further).
 */
export function grantsFromRoles(roles: readonly ContensisRole[], locale?: string): RoleGrants {
  return (workflowId, stateId, eventId) => {
    const byRole = new Map<string, Grant>();
    for (const role of roles) {
      if (role.enabled === false) continue;
      const name = roleName(role, locale);
      for (const permission of role.permissions?.entries ?? []) {
        const actions = permission.actions ?? [];
        if (!actions.some((action) => actionGrants(action, workflowId, stateId, eventId))) continue;
        const contentTypes = permission.id && permission.id !== "*" ? [permission.id] : undefined;
        const languages =
          permission.languages && permission.languages.length > 0 && !permission.languages.includes("*")
            ? [...permission.languages]
            : undefined;
        const known = byRole.get(name);
        if (!known) {
          byRole.set(name, {
            role: name,
            ...(contentTypes ? { contentTypes } : {}),
            ...(languages ? { languages } : {}),
          });
          continue;
        }
        // Several permissions of one role: the union (unrestricted wins).
        known.contentTypes =
          known.contentTypes && contentTypes
            ? [...new Set([...known.contentTypes, ...contentTypes])]
            : undefined;
        known.languages =
          known.languages && languages ? [...new Set([...known.languages, ...languages])] : undefined;
        if (!known.contentTypes) delete known.contentTypes;
        if (!known.languages) delete known.languages;
      }
    }
    return [...byRole.values()].sort((a, b) => (a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
  };
}

/** Role names only. */
export function grantedRoles(
  grants: RoleGrants,
  workflowId: string,
  stateId: string | undefined,
  eventId: string,
): string[] {
  return grants(workflowId, stateId, eventId).map((grant) => grant.role);
}
