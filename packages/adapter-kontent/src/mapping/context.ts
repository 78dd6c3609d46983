import type { UnresolvedReferencesError } from "@workflow-sync/core";
import type { KontentWorkflow } from "../wire.ts";

/*
 * Kontent.ai ⇄ neutral, as fixed in docs/mapping-decisions.md ("Kontent.ai ⇄ neutral").
 *
 * Loss paths are **index-based** (zod's shape, rendered by core's `formatPath` as
 * `states[2].color`) and point into the **source** document of the mapping: the neutral workflow
 * for `fromNeutral`, the Kontent.ai workflow for `toNeutral`. Each message names the key of the
 * state or transition concerned, so a reader does not need to count.
 */

/** id → name (roles) or id → codename (content types, collections). */
export type IdLookup =
  | ReadonlyMap<string, string>
  | Readonly<Record<string, string>>
  | ReadonlyArray<{ id: string; name?: string; codename?: string | null | undefined }>;

/**
 * What a mapping needs from an environment: for `toNeutral` the environment read from, for
 * `fromNeutral` the **target** environment. Arrays as the list endpoints answer them work as they are.
 */
export interface KontentMappingContext {
  /** Role id → name. For `fromNeutral` only: `"names"` writes role names in place of ids (offline previews, never for writing). */
  roles: IdLookup | "names";
  /**
   * Why the environment's roles could not be listed (a 403). `toNeutral` then keeps every role id
   * as a typed reference (`id:<uuid>`); `fromNeutral` takes typed references as they are and
   * refuses role names with a `KontentRolesUnavailableError` naming the permission and the options.
   */
  rolesUnavailable?: string;
  /** Content type id → codename. `fromNeutral` without it writes scope codenames unchecked. */
  contentTypes?: IdLookup;
  /** Collection id → codename. `fromNeutral` without it writes scope codenames unchecked. */
  collections?: IdLookup;
  /** The locale of Kontent.ai's plain-string names (default `en-US`). */
  locale?: string;
  /** For messages: which environment (never a secret). */
  environment?: string;
  /**
   * `toNeutral` of a file (offline): a transition to a step referenced by a codename the workflow
   * does not have (a synthetic id `codename:<x>`) is kept, leading to `<x>`, for core's rules to
   * report as a dangling reference rather than refused as a parse error.
   */
  danglingSteps?: boolean;
}

export const DEFAULT_LOCALE = "en-US";

/**
 * A role that could not be named stays its id, typed so that nobody takes it for a name:
 * `id:7dedb656-aef7-40ae-8158-98bbf3542f4a`. Written back as that id; `--map` can turn a name
 * into one (`roles: { Editors: "id:…" }`) or one into a name.
 */
export const ROLE_ID_PREFIX = "id:";

export function roleIdReference(id: string): string {
  return `${ROLE_ID_PREFIX}${id}`;
}

/** The id of a typed role reference, or undefined for a role name. */
export function roleIdOf(reference: string): string | undefined {
  return reference.startsWith(ROLE_ID_PREFIX) ? reference.slice(ROLE_ID_PREFIX.length) : undefined;
}

/** Keys of the predefined states in neutral form (docs/mapping-decisions.md). */
export const PUBLISHED_KEY = "published";
export const SCHEDULED_KEY = "scheduled";
export const ARCHIVED_KEY = "archived";

/** Keys and names of the transitions Kontent.ai has implicitly, explicit in neutral form. */
export const IMPLICIT_TRANSITIONS = {
  unpublish: { key: "unpublish", name: "Unpublish" },
  createNewVersion: { key: "create_new_version", name: "Create new version" },
  restore: { key: "restore", name: "Restore" },
} as const;

/** The names Kontent.ai gives its predefined steps (read-only: a write cannot set them). Assumption: English UI names, as in every example of https://kontent.ai/learn/docs/apis/management-api-v2/workflows. */
export const PREDEFINED_NAMES = {
  published: "Published",
  scheduled: "Scheduled",
  archived: "Archived",
} as const;

/** The kinds of reference a mapping resolves (core's `UnresolvedReferencesError` kinds). */
export type RefKind = UnresolvedReferencesError["kind"];

/** An `IdLookup` as a map from id to the given field. */
export function toMap(input: IdLookup | undefined, field: "name" | "codename"): Map<string, string> {
  if (input === undefined) return new Map();
  if (input instanceof Map) return new Map(input);
  if (Array.isArray(input)) {
    const map = new Map<string, string>();
    for (const entry of input as ReadonlyArray<{ id: string; name?: string; codename?: string | null }>) {
      const value = entry[field];
      if (typeof value === "string") map.set(entry.id, value);
    }
    return map;
  }
  return new Map(Object.entries(input as Record<string, string>));
}

/**
 * A mapping context for a workflow read from a file, with no environment to resolve ids in: every
 * role, content type and collection id it references stands for itself (offline `convert`). The
 * caller reports that the names are ids.
 */
export function offlineContext(
  wire: KontentWorkflow,
): KontentMappingContext & { roles: Map<string, string> } {
  const self = (ids: Iterable<string>) => new Map([...ids].map((id) => [id, id]));
  return {
    roles: self([
      ...wire.steps.flatMap((step) => step.role_ids),
      ...wire.published_step.unpublish_role_ids,
      ...wire.published_step.create_new_version_role_ids,
      ...wire.archived_step.role_ids,
    ]),
    contentTypes: self(wire.scopes.flatMap((scope) => scope.content_types.map((reference) => reference.id))),
    collections: self(wire.scopes.flatMap((scope) => scope.collections.map((reference) => reference.id))),
  };
}
