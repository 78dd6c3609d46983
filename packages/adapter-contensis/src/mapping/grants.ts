import { effectiveRoles, NO_ROLE, type Path, type Transition, type Workflow } from "@workflow-sync/core";
import type { WantedGrant } from "../grants.ts";
import { type Grant, grantedRoles, type RoleGrants, WORKFLOW_ACTIONS } from "../roles.ts";
import { asRecord, compact, type LossSink, NOT_INVOKABLE, same } from "./context.ts";
import { recordedUnpublish } from "./unpublish.ts";

/*
 * Permissions in the mapping. Contensis keeps who may do what on roles (action strings
 * `{workflowId}.{stateId}.{eventId}`, `{workflowId}.sysCreate`, `{workflowId}.sysUnpublish`); the
 * neutral model keeps role names on states and transitions. Reading, the environment's roles say
 * who may fire each event; writing, each action gets the roles the neutral workflow names (the
 * environment writes them onto roles: ../grants.ts).
 */

/**
 * Grants in neutral form: the role names, and (only when some grant is narrower than every
 * content type and language) where each role may act. Kept in `extensions.contensis` so that a
 * Contensis → Contensis sync writes the same limits.
 */
export interface GrantRecord {
  roles: string[];
  limits?: Record<string, { contentTypes?: string[] | undefined; languages?: string[] | undefined }>;
}

export function grantRecord(grants: readonly Grant[]): GrantRecord {
  const limits: NonNullable<GrantRecord["limits"]> = {};
  for (const grant of grants) {
    if (!grant.contentTypes && !grant.languages) continue;
    limits[grant.role] = compact({ contentTypes: grant.contentTypes, languages: grant.languages });
  }
  const roles = grants.map((grant) => grant.role);
  return Object.keys(limits).length > 0 ? { roles, limits } : { roles };
}

function limitsOf(value: unknown): NonNullable<GrantRecord["limits"]> {
  const record = asRecord(value) ?? {};
  const out: NonNullable<GrantRecord["limits"]> = {};
  for (const [role, raw] of Object.entries(record)) {
    const limit = asRecord(raw) ?? {};
    const list = (v: unknown) =>
      Array.isArray(v) && v.every((item) => typeof item === "string") ? [...(v as string[])] : undefined;
    out[role] = compact({ contentTypes: list(limit.contentTypes), languages: list(limit.languages) });
  }
  return out;
}

export function wantedOf(roles: readonly string[], limits: unknown): WantedGrant[] {
  const byRole = limitsOf(limits);
  return [...new Set(roles)].sort().map((role) => ({ role, ...(byRole[role] ?? {}) }));
}

// ---------------------------------------------------------------------------------------------
// Contensis → neutral

/** Who may create entries and who may unpublish: workflow-level actions, not events of a state. */
export function workflowPermissions(roleGrants: RoleGrants, definitionId: string): Record<string, unknown> {
  const permissions: Record<string, unknown> = {};
  for (const action of WORKFLOW_ACTIONS) {
    permissions[action] = grantRecord(roleGrants(definitionId, undefined, action));
  }
  return permissions;
}

/**
 * Who may fire one event (`definitionId.stateId.eventId`): its roles, and the limits of grants
 * narrower than every content type and language (each such grant is a loss at `path`).
 */
export function eventRoles(
  roleGrants: RoleGrants,
  action: { definitionId: string; stateId: string; eventId: string },
  path: Path,
  loss: LossSink,
): { roles: string[]; limits: GrantRecord["limits"] } {
  const grants = roleGrants(action.definitionId, action.stateId, action.eventId);
  let roles = grants.map((grant) => grant.role);
  for (const grant of grants) {
    const limits = [
      grant.contentTypes ? `content types ${grant.contentTypes.join(", ")}` : "",
      grant.languages ? `languages ${grant.languages.join(", ")}` : "",
    ].filter(Boolean);
    if (limits.length > 0) {
      loss(
        "role_granularity",
        path,
        `role "${grant.role}" may fire "${action.definitionId}.${action.stateId}.${action.eventId}" only for ${limits.join(" and ")}; kept for Contensis (extensions.contensis.grants), other vendors get the role without that limit`,
      );
    }
  }
  // Granted to no role: nobody may fire it (an empty list would mean anyone).
  if (roles.length === 0) roles = [NO_ROLE];
  return { roles, limits: grantRecord(grants).limits };
}

// ---------------------------------------------------------------------------------------------
// neutral → Contensis

/** The grants a workflow wants, collected while its transitions are mapped. */
export interface GrantsWanted {
  /** By action string: the roles (with limits) that may do it; empty: none. */
  actions: Map<string, WantedGrant[]>;
  /** Actions anyone may do in the source: Contensis grants to roles, so nobody is granted them. */
  openToAnyone: string[];
  /** Roles of neutral transitions Contensis has as workflow-level actions (published → archived: unpublish). */
  unpublishRoles: Array<string[] | undefined>;
}

export function grantsWanted(): GrantsWanted {
  return { actions: new Map(), openToAnyone: [], unpublishRoles: [] };
}

