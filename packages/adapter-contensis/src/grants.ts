import { stableStringify, type Workflow } from "@workflow-sync/core";
import { actionGrants, roleName } from "./roles.ts";
import type { ContensisRole } from "./wire.ts";

/*
 * Writing workflow permissions onto Contensis roles.
 *
 * Contensis keeps who may do what on roles: each role has entry permissions
 * `{ id: contentTypeId | "*", languages: [...] | ["*"], actions: [...] }`, and a workflow's
 * permissions are action strings `{workflowId}.{stateId}.{eventId}`, `{workflowId}.sysCreate` and
 * `{workflowId}.sysUnpublish` ("Create a role" and "Update a role",
 * https://www.contensis.com/help-and-docs/apis/management-http/security/roles/create-a-role,
 * https://www.contensis.com/help-and-docs/apis/management-http/security/roles/update-a-role:
 * a role is replaced with a PUT of the whole role).
 *
 * What is changed: only action strings that start with `{workflowId}.` of the workflows being
 * written. Every other action, permission entry, assignment and field of a role stays as it was
 * read. A role is written only when what it grants on those workflows changes (a role that grants
 * the same through a wildcard such as `{workflowId}.*` is left alone).
 */

/** One role allowed to do one action, and where (undefined: every content type / language). */
export interface WantedGrant {
  role: string;
  contentTypes?: string[] | undefined;
  languages?: string[] | undefined;
}

/** What a workflow wants granted: action string → grants (an action with none: nobody). */
export interface WorkflowGrants {
  workflowId: string;
  actions: Map<string, WantedGrant[]>;
}

/** A role write: the role as read and as it will be written. */
export interface RoleWrite {
  id: string;
  name: string;
  before: ContensisRole;
  after: ContensisRole;
  /** Actions granted only after / only before (for the plan), `action` or `action [limits]`. */
  added: string[];
  removed: string[];
}

export interface GrantsOutcome {
  /** Every role, as it will be after the writes (roles not written: as read). */
  roles: ContensisRole[];
  writes: RoleWrite[];
  /** Role names wanted that the environment does not have. */
  missing: string[];
  /** Roles that keep granting more than wanted (an `*` action): they are not narrowed. */
  notNarrowed: Array<{ role: string; action: string }>;
}

const ALL = "*";

function belongsTo(action: string, workflowIds: ReadonlySet<string>): boolean {
  const dot = action.indexOf(".");
  return dot > 0 && workflowIds.has(action.slice(0, dot));
}

/** Whether `pattern` (a role action, wildcards included) grants the concrete `action`. */
export function patternGrants(pattern: string, action: string): boolean {
  const parts = action.split(".");
  if (parts.length === 3) return actionGrants(pattern, parts[0]!, parts[1]!, parts[2]!);
  return actionGrants(pattern, parts[0]!, undefined, parts.slice(1).join("."));
}

