import {
  effectiveRoles,
  type Loss,
  type LossCode,
  type MappingResult,
  type Path,
  parseReference,
  type State,
  type Transition,
  textOf,
  UnresolvedReferencesError,
  Workflow,
  WorkflowSyncError,
} from "@workflow-sync/core";
import { KontentMappingError } from "./errors.ts";
import { implicitWho, joinImplicit, nobodyLoss } from "./implicit-roles.ts";
import {
  ARCHIVED_CODENAME,
  KONTENT_COLORS,
  KONTENT_LIMITS,
  type KontentColor,
  type KontentReference,
  type KontentStepWrite,
  type KontentWorkflow,
  type KontentWorkflowWrite,
  PUBLISHED_CODENAME,
  SCHEDULED_CODENAME,
} from "./wire.ts";

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

/** Role names that cannot be resolved because the environment's roles cannot be listed. */
export class KontentRolesUnavailableError extends WorkflowSyncError {
  readonly names: string[];
  constructor(names: readonly string[], where: string, reason: string) {
    const sorted = [...new Set(names)].sort();
    super(
      "roles_unavailable",
      `${where}: role names ${sorted.map((name) => `"${name}"`).join(", ")} cannot be resolved: ${reason}. ` +
        `Options: give the API key the "Manage custom roles" permission (https://kontent.ai/learn/docs/apis/management-api-v2/roles), ` +
        `or map each name to the role's id with --map (roles: { "${sorted[0]}": "id:<role id>" }). ` +
        "A sync between environments whose role ids are equal needs no names (ids are kept as id:<uuid>).",
    );
    this.names = sorted;
  }
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

/** The names Kontent.ai gives its predefined steps (read-only: a write cannot set them). Assumption: English UI names, as in every [W] example. */
const PREDEFINED_NAMES = { published: "Published", scheduled: "Scheduled", archived: "Archived" } as const;

/**
 * Colour names of other vendors (Contensis state colours: vendors/contensis.md §State colours) and
 * common ones, mapped to the nearest Kontent.ai colour. Any mapping that changes the value is
 * reported as a loss. Assumption: "nearest" judged by name, the palettes publish no RGB values.
 */
const COLOR_ALIASES: Readonly<Record<string, KontentColor>> = {
  grey: "gray",
  charcoal: "gray",
  silver: "gray",
  black: "gray",
  white: "gray",
  ruby: "rose",
  crimson: "red",
  maroon: "red",
  purple: "dark-purple",
  violet: "dark-purple",
  lavender: "light-purple",
  magenta: "pink",
  fuchsia: "pink",
  blue: "light-blue",
  cobalt: "dark-blue",
  navy: "dark-blue",
  cyan: "sky-blue",
  teal: "persian-green",
  turquoise: "persian-green",
  green: "dark-green",
  lime: "light-green",
  mint: "mint-green",
  gold: "yellow",
  amber: "orange",
};

/** The colour a step gets when the neutral state has none. */
export const DEFAULT_COLOR: KontentColor = "gray";

type RefKind = UnresolvedReferencesError["kind"];

/**
 * `UnresolvedReferencesError` for every kind at once: `kind`/`names` are the first kind that has
 * unresolved names (roles first), `all` lists every kind, and so does the message.
 */
export class KontentUnresolvedReferencesError extends UnresolvedReferencesError {
  readonly all: Partial<Record<RefKind, string[]>>;
  constructor(all: Partial<Record<RefKind, readonly string[]>>, where: string) {
    const kinds = (["role", "contentType", "collection", "state"] as const).filter(
      (kind) => (all[kind]?.length ?? 0) > 0,
    );
    const first = kinds[0] ?? "role";
    super(first, all[first] ?? [], where);
    const sorted: Partial<Record<RefKind, string[]>> = {};
    for (const kind of kinds) sorted[kind] = [...new Set(all[kind])].sort();
    this.all = sorted;
    if (kinds.length > 1) {
      this.message = kinds
        .map((kind) => {
          const names = sorted[kind] ?? [];
          return `${names.length} ${kind} name${names.length === 1 ? "" : "s"} not found in ${where}: ${names.join(", ")}`;
        })
        .join("; ");
    }
  }
}

function toMap(input: IdLookup | undefined, field: "name" | "codename"): Map<string, string> {
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

// ---------------------------------------------------------------------------------------------
// Kontent.ai → neutral

/**
 * A Kontent.ai workflow (as `GET /workflows` answers it) in neutral form. Ids become names (roles)
 * and codenames (content types, collections, steps); an id that does not resolve throws an
 * `UnresolvedReferencesError` listing every one. The result parses with core's `Workflow`.
 */
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

export function toNeutral(wire: KontentWorkflow, context: KontentMappingContext): MappingResult<Workflow> {
  const locale = context.locale ?? DEFAULT_LOCALE;
  const where = `Kontent.ai workflow "${wire.codename}"${context.environment ? ` of ${context.environment}` : ""}`;
  const roleNames = context.roles === "names" ? undefined : toMap(context.roles, "name");
  const typeCodenames = toMap(context.contentTypes, "codename");
  const collectionCodenames = toMap(context.collections, "codename");
  const missing: Record<RefKind, string[]> = { role: [], contentType: [], collection: [], state: [] };
  const text = (value: string) => ({ [locale]: value });

  const roles = (ids: readonly string[]) =>
    ids.map((id) => {
      if (context.rolesUnavailable !== undefined) return roleIdReference(id);
      if (roleNames === undefined) return id;
      const name = roleNames.get(id);
      if (name === undefined) missing.role.push(id);
      return name ?? id;
    });
  const codenames = (refs: ReadonlyArray<{ id: string }>, map: Map<string, string>, kind: RefKind) =>
    refs.map((ref) => {
      const codename = map.get(ref.id);
      if (codename === undefined) missing[kind].push(ref.id);
      return codename ?? ref.id;
    });

  const stepKeys = new Map<string, string>();
  for (const step of wire.steps) stepKeys.set(step.id, step.codename);
  stepKeys.set(wire.published_step.id, PUBLISHED_KEY);
  if (wire.scheduled_step) stepKeys.set(wire.scheduled_step.id, SCHEDULED_KEY);
  stepKeys.set(wire.archived_step.id, ARCHIVED_KEY);
  const stepNames = new Map<string, string>();
  for (const step of wire.steps) stepNames.set(step.codename, step.name);
  stepNames.set(PUBLISHED_KEY, wire.published_step.name);
  stepNames.set(SCHEDULED_KEY, wire.scheduled_step?.name ?? PREDEFINED_NAMES.scheduled);
  stepNames.set(ARCHIVED_KEY, wire.archived_step.name);

  const initial = wire.steps[0]!.codename;
  const states: State[] = [
    ...wire.steps.map(
      (step, index): State => ({
        key: step.codename,
        name: text(step.name),
        kind: index === 0 ? "initial" : "step",
        ...(step.color === undefined ? {} : { color: step.color }),
        editable: true,
        roles: roles(step.role_ids),
        extensions: {},
      }),
    ),
    predefinedState(PUBLISHED_KEY, "published", wire.published_step.name, locale),
    predefinedState(SCHEDULED_KEY, "scheduled", stepNames.get(SCHEDULED_KEY)!, locale),
    predefinedState(ARCHIVED_KEY, "archived", wire.archived_step.name, locale),
  ];

  const transitions: Transition[] = [];
  for (const step of wire.steps) {
    for (const target of step.transitions_to) {
      let to = stepKeys.get(target.step.id);
      if (to === undefined && context.danglingSteps && target.step.id.startsWith("codename:")) {
        to = target.step.id.slice("codename:".length);
      }
      if (to === undefined) {
        missing.state.push(target.step.id);
        continue;
      }
      transitions.push(plainTransition(to, step.codename, to, text(stepNames.get(to) ?? to), []));
    }
  }
  const implicit = (
    which: keyof typeof IMPLICIT_TRANSITIONS,
    from: string,
    to: string,
    roleIds: readonly string[],
  ) => {
    const { key, name } = IMPLICIT_TRANSITIONS[which];
    transitions.push({
      ...plainTransition(key, from, to, text(name), roles(roleIds)),
      extensions: { kontent: { implicit: true } },
    });
  };
  implicit("unpublish", PUBLISHED_KEY, ARCHIVED_KEY, wire.published_step.unpublish_role_ids);
  implicit("createNewVersion", PUBLISHED_KEY, initial, wire.published_step.create_new_version_role_ids);
  implicit("restore", ARCHIVED_KEY, initial, wire.archived_step.role_ids);

  const scopes = wire.scopes.map((scope) => ({
    contentTypes: codenames(scope.content_types, typeCodenames, "contentType"),
    collections: codenames(scope.collections, collectionCodenames, "collection"),
  }));
  const first = scopes[0] ?? { contentTypes: [], collections: [] };
  const kontent: Record<string, unknown> = {};
  // docs/mapping-decisions.md: scopes[0] → scope, the rest in extensions.kontent.scopes. A single
  // scope with both lists empty is kept apart from "no scope at all" (`scopes: []`, as the default
  // workflow has it: data-ops createDefaultWorkflowData) by `extensions.kontent.scopes: []`.
  if (
    scopes.length > 1 ||
    (scopes.length === 1 && first.contentTypes.length + first.collections.length === 0)
  ) {
    kontent.scopes = scopes.slice(1);
  }

  const unresolved = Object.values(missing).some((names) => names.length > 0);
  if (unresolved) throw new KontentUnresolvedReferencesError(missing, where);

  const candidate = {
    key: wire.codename,
    name: text(wire.name),
    scope: first,
    initial,
    states,
    transitions,
    groups: [],
    extensions: Object.keys(kontent).length > 0 ? { kontent } : {},
  };
  const parsed = Workflow.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KontentMappingError(
      `${where} does not fit the neutral model: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"}`,
    );
  }
  return { value: parsed.data, losses: [] };
}

function predefinedState(key: string, kind: State["kind"], name: string, locale: string): State {
  return { key, name: { [locale]: name }, kind, editable: true, roles: [], extensions: {} };
}

function plainTransition(
  key: string,
  from: string,
  to: string,
  name: Transition["name"],
  roles: string[],
): Transition {
  return { key, from, to, name, roles, parameters: [], validate: false, extensions: {} };
}

// ---------------------------------------------------------------------------------------------
// neutral → Kontent.ai

type Predefined = "published" | "scheduled" | "archived";

/**
 * The write body (`IAddWorkflowData`; an update adds step ids, see `planUpdateBodies`) for a
 * neutral workflow, with role ids resolved by name in the **target** environment and everything
 * Kontent.ai cannot hold reported as a loss. Unresolved role names (and content type / collection
 * codenames when the context lists them) throw one `UnresolvedReferencesError` listing all.
 */
export function fromNeutral(
  workflow: Workflow,
  context: KontentMappingContext,
): MappingResult<KontentWorkflowWrite> {
  // The language names are written in: the one asked for (--locale, the environment's `locale`),
  // else the source's primary language (the first of its name), never simply the first sorted.
  const locale = context.locale ?? Object.keys(workflow.name)[0] ?? DEFAULT_LOCALE;
  const where = context.environment ?? "the target Kontent.ai environment";
  const losses: Loss[] = [];
  const loss = (code: LossCode, path: Path, message: string) =>
    losses.push({ code, path, message, vendor: "kontent" });
  const missing: Record<RefKind, string[]> = { role: [], contentType: [], collection: [], state: [] };

  // Role names → ids in the target. A name given to two roles is ambiguous: refuse, never guess.
  const byName = new Map<string, string[]>();
  if (context.roles !== "names") {
    for (const [id, roleName] of toMap(context.roles, "name"))
      byName.set(roleName, [...(byName.get(roleName) ?? []), id]);
  }
  const ambiguous = new Set<string>();
  const knownIds = context.roles === "names" ? undefined : new Set(toMap(context.roles, "name").keys());
  const unnamed = new Set<string>();
  const roleIds = (names: readonly string[]): string[] =>
    context.roles === "names"
      ? names.map((roleName) => {
          // A typed role reference (a role id read offline) is the id itself.
          const reference = parseReference(roleName);
          return reference.kind === "id" ? reference.value : roleName;
        })
      : names.flatMap((roleName) => {
          const typed = roleIdOf(roleName);
          if (typed !== undefined) {
            // A typed reference is the id itself; checked only where the roles can be listed.
            if (context.rolesUnavailable === undefined && !knownIds?.has(typed)) missing.role.push(roleName);
            return [typed];
          }
          if (context.rolesUnavailable !== undefined) {
            unnamed.add(roleName);
            return [];
          }
          const ids = byName.get(roleName);
          if (ids === undefined) {
            missing.role.push(roleName);
            return [];
          }
          if (ids.length > 1) ambiguous.add(roleName);
          return [ids[0]!];
        });

  const pick = (value: Record<string, string>, path: Path, what: string): string => {
    const locales = Object.keys(value);
    const chosen = value[locale] !== undefined ? locale : locales[0];
    if (locales.length > 1) {
      loss(
        "extra_locales",
        path,
        `${what}: Kontent.ai names are plain strings; kept "${chosen}"${chosen === locale ? "" : ` (no "${locale}")`}, dropped ${locales
          .filter((l) => l !== chosen)
          .sort()
          .join(", ")}`,
      );
    }
    return chosen === undefined ? "" : (value[chosen] ?? "");
  };
  const limit = (value: string, max: number, path: Path, rule: string) => {
    if (value.length <= max) return value;
    loss("too_long", path, `${rule}: "${value}" is ${value.length} characters, cut to ${max}`);
    return value.slice(0, max);
  };
  const otherVendor = (extensions: Workflow["extensions"], path: Path, what: string) => {
    for (const [vendor, data] of Object.entries(extensions)) {
      if (vendor !== "kontent") {
        // Name what is dropped (an event's colour, say), not only that something is.
        const named = Object.entries(data ?? {})
          .filter(([field]) => field !== "hints" && field !== "unknown")
          .map(([field, value]) =>
            typeof value === "string" || typeof value === "number" || typeof value === "boolean"
              ? `${field} ${JSON.stringify(value)}`
              : field,
          );
        loss(
          "unsupported_field",
          [...path, "extensions", vendor],
          `${what}: ${vendor} extensions have no place in Kontent.ai${named.length > 0 ? ` (dropped: ${named.join(", ")})` : ""}`,
        );
      }
    }
  };

  // --- workflow
  const taken = new Set<string>([PUBLISHED_CODENAME, SCHEDULED_CODENAME, ARCHIVED_CODENAME]);
  const codename = codenameOf(
    workflow.key,
    KONTENT_LIMITS.workflowCodename,
    ["key"],
    "workflow",
    loss,
    new Set(),
  );
  let workflowName = pick(workflow.name, ["name"], "workflow name");
  if (workflowName === "") {
    loss(
      "unsupported_value",
      ["name"],
      "Kontent.ai workflow names cannot be empty (1–200 characters); the key is used",
    );
    workflowName = workflow.key;
  }
  const name = limit(
    workflowName,
    KONTENT_LIMITS.workflowName,
    ["name"],
    "Kontent.ai workflow names are 1–200 characters",
  );
  if (workflow.description)
    loss("unsupported_field", ["description"], "Kontent.ai workflows have no description");
  if (workflow.groups.length > 0) {
    loss(
      "unsupported_field",
      ["groups"],
      `Kontent.ai has no transition groups (${workflow.groups.map((g) => g.key).join(", ")})`,
    );
  }
  otherVendor(workflow.extensions, [], "workflow");

  // --- states: steps (initial first), then one state per predefined kind; extras merge into it
  const initialIndex = workflow.states.findIndex((state) => state.key === workflow.initial);
  const initialState = workflow.states[initialIndex];
  if (!initialState) {
    throw new KontentMappingError(
      `workflow "${workflow.key}": the initial state "${workflow.initial}" is not one of its states`,
    );
  }
  if (initialState.kind !== "initial" && initialState.kind !== "step") {
    throw new KontentMappingError(
      `workflow "${workflow.key}": the initial state "${workflow.initial}" is of kind ${initialState.kind}; Kontent.ai starts content in an ordinary step`,
    );
  }
  const indexed = workflow.states.map((state, index) => ({ state, index }));
  const stepStates = [
    { state: initialState, index: initialIndex },
    ...indexed.filter(
      ({ state, index }) => index !== initialIndex && (state.kind === "initial" || state.kind === "step"),
    ),
  ];
  const chosen: Record<Predefined, { state: State; index: number } | undefined> = {
    published: choosePredefined(indexed, "published", PUBLISHED_KEY),
    scheduled: choosePredefined(indexed, "scheduled", SCHEDULED_KEY),
    archived: choosePredefined(indexed, "archived", ARCHIVED_KEY),
  };
  /** neutral state key → where it lands in Kontent.ai. */
  const target = new Map<string, { kind: "step"; codename: string; name: string } | { kind: Predefined }>();

  const steps: KontentStepWrite[] = [];
  for (const { state, index } of stepStates) {
    const path: Path = ["states", index];
    const stepCodename = codenameOf(
      state.key,
      KONTENT_LIMITS.stepCodename,
      [...path, "key"],
      "step",
      loss,
      taken,
    );
    let stepName = pick(state.name, [...path, "name"], `state "${state.key}" name`);
    if (stepName === "") {
      loss(
        "unsupported_value",
        [...path, "name"],
        `state "${state.key}": Kontent.ai step names cannot be empty; the key is used`,
      );
      stepName = state.key;
    }
    stepName = limit(
      stepName,
      KONTENT_LIMITS.stepName,
      [...path, "name"],
      "Kontent.ai step names are 1–30 characters",
    );
    steps.push({
      name: stepName,
      codename: stepCodename,
      color: colorOf(state, [...path, "color"], loss),
      transitions_to: [],
      role_ids: roleIds(state.roles),
    });
    target.set(state.key, { kind: "step", codename: stepCodename, name: stepName });
    commonStateLosses(state, path, loss, otherVendor);
  }

  for (const kind of ["published", "scheduled", "archived"] as const) {
    const main = chosen[kind];
    const expectedKey = { published: PUBLISHED_KEY, scheduled: SCHEDULED_KEY, archived: ARCHIVED_KEY }[kind];
    for (const { state, index } of indexed.filter(({ state }) => state.kind === kind)) {
      const path: Path = ["states", index];
      target.set(state.key, { kind });
      if (main && state !== main.state) {
        loss(
          "structure",
          path,
          `state "${state.key}": Kontent.ai has one ${PREDEFINED_NAMES[kind]} step; merged into "${main.state.key}" (transitions to and from it now use that step)`,
        );
        continue;
      }
      if (state.key !== expectedKey) {
        loss(
          "unsupported_value",
          [...path, "key"],
          `state "${state.key}": Kontent.ai's ${PREDEFINED_NAMES[kind]} step reads back as "${expectedKey}"`,
        );
      }
      const shown = textOf(state.name, locale);
      if (shown !== PREDEFINED_NAMES[kind]) {
        loss(
          "unsupported_value",
          [...path, "name"],
          `state "${state.key}": Kontent.ai's predefined step is named "${PREDEFINED_NAMES[kind]}" and a write cannot rename it ("${shown}" is dropped)`,
        );
      } else if (Object.keys(state.name).length > 1) {
        pick(state.name, [...path, "name"], `state "${state.key}" name`);
      }
      if (state.color !== undefined) {
        loss(
          "unsupported_field",
          [...path, "color"],
          `state "${state.key}": Kontent.ai's predefined steps have no colour ("${state.color}" dropped)`,
        );
      }
      if (state.roles.length > 0) {
        const where =
          kind === "published"
            ? "who may unpublish or create a new version is set on those transitions"
            : kind === "archived"
              ? "who may restore is set on the restore transition"
              : "nobody works with content while it is scheduled";
        loss(
          "role_granularity",
          [...path, "roles"],
          `state "${state.key}": Kontent.ai's ${PREDEFINED_NAMES[kind]} step has no roles of its own (${where}); dropped ${state.roles.join(", ")}`,
        );
      }
      commonStateLosses(state, path, loss, otherVendor);
    }
  }
  if (!chosen.published) {
    loss("structure", ["states"], "Kontent.ai workflows always have a Published step; one is added");
  }
  if (!chosen.archived) {
    loss(
      "structure",
      ["states"],
      "Kontent.ai workflows always have an Archived step, reachable by unpublishing and left by restoring (open to every role); one is added",
    );
  }

  // --- transitions
  const stepByKey = new Map(stepStates.map(({ state }, i) => [state.key, steps[i]!]));
  const refOf = (key: string): KontentReference | undefined => {
    const landing = target.get(key);
    if (!landing) return undefined;
    if (landing.kind === "step") return { codename: landing.codename };
    if (landing.kind === "published") return { codename: PUBLISHED_CODENAME };
    if (landing.kind === "archived") return { codename: ARCHIVED_CODENAME };
    return undefined;
  };
  const implicitSeen = {
    unpublish: [] as string[][],
    createNewVersion: [] as string[][],
    restore: [] as string[][],
  };
  const implicitFirst: Partial<Record<keyof typeof implicitSeen, number>> = {};
  /** Per step: the transitions leaving it and who may fire each (undefined: anyone). */
  const leaving = new Map<
    string,
    Array<{ index: number; key: string; ref: KontentReference; roles: string[] | undefined }>
  >();

  workflow.transitions.forEach((transition, index) => {
    const path: Path = ["transitions", index];
    const label = `transition "${transition.key}" from "${transition.from}"`;
    const source = target.get(transition.from);
    if (!source) {
      loss("structure", path, `${label}: its source state does not exist; dropped`);
      return;
    }
    if (transition.to === null) {
      loss(
        "unsupported_value",
        [...path, "to"],
        `${label}: Kontent.ai has no transitions that stay in the same step; dropped`,
      );
      return;
    }
    const destination = target.get(transition.to);
    if (!destination) {
      loss("structure", [...path, "to"], `${label}: its target "${transition.to}" is not a state; dropped`);
      return;
    }

    if (source.kind === "step") {
      const step = stepByKey.get(transition.from)!;
      if (destination.kind === "step" && destination.codename === source.codename) {
        // e.g. a Contensis event whose transitionTo is its own state: Kontent.ai refuses a step
        // that transitions to itself, and content that stays needs no transition there.
        loss(
          "unsupported_value",
          [...path, "to"],
          `${label}: Kontent.ai steps cannot transition to themselves; dropped`,
        );
        return;
      }
      const ref = refOf(transition.to);
      if (!ref) {
        loss(
          "unsupported_value",
          [...path, "to"],
          `${label}: Kontent.ai moves content to Scheduled only by scheduling a publish; dropped`,
        );
        return;
      }
      const refCodename = (ref as { codename: string }).codename;
      if (
        step.transitions_to.some(
          (existing) => (existing.step as { codename: string }).codename === refCodename,
        )
      ) {
        loss(
          "structure",
          path,
          `${label}: another transition from "${transition.from}" already leads to "${transition.to}"; Kontent.ai keeps one, merged`,
        );
        return;
      }
      step.transitions_to.push({ step: ref });
      const fromState = workflow.states.find((state) => state.key === transition.from);
      const leavingHere = leaving.get(transition.from) ?? [];
      leavingHere.push({
        index,
        key: transition.key,
        ref,
        roles: effectiveRoles(fromState?.roles ?? [], transition.roles),
      });
      leaving.set(transition.from, leavingHere);
      const expectedKey = destination.kind === "step" ? destination.codename : destination.kind;
      const expectedName =
        destination.kind === "step"
          ? destination.name
          : textOf(chosen[destination.kind]?.state.name, locale) || PREDEFINED_NAMES[destination.kind];
      transitionLosses(transition, path, label, expectedKey, expectedName, loss, pick, otherVendor, locale);
      return;
    }

    // Implicit transitions: published → archived, published → initial, archived → initial.
    let which: keyof typeof implicitSeen | undefined;
    if (source.kind === "published" && destination.kind === "archived") which = "unpublish";
    else if (source.kind === "published" && transition.to === workflow.initial) which = "createNewVersion";
    else if (source.kind === "archived" && transition.to === workflow.initial) which = "restore";
    if (!which) {
      loss(
        "implicit_transition",
        path,
        source.kind === "scheduled"
          ? `${label}: Kontent.ai's scheduler moves content out of Scheduled; dropped`
          : `${label}: from ${PREDEFINED_NAMES[source.kind]}, Kontent.ai only ${
              source.kind === "published"
                ? "unpublishes to Archived or creates a new version in the first step"
                : "restores to the first step"
            }; a transition to "${transition.to}" is dropped`,
      );
      return;
    }
    const { key, name: implicitName } = IMPLICIT_TRANSITIONS[which];
    if (implicitFirst[which] !== undefined) {
      loss("structure", path, `${label}: Kontent.ai has one "${key}" transition; merged (roles joined)`);
    } else {
      implicitFirst[which] = index;
      transitionLosses(transition, path, label, key, implicitName, loss, pick, otherVendor, locale);
    }
    implicitSeen[which].push(
      implicitWho(workflow.states.find((s) => s.key === transition.from)?.roles ?? [], transition.roles),
    );
  });

  // Roles: Kontent.ai sets them per step, and a step's roles may take every transition leaving it.
  // A step's roles are the roles that may fire every transition leaving it (never widened: empty,
  // i.e. anyone, only when anyone may fire them all). Where no role may fire them all, the
  // transitions the most common role may not fire are dropped (narrowed, reported).
  stepStates.forEach(({ state, index }, i) => {
    const step = steps[i]!;
    const out = leaving.get(state.key) ?? [];
    const finite = out.filter((entry) => entry.roles !== undefined);
    if (finite.length === 0) return; // anyone may fire them all: the state's roles (none) stand
    const count = new Map<string, number>();
    for (const entry of out) {
      for (const role of entry.roles ?? []) count.set(role, (count.get(role) ?? 0) + 1);
    }
    const anyone = out.length - finite.length;
    const ranked = [...count].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const best = ranked[0]?.[0];
    // No role may fire any restricted one (all are for nobody): only the open ones stay.
    const kept = out.filter(
      (entry) => entry.roles === undefined || (best !== undefined && entry.roles.includes(best)),
    );
    const dropped = out.filter((entry) => !kept.includes(entry));
    let roles = best === undefined ? [] : [best];
    if (best !== undefined) {
      const sets = kept.flatMap((entry) => (entry.roles ? [entry.roles] : []));
      roles = sets.reduce((acc, set) => acc.filter((role) => set.includes(role)), [...(sets[0] ?? [])]);
    }
    for (const entry of dropped) {
      const position = step.transitions_to.findIndex((t) => t.step === entry.ref);
      if (position >= 0) step.transitions_to.splice(position, 1);
      loss(
        "role_granularity",
        ["transitions", entry.index, "roles"],
        `transition "${entry.key}" from "${state.key}": Kontent.ai sets roles per step, and ${
          entry.roles?.length ? `its roles (${entry.roles.join(", ")})` : "no role"
        } share none with the step's other transitions; dropped (narrowed, never widened)`,
      );
    }
    const widerThanStep = kept.some(
      (entry) => !entry.roles || entry.roles.some((role) => !roles.includes(role)),
    );
    if (best !== undefined && (widerThanStep || anyone > 0)) {
      loss(
        "role_granularity",
        ["states", index, "roles"],
        `state "${state.key}": Kontent.ai sets roles per step, so only ${roles.join(", ")} may take its transitions (${kept
          .map((entry) => `"${entry.key}": ${entry.roles ? entry.roles.join(", ") : "anyone"}`)
          .join("; ")} in the source; narrowed, never widened)`,
      );
    }
    // In the order the state lists them (a same-vendor round trip writes what it read).
    const order = (role: string) => {
      const at = state.roles.indexOf(role);
      return at < 0 ? state.roles.length : at;
    };
    roles.sort((a, b) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
    step.role_ids = roleIds(roles);
  });

  // A step must lead somewhere (transitions_to: "min. 1 items", [W]). No transition is invented
  // (it would open a path the source does not have): such a workflow is refused, naming the states.
  const stuck = stepStates
    .filter((_, i) => steps[i]!.transitions_to.length === 0)
    .map(({ state }) => state.key);
  if (stuck.length > 0) {
    throw new KontentMappingError(
      `workflow "${workflow.key}": state${stuck.length === 1 ? "" : "s"} ${stuck.map((key) => `"${key}"`).join(", ")} ` +
        `${stuck.length === 1 ? "has" : "have"} no transition Kontent.ai can hold, and every Kontent.ai step needs one and must reach Published ` +
        "(transitions_to: min. 1 items, https://kontent.ai/learn/docs/apis/management-api-v2/workflows); " +
        "this tool adds none: give the state a transition in the source",
    );
  }

  const joined = (lists: string[][]): string[] => joinImplicit(lists).roles; // implicit-roles.ts
  const implicitRoles = (which: keyof typeof implicitSeen) => roleIds(joined(implicitSeen[which]));
  if (chosen.published) {
    for (const which of ["unpublish", "createNewVersion"] as const) {
      if (implicitSeen[which].length === 0) {
        loss(
          "implicit_transition",
          ["states", chosen.published.index],
          `Kontent.ai always allows "${IMPLICIT_TRANSITIONS[which].key}" from Published; with no such transition in the source, every role may do it`,
        );
      }
    }
  }
  if (chosen.archived && implicitSeen.restore.length === 0) {
    loss(
      "implicit_transition",
      ["states", chosen.archived.index],
      `Kontent.ai always allows "restore" from Archived to the first step; with no such transition in the source, every role may do it`,
    );
  }
  for (const which of ["unpublish", "createNewVersion", "restore"] as const)
    nobodyLoss(
      IMPLICIT_TRANSITIONS[which].key,
      implicitSeen[which],
      ["transitions", implicitFirst[which] ?? 0],
      loss,
    );

  const body: KontentWorkflowWrite = {
    name,
    codename,
    scopes: scopesOf(workflow, context, missing, loss),
    steps,
    published_step: {
      unpublish_role_ids: implicitRoles("unpublish"),
      create_new_version_role_ids: implicitRoles("createNewVersion"),
    },
    archived_step: { role_ids: implicitRoles("restore") },
  };

  if (unnamed.size > 0) {
    throw new KontentRolesUnavailableError([...unnamed], where, context.rolesUnavailable ?? "");
  }
  if (Object.values(missing).some((names) => names.length > 0)) {
    throw new KontentUnresolvedReferencesError(missing, where);
  }
  if (ambiguous.size > 0) {
    throw new KontentMappingError(
      `role name${ambiguous.size === 1 ? "" : "s"} ${[...ambiguous].map((n) => `"${n}"`).join(", ")} ` +
        `match several roles in ${where}; give the roles unique names`,
    );
  }
  return { value: body, losses };
}

function choosePredefined(
  indexed: ReadonlyArray<{ state: State; index: number }>,
  kind: Predefined,
  key: string,
): { state: State; index: number } | undefined {
  const ofKind = indexed.filter(({ state }) => state.kind === kind);
  return ofKind.find(({ state }) => state.key === key) ?? ofKind[0];
}

type LossFn = (code: LossCode, path: Path, message: string) => void;

function commonStateLosses(
  state: State,
  path: Path,
  loss: LossFn,
  otherVendor: (extensions: Workflow["extensions"], path: Path, what: string) => void,
) {
  if (state.description)
    loss(
      "unsupported_field",
      [...path, "description"],
      `state "${state.key}": Kontent.ai steps have no description`,
    );
  if (!state.editable) {
    loss(
      "unsupported_value",
      [...path, "editable"],
      `state "${state.key}": Kontent.ai cannot lock content in a step (editable: false); content stays editable for the step's roles`,
    );
  }
  otherVendor(state.extensions, path, `state "${state.key}"`);
}

function transitionLosses(
  transition: Transition,
  path: Path,
  label: string,
  expectedKey: string,
  expectedName: string,
  loss: LossFn,
  pick: (value: Record<string, string>, path: Path, what: string) => string,
  otherVendor: (extensions: Workflow["extensions"], path: Path, what: string) => void,
  locale: string,
) {
  if (transition.key !== expectedKey) {
    loss(
      "unsupported_value",
      [...path, "key"],
      `${label}: Kontent.ai transitions have no key of their own; it reads back as "${expectedKey}"`,
    );
  }
  const shown = textOf(transition.name, locale);
  if (shown !== expectedName) {
    loss(
      "unsupported_field",
      [...path, "name"],
      `${label}: Kontent.ai transitions have no name; "${shown}" is dropped (it reads back as "${expectedName}")`,
    );
  } else if (Object.keys(transition.name).length > 1) {
    pick(transition.name, [...path, "name"], `${label} name`);
  }
  if (transition.description)
    loss(
      "unsupported_field",
      [...path, "description"],
      `${label}: Kontent.ai transitions have no description`,
    );
  if (transition.auditText)
    loss("unsupported_field", [...path, "auditText"], `${label}: Kontent.ai transitions have no audit text`);
  if (transition.group !== undefined)
    loss("unsupported_field", [...path, "group"], `${label}: Kontent.ai has no transition groups`);
  if (transition.parameters.length > 0) {
    loss(
      "unsupported_field",
      [...path, "parameters"],
      `${label}: Kontent.ai transitions take no parameters (${transition.parameters.map((p) => p.key).join(", ")} dropped)`,
    );
  }
  if (transition.guard)
    loss(
      "unsupported_field",
      [...path, "guard"],
      `${label}: Kontent.ai transitions have no conditions (guard dropped)`,
    );
  if (transition.validate) {
    loss(
      "unsupported_field",
      [...path, "validate"],
      `${label}: Kontent.ai cannot require valid content for a transition (validate dropped)`,
    );
  }
  otherVendor(transition.extensions, path, label);
}

function codenameOf(
  key: string,
  max: number,
  path: Path,
  what: "workflow" | "step",
  loss: LossFn,
  taken: Set<string>,
): string {
  let codename = key.toLowerCase();
  if (codename !== key) {
    loss(
      "invalid_key",
      path,
      `${what} "${key}": Kontent.ai codenames hold only lowercase letters, digits and _; written as "${codename}"`,
    );
  }
  if (codename.length > max) {
    const cut = codename.slice(0, max);
    loss(
      "too_long",
      path,
      `${what} "${key}": Kontent.ai ${what} codenames are 1–${max} characters; cut to "${cut}"`,
    );
    codename = cut;
  }
  if (taken.has(codename)) {
    let n = 2;
    let candidate = codename;
    while (taken.has(candidate)) {
      const suffix = `_${n++}`;
      candidate = codename.slice(0, max - suffix.length) + suffix;
    }
    loss(
      "invalid_key",
      path,
      `${what} "${key}": the codename "${codename}" is taken in this workflow; written as "${candidate}"`,
    );
    codename = candidate;
  }
  taken.add(codename);
  return codename;
}

function colorOf(state: State, path: Path, loss: LossFn): KontentColor {
  const color = state.color;
  if (color === undefined) return DEFAULT_COLOR;
  if ((KONTENT_COLORS as readonly string[]).includes(color)) return color as KontentColor;
  const lower = color.trim().toLowerCase();
  const mapped = (KONTENT_COLORS as readonly string[]).includes(lower)
    ? (lower as KontentColor)
    : COLOR_ALIASES[lower.replace(/[\s_]+/g, "-")];
  if (mapped) {
    loss(
      "unsupported_value",
      path,
      `state "${state.key}": colour "${color}" is not in Kontent.ai's palette; mapped to "${mapped}"`,
    );
    return mapped;
  }
  loss(
    "unsupported_value",
    path,
    `state "${state.key}": colour "${color}" is not in Kontent.ai's palette (${KONTENT_COLORS.join(", ")}); written as "${DEFAULT_COLOR}"`,
  );
  return DEFAULT_COLOR;
}

function scopesOf(
  workflow: Workflow,
  context: KontentMappingContext,
  missing: Record<RefKind, string[]>,
  loss: LossFn,
): KontentWorkflowWrite["scopes"] {
  const known = (lookup: IdLookup | undefined) => {
    if (lookup === undefined) return undefined;
    const byId = toMap(lookup, "codename");
    const byExternalId = new Map<string, string>();
    if (Array.isArray(lookup)) {
      for (const entry of lookup as ReadonlyArray<{ id: string; external_id?: unknown }>) {
        if (typeof entry.external_id === "string") byExternalId.set(entry.external_id, entry.id);
      }
    }
    return { byId, codenames: new Set(byId.values()), byExternalId };
  };
  const types = known(context.contentTypes);
  const collections = known(context.collections);
  // A key is a codename; a typed reference (an id or external id read offline) is resolved in the
  // target when it is known (an id that is not there is unresolved), written as given otherwise.
  const reference = (
    entry: string,
    list: ReturnType<typeof known>,
    kind: "contentType" | "collection",
  ): KontentReference => {
    const parsed = parseReference(entry);
    if (parsed.kind === "key") {
      if (list && !list.codenames.has(entry)) missing[kind].push(entry);
      return { codename: entry };
    }
    if (parsed.kind === "id") {
      if (!list) return { id: parsed.value };
      const codename = list.byId.get(parsed.value);
      if (codename === undefined) missing[kind].push(entry);
      return codename === undefined ? { id: parsed.value } : { codename };
    }
    if (!list) return { external_id: parsed.value };
    const id = list.byExternalId.get(parsed.value);
    const codename = id === undefined ? undefined : list.byId.get(id);
    if (codename === undefined) missing[kind].push(entry);
    return codename === undefined ? { external_id: parsed.value } : { codename };
  };
  const scope = (contentTypes: readonly string[], collectionCodenames: readonly string[]) => ({
    content_types: contentTypes.map((entry) => reference(entry, types, "contentType")),
    collections: collectionCodenames.map((entry) => reference(entry, collections, "collection")),
  });
  const first = scope(workflow.scope.contentTypes, workflow.scope.collections);
  const extra = workflow.extensions.kontent?.scopes;
  if (extra === undefined) {
    return first.content_types.length + first.collections.length === 0 ? [] : [first];
  }
  if (!Array.isArray(extra)) {
    loss(
      "structure",
      ["extensions", "kontent", "scopes"],
      "extensions.kontent.scopes is not a list; ignored",
    );
    return first.content_types.length + first.collections.length === 0 ? [] : [first];
  }
  const rest: KontentWorkflowWrite["scopes"] = [];
  extra.forEach((entry: unknown, index) => {
    const value = entry as { contentTypes?: unknown; collections?: unknown } | null;
    const list = (v: unknown) =>
      Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : undefined;
    const ct = list(value?.contentTypes ?? []);
    const co = list(value?.collections ?? []);
    if (!ct || !co) {
      loss(
        "structure",
        ["extensions", "kontent", "scopes", index],
        "a scope here needs contentTypes and collections as lists of codenames; ignored",
      );
      return;
    }
    rest.push(scope(ct, co));
  });
  return [first, ...rest];
}