/** What one mapped transition (an event `workflowId.from.eventId`) wants granted. */
export interface EventGrant {
  workflowId: string;
  from: string;
  eventId: string;
  /** The roles that may fire it (undefined: anyone). */
  effective: string[] | undefined;
  /** `extensions.contensis.grants` of the transition (limits as read from Contensis). */
  limits: unknown;
}

/**
 * Records what an event wants granted. An environment writes (or reports) it from the grants; a
 * plain mapping reports, as a loss at `path`, what the target's roles do not already grant.
 */
export function grantEvent(
  wanted: GrantsWanted,
  grant: EventGrant,
  transition: Transition,
  options: { roleGrants?: RoleGrants | undefined; grants?: "write" | "report" | undefined },
  path: Path,
  loss: LossSink,
): void {
  const { workflowId, from, eventId, effective } = grant;
  const action = `${workflowId}.${from}.${eventId}`;
  wanted.actions.set(action, effective ? wantedOf(effective, grant.limits) : []);
  if (options.grants) {
    if (options.grants === "write" && !effective && !NOT_INVOKABLE.has(eventId)) {
      wanted.openToAnyone.push(action);
    }
  } else if (options.roleGrants) {
    const granted = grantedRoles(options.roleGrants, workflowId, from, eventId);
    const roles = [...new Set(transition.roles)].sort();
    if (!same(granted, roles)) {
      const missing = roles.filter((role) => !granted.includes(role));
      const extra = granted.filter((role) => !roles.includes(role));
      loss(
        "role_granularity",
        [...path, "roles"],
        `the target's roles do not grant "${action}" as wanted and this tool does not write role permissions${missing.length > 0 ? `; grant it to ${missing.join(", ")}` : ""}${extra.length > 0 ? `; ${extra.join(", ")} may fire it too` : ""}`,
      );
    }
  } else if (transition.roles.length > 0) {
    loss(
      "role_granularity",
      [...path, "roles"],
      `Contensis keeps permissions on roles and this tool does not write them: grant "${action}" to ${transition.roles.join(", ")}`,
    );
  }
}

/**
 * The roles of an archive-then-restore path (one Contensis event): those that may do both,
 * narrowed, never widened; `"none"` when no role may; undefined when anyone may.
 */
export function restoreRoles(
  fromState: Workflow["states"][number] | undefined,
  archiving: Transition,
  archived: Workflow["states"][number],
  restore: Transition,
): string[] | undefined | "none" {
  const archivers = effectiveRoles(fromState?.roles ?? [], archiving.roles);
  const restorers = effectiveRoles(archived.roles, restore.roles);
  const both =
    archivers === undefined
      ? restorers
      : restorers === undefined
        ? archivers
        : archivers.filter((role) => restorers.includes(role));
  return both === undefined ? undefined : both.length === 0 ? "none" : both;
}

/**
 * Workflow-level actions: as read from Contensis (extensions.contensis.permissions), otherwise
 * from the neutral structure: who may work in the initial state creates, who may move content
 * from published to archived unpublishes. Anyone (an empty list): no role is granted (a loss).
 */
export function grantWorkflowActions(
  wanted: GrantsWanted,
  workflow: Workflow,
  workflowId: string,
  recordedPermissions: unknown,
  grants: "write" | "report" | undefined,
): void {
  const permissions = asRecord(recordedPermissions);
  for (const action of WORKFLOW_ACTIONS) {
    const recorded =
      action === "sysUnpublish"
        ? recordedUnpublish(asRecord(permissions?.[action]), wanted.unpublishRoles)
        : asRecord(permissions?.[action]);
    let roles: WantedGrant[] | undefined;
    if (recorded && Array.isArray(recorded.roles)) {
      roles = wantedOf(
        recorded.roles.filter((role): role is string => typeof role === "string"),
        recorded.limits,
      );
    } else if (action === "sysCreate") {
      const initial = workflow.states.find((state) => state.key === workflow.initial);
      if (initial && initial.roles.length > 0) roles = wantedOf(initial.roles, undefined);
    } else if (wanted.unpublishRoles.length > 0 && wanted.unpublishRoles.every((r) => r !== undefined)) {
      roles = wantedOf([...new Set(wanted.unpublishRoles.flat() as string[])], undefined);
    }
    if (!roles && grants === "write") wanted.openToAnyone.push(`${workflowId}.${action}`);
    wanted.actions.set(`${workflowId}.${action}`, roles ?? []);
  }
}

/** Narrowed, never widened: "anyone" has no Contensis form but granting it to every role. */
export function reportOpenToAnyone(wanted: GrantsWanted, loss: LossSink): void {
  const open = wanted.openToAnyone;
  if (open.length === 0) return;
  loss(
    "role_granularity",
    ["transitions"],
    `anyone may do ${open.join(", ")} in the source; Contensis grants actions to roles, so no role is granted ${open.length === 1 ? "it" : "them"} (name the roles in the source, on the transitions or their states, or grant them in the target)`,
  );
}