interface Scope {
  contentTypes: string[] | undefined;
  languages: string[] | undefined;
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** Where one role may do `action` (undefined: nowhere), merged over its permission entries. */
function scopeOf(role: ContensisRole, action: string): Scope | undefined {
  let scope: Scope | undefined;
  for (const permission of role.permissions?.entries ?? []) {
    if (!(permission.actions ?? []).some((pattern) => patternGrants(pattern, action))) continue;
    const contentTypes = permission.id && permission.id !== ALL ? [permission.id] : undefined;
    const languages =
      permission.languages && permission.languages.length > 0 && !permission.languages.includes(ALL)
        ? [...permission.languages]
        : undefined;
    if (!scope) {
      scope = { contentTypes, languages };
      continue;
    }
    scope = {
      contentTypes:
        scope.contentTypes && contentTypes ? sorted([...scope.contentTypes, ...contentTypes]) : undefined,
      languages: scope.languages && languages ? sorted([...scope.languages, ...languages]) : undefined,
    };
  }
  return (
    scope && {
      contentTypes: scope.contentTypes && sorted(scope.contentTypes),
      languages: scope.languages && sorted(scope.languages),
    }
  );
}

function describe(action: string, scope: Scope): string {
  const limits = [
    scope.contentTypes ? `content types ${scope.contentTypes.join(", ")}` : "",
    scope.languages ? `languages ${scope.languages.join(", ")}` : "",
  ].filter(Boolean);
  return limits.length > 0 ? `${action} [${limits.join("; ")}]` : action;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * The roles after granting `wanted` (several workflows at once, so that one role is written once),
 * by role name. Pure.
 */
export function applyGrants(
  roles: readonly ContensisRole[],
  wanted: readonly WorkflowGrants[],
  locale?: string,
): GrantsOutcome {
  const byName = new Map<string, ContensisRole>();
  for (const role of roles) if (!byName.has(roleName(role, locale))) byName.set(roleName(role, locale), role);
  const universe = wanted.flatMap((workflow) => [...workflow.actions.keys()]);
  const missing = new Set<string>();
  for (const workflow of wanted) {
    for (const grants of workflow.actions.values()) {
      for (const grant of grants) if (!byName.has(grant.role)) missing.add(grant.role);
    }
  }

  const writes: RoleWrite[] = [];
  const notNarrowed: GrantsOutcome["notNarrowed"] = [];
  const after = roles.map((role) => {
    const name = roleName(role, locale);
    if (byName.get(name) !== role) return role; // a second role of the same name: left alone
    const wants = wantsOf(name, wanted);
    // Only the workflows whose grants on this role differ are rewritten (a wildcard that already
    // grants exactly what is wanted stays as it is).
    const differs = (action: string) =>
      stableStringify(scopeOf(role, action) ?? null) !== stableStringify(wants.get(action) ?? null);
    const rewritten = new Set(
      wanted
        .filter((workflow) => [...workflow.actions.keys()].some(differs))
        .map((workflow) => workflow.workflowId),
    );
    if (rewritten.size === 0) return role;

    const next = rewriteRole(role, wants, rewritten);
    for (const action of universe) {
      if (!wants.has(action) && scopeOf(next, action)) notNarrowed.push({ role: name, action });
    }
    const { added, removed } = changesOf(role, next, universe);
    if (added.length === 0 && removed.length === 0) return role;
    writes.push({ id: role.id, name, before: role, after: next, added, removed });
    return next;
  });
  return { roles: after, writes, missing: [...missing].sort(), notNarrowed };
}

/** What the workflows want the role `name` to be granted: action → where. */
function wantsOf(name: string, wanted: readonly WorkflowGrants[]): Map<string, Scope> {
  const wants = new Map<string, Scope>();
  for (const workflow of wanted) {
    for (const [action, grants] of workflow.actions) {
      const grant = grants.find((candidate) => candidate.role === name);
      if (grant) {
        wants.set(action, {
          contentTypes: grant.contentTypes && sorted(grant.contentTypes),
          languages: grant.languages && sorted(grant.languages),
        });
      }
    }
  }
  return wants;
}

/**
 * The role with the action strings of the `rewritten` workflows taken out of its permission
 * entries and `wants` of those workflows put back (into an entry of the same content type and
 * languages, or a new one). Every other action and entry stays as read.
 */
function rewriteRole(
  role: ContensisRole,
  wants: Map<string, Scope>,
  rewritten: ReadonlySet<string>,
): ContensisRole {
  const next = clone(role);
  const entries = [...(next.permissions?.entries ?? [])].flatMap((permission) => {
    const actions = permission.actions ?? [];
    const kept = actions.filter((action) => !belongsTo(action, rewritten));
    if (kept.length === actions.length) return [permission];
    return kept.length === 0 ? [] : [{ ...permission, actions: kept }];
  });
  for (const [action, scope] of wants) {
    if (!rewritten.has(action.slice(0, action.indexOf(".")))) continue;
    const languages = scope.languages ?? [ALL];
    for (const id of scope.contentTypes ?? [ALL]) {
      const entry = entries.find(
        (permission) =>
          (permission.id ?? ALL) === id &&
          stableStringify(sorted(permission.languages ?? [ALL])) === stableStringify(sorted(languages)),
      );
      if (entry) {
        const actions = entry.actions ?? [];
        if (!actions.includes(action)) {
          const index = entries.indexOf(entry);
          entries[index] = { ...entry, actions: [...actions, action] };
        }
      } else {
        entries.push({ id, languages: [...languages], actions: [action] });
      }
    }
  }
  next.permissions = { ...(next.permissions ?? {}), entries };
  return next;
}

/** What a role write grants and takes back, in words, over the actions of the workflows planned. */
function changesOf(
  role: ContensisRole,
  next: ContensisRole,
  universe: readonly string[],
): { added: string[]; removed: string[] } {
  const added: string[] = [];
  const removed: string[] = [];
  for (const action of universe) {
    const was = scopeOf(role, action);
    const now = scopeOf(next, action);
    if (stableStringify(was ?? null) === stableStringify(now ?? null)) continue;
    if (was) removed.push(describe(action, was));
    if (now) added.push(describe(action, now));
  }
  return { added, removed };
}

/** The role written back: the role as read (server-managed fields included, the server sets them). */
export function roleBody(role: ContensisRole): Record<string, unknown> {
  return clone(role) as Record<string, unknown>;
}

/** Whether two reads of a role are the same (for the staleness check before a role PUT). */
export function sameRole(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

/**
 * The role names and content type ids in a neutral workflow's Contensis grant records renamed
 * (`--map`: source name → target name), so that limits and workflow-level grants follow the
 * renames of `roles` and `scope`. Pure; a workflow without such records is returned as it is.
 */
export function renameGrantReferences(
  workflow: Workflow,
  renames: { roles?: Readonly<Record<string, string>>; contentTypes?: Readonly<Record<string, string>> },
): Workflow {
  const role = (name: string) => renames.roles?.[name] ?? name;
  const contentType = (id: string) => renames.contentTypes?.[id] ?? id;
  const limits = (value: unknown): unknown => {
    if (!value || typeof value !== "object" || Array.isArray(value)) return value;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([name, raw]) => {
        const limit = raw as { contentTypes?: unknown };
        return [
          role(name),
          Array.isArray(limit?.contentTypes)
            ? {
                ...limit,
                contentTypes: limit.contentTypes.map((id) => (typeof id === "string" ? contentType(id) : id)),
              }
            : raw,
        ];
      }),
    );
  };
  const contensis = (extensions: Workflow["extensions"]) =>
    extensions.contensis as Record<string, unknown> | undefined;
  const out: Workflow = { ...workflow };
  const own = contensis(workflow.extensions);
  if (own?.permissions && typeof own.permissions === "object") {
    const permissions = Object.fromEntries(
      Object.entries(own.permissions as Record<string, { roles?: unknown; limits?: unknown }>).map(
        ([action, record]) => [
          action,
          {
            ...record,
            ...(Array.isArray(record?.roles)
              ? { roles: record.roles.map((name) => (typeof name === "string" ? role(name) : name)) }
              : {}),
            ...(record?.limits ? { limits: limits(record.limits) } : {}),
          },
        ],
      ),
    );
    out.extensions = { ...workflow.extensions, contensis: { ...own, permissions } };
  }
  out.transitions = workflow.transitions.map((transition) => {
    const extension = contensis(transition.extensions);
    if (!extension?.grants) return transition;
    return {
      ...transition,
      extensions: { ...transition.extensions, contensis: { ...extension, grants: limits(extension.grants) } },
    };
  });
  return out;
}
