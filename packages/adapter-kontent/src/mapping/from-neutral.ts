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
  type Workflow,
} from "@workflow-sync/core";
import {
  KontentMappingError,
  KontentRolesUnavailableError,
  KontentUnresolvedReferencesError,
} from "../errors.ts";
import { KONTENT_COLORS, KONTENT_LIMITS, type KontentColor } from "../rules.ts";
import {
  ARCHIVED_CODENAME,
  type KontentReference,
  type KontentStepWrite,
  type KontentWorkflowWrite,
  PUBLISHED_CODENAME,
  SCHEDULED_CODENAME,
} from "../wire.ts";
import {
  ARCHIVED_KEY,
  DEFAULT_LOCALE,
  type IdLookup,
  IMPLICIT_TRANSITIONS,
  type KontentMappingContext,
  PREDEFINED_NAMES,
  PUBLISHED_KEY,
  type RefKind,
  roleIdOf,
  SCHEDULED_KEY,
  toMap,
} from "./context.ts";
import { implicitWho, joinImplicit, nobodyLoss } from "./implicit-roles.ts";

// neutral → Kontent.ai (docs/mapping-decisions.md, "Kontent.ai ⇄ neutral"; conventions in context.ts).

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

type Predefined = "published" | "scheduled" | "archived";
type LossFn = (code: LossCode, path: Path, message: string) => void;
type ImplicitKind = keyof typeof IMPLICIT_TRANSITIONS;
type Indexed = { state: State; index: number };
type StepLanding = { kind: "step"; codename: string; name: string };
/** Where a neutral state lands in Kontent.ai: a step of its own or the predefined step of its kind. */
type Landing = StepLanding | { kind: Predefined };

const PREDEFINED_KEYS: Readonly<Record<Predefined, string>> = {
  published: PUBLISHED_KEY,
  scheduled: SCHEDULED_KEY,
  archived: ARCHIVED_KEY,
};

/** Role names → ids in the target, and the names that could not be given one. */
interface RoleResolver {
  ids(names: readonly string[]): string[];
  /** Names that cannot be resolved because the target's roles cannot be listed. */
  unnamed: Set<string>;
  /** Names that several roles of the target carry. */
  ambiguous: Set<string>;
}

/** What every part of one `fromNeutral` call shares: the source, the target's lookups and what was lost. */
interface Run {
  workflow: Workflow;
  context: KontentMappingContext;
  /** The language names are written in. */
  locale: string;
  /** The target, for messages. */
  where: string;
  losses: Loss[];
  loss: LossFn;
  missing: Record<RefKind, string[]>;
  roles: RoleResolver;
}

/** The source's states as Kontent.ai holds them, and where each neutral state key lands. */
interface Layout {
  indexed: Indexed[];
  /** The states that become ordinary steps, the initial state first. */
  stepStates: Indexed[];
  /** The state of each predefined kind that becomes Kontent.ai's step of that kind. */
  chosen: Record<Predefined, Indexed | undefined>;
  target: Map<string, Landing>;
}

/** A transition leaving a step, and who may fire it (undefined: anyone). */
interface Leaving {
  index: number;
  key: string;
  ref: KontentReference;
  roles: string[] | undefined;
}

/** The transitions mapped so far: who may fire each implicit one, and what leaves each step. */
interface Moves {
  implicitSeen: Record<ImplicitKind, string[][]>;
  implicitFirst: Partial<Record<ImplicitKind, number>>;
  leaving: Map<string, Leaving[]>;
}

/** One transition of the source, where it is and how messages name it. */
interface TransitionAt {
  transition: Transition;
  index: number;
  path: Path;
  label: string;
}

/**
 * The write body (`IAddWorkflowData`; an update adds step ids, see `updateBodies` in plan-writes.ts) for a
 * neutral workflow, with role ids resolved by name in the **target** environment and everything
 * Kontent.ai cannot hold reported as a loss. Unresolved role names (and content type / collection
 * codenames when the context lists them) throw one `UnresolvedReferencesError` listing all.
 */
export function fromNeutral(
  workflow: Workflow,
  context: KontentMappingContext,
): MappingResult<KontentWorkflowWrite> {
  const run = startRun(workflow, context);
  const { codename, name } = mapWorkflowHeader(run);
  const layout = layoutStates(workflow);
  const steps = mapSteps(run, layout);
  mapPredefinedStates(run, layout);
  const moves = mapTransitions(run, layout, steps);
  layout.stepStates.forEach((entry, i) => {
    narrowStepRoles(run, entry, steps[i]!, moves.leaving.get(entry.state.key) ?? []);
  });
  refuseStuckSteps(workflow, layout, steps);
  reportOpenImplicitTransitions(run, layout, moves);
  const implicitRoles = (which: ImplicitKind) => run.roles.ids(joinedRoles(moves.implicitSeen[which]));
  const body: KontentWorkflowWrite = {
    name,
    codename,
    scopes: scopesOf(workflow, context, run.missing, run.loss),
    steps,
    published_step: {
      unpublish_role_ids: implicitRoles("unpublish"),
      create_new_version_role_ids: implicitRoles("createNewVersion"),
    },
    archived_step: { role_ids: implicitRoles("restore") },
  };
  refuseUnresolved(run);
  return { value: body, losses: run.losses };
}

function startRun(workflow: Workflow, context: KontentMappingContext): Run {
  const losses: Loss[] = [];
  const missing: Record<RefKind, string[]> = { role: [], contentType: [], collection: [], state: [] };
  return {
    workflow,
    context,
    // The language names are written in: the one asked for (--locale, the environment's `locale`),
    // else the source's primary language (the first of its name), never simply the first sorted.
    locale: context.locale ?? Object.keys(workflow.name)[0] ?? DEFAULT_LOCALE,
    where: context.environment ?? "the target Kontent.ai environment",
    losses,
    loss: (code, path, message) => losses.push({ code, path, message, vendor: "kontent" }),
    missing,
    roles: roleResolver(context, missing),
  };
}

// --- role resolution

/** Role names → ids in the target. A name given to two roles is ambiguous: refuse, never guess. */
function roleResolver(context: KontentMappingContext, missing: Record<RefKind, string[]>): RoleResolver {
  const unnamed = new Set<string>();
  const ambiguous = new Set<string>();
  if (context.roles === "names") {
    // A typed role reference (a role id read offline) is the id itself.
    const ids = (names: readonly string[]) =>
      names.map((roleName) => {
        const reference = parseReference(roleName);
        return reference.kind === "id" ? reference.value : roleName;
      });
    return { ids, unnamed, ambiguous };
  }
  const nameById = toMap(context.roles, "name");
  const byName = new Map<string, string[]>();
  for (const [id, roleName] of nameById) byName.set(roleName, [...(byName.get(roleName) ?? []), id]);
  const ids = (names: readonly string[]): string[] =>
    names.flatMap((roleName) => {
      const typed = roleIdOf(roleName);
      if (typed !== undefined) {
        // A typed reference is the id itself; checked only where the roles can be listed.
        if (context.rolesUnavailable === undefined && !nameById.has(typed)) missing.role.push(roleName);
        return [typed];
      }
      if (context.rolesUnavailable !== undefined) {
        unnamed.add(roleName);
        return [];
      }
      const found = byName.get(roleName);
      if (found === undefined) {
        missing.role.push(roleName);
        return [];
      }
      if (found.length > 1) ambiguous.add(roleName);
      return [found[0]!];
    });
  return { ids, unnamed, ambiguous };
}

/** Every reference that did not resolve in the target, at once (roles unavailable first). */
function refuseUnresolved(run: Run): void {
  const { unnamed, ambiguous } = run.roles;
  if (unnamed.size > 0) {
    throw new KontentRolesUnavailableError([...unnamed], run.where, run.context.rolesUnavailable ?? "");
  }
  if (Object.values(run.missing).some((names) => names.length > 0)) {
    throw new KontentUnresolvedReferencesError(run.missing, run.where);
  }
  if (ambiguous.size > 0) {
    throw new KontentMappingError(
      `role name${ambiguous.size === 1 ? "" : "s"} ${[...ambiguous].map((n) => `"${n}"`).join(", ")} ` +
        `match several roles in ${run.where}; give the roles unique names`,
    );
  }
}

// --- names, lengths and other vendors' fields

/** One language of a localized name (Kontent.ai names are plain strings); the others are reported. */
function pickLocale(run: Run, value: Record<string, string>, path: Path, what: string): string {
  const { locale } = run;
  const locales = Object.keys(value);
  const chosen = value[locale] !== undefined ? locale : locales[0];
  if (locales.length > 1) {
    run.loss(
      "extra_locales",
      path,
      `${what}: Kontent.ai names are plain strings; kept "${chosen}"${chosen === locale ? "" : ` (no "${locale}")`}, dropped ${locales
        .filter((l) => l !== chosen)
        .sort()
        .join(", ")}`,
    );
  }
  return chosen === undefined ? "" : (value[chosen] ?? "");
}

function limitLength(run: Run, value: string, max: number, path: Path, rule: string): string {
  if (value.length <= max) return value;
  run.loss("too_long", path, `${rule}: "${value}" is ${value.length} characters, cut to ${max}`);
  return value.slice(0, max);
}

function otherVendorLosses(run: Run, extensions: Workflow["extensions"], path: Path, what: string): void {
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
      run.loss(
        "unsupported_field",
        [...path, "extensions", vendor],
        `${what}: ${vendor} extensions have no place in Kontent.ai${named.length > 0 ? ` (dropped: ${named.join(", ")})` : ""}`,
      );
    }
  }
}

// --- the workflow

/** The workflow's codename and name; what a Kontent.ai workflow cannot hold is reported. */
function mapWorkflowHeader(run: Run): { codename: string; name: string } {
  const { workflow, loss } = run;
  const codename = codenameOf(
    workflow.key,
    KONTENT_LIMITS.workflowCodename,
    ["key"],
    "workflow",
    loss,
    new Set(),
  );
  let workflowName = pickLocale(run, workflow.name, ["name"], "workflow name");
  if (workflowName === "") {
    loss(
      "unsupported_value",
      ["name"],
      "Kontent.ai workflow names cannot be empty (1–200 characters); the key is used",
    );
    workflowName = workflow.key;
  }
  const name = limitLength(
    run,
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
  otherVendorLosses(run, workflow.extensions, [], "workflow");
  return { codename, name };
}

// --- states: steps (initial first), then one state per predefined kind; extras merge into it

function layoutStates(workflow: Workflow): Layout {
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
  const chosen: Record<Predefined, Indexed | undefined> = {
    published: choosePredefined(indexed, "published", PUBLISHED_KEY),
    scheduled: choosePredefined(indexed, "scheduled", SCHEDULED_KEY),
    archived: choosePredefined(indexed, "archived", ARCHIVED_KEY),
  };
  return { indexed, stepStates, chosen, target: new Map() };
}

function mapSteps(run: Run, layout: Layout): KontentStepWrite[] {
  const taken = new Set<string>([PUBLISHED_CODENAME, SCHEDULED_CODENAME, ARCHIVED_CODENAME]);
  return layout.stepStates.map(({ state, index }) => mapStep(run, layout, state, index, taken));
}

/** One ordinary step (its transitions and final roles come later). */
function mapStep(
  run: Run,
  layout: Layout,
  state: State,
  index: number,
  taken: Set<string>,
): KontentStepWrite {
  const path: Path = ["states", index];
  const stepCodename = codenameOf(
    state.key,
    KONTENT_LIMITS.stepCodename,
    [...path, "key"],
    "step",
    run.loss,
    taken,
  );
  let stepName = pickLocale(run, state.name, [...path, "name"], `state "${state.key}" name`);
  if (stepName === "") {
    run.loss(
      "unsupported_value",
      [...path, "name"],
      `state "${state.key}": Kontent.ai step names cannot be empty; the key is used`,
    );
    stepName = state.key;
  }
  stepName = limitLength(
    run,
    stepName,
    KONTENT_LIMITS.stepName,
    [...path, "name"],
    "Kontent.ai step names are 1–30 characters",
  );
  const step: KontentStepWrite = {
    name: stepName,
    codename: stepCodename,
    color: colorOf(state, [...path, "color"], run.loss),
    transitions_to: [],
    role_ids: run.roles.ids(state.roles),
  };
  layout.target.set(state.key, { kind: "step", codename: stepCodename, name: stepName });
  commonStateLosses(run, state, path);
  return step;
}

function mapPredefinedStates(run: Run, layout: Layout): void {
  for (const kind of ["published", "scheduled", "archived"] as const) {
    const main = layout.chosen[kind];
    for (const { state, index } of layout.indexed.filter(({ state }) => state.kind === kind)) {
      const path: Path = ["states", index];
      layout.target.set(state.key, { kind });
      if (main && state !== main.state) {
        run.loss(
          "structure",
          path,
          `state "${state.key}": Kontent.ai has one ${PREDEFINED_NAMES[kind]} step; merged into "${main.state.key}" (transitions to and from it now use that step)`,
        );
        continue;
      }
      predefinedStateLosses(run, kind, state, path);
    }
  }
  if (!layout.chosen.published) {
    run.loss("structure", ["states"], "Kontent.ai workflows always have a Published step; one is added");
  }
  if (!layout.chosen.archived) {
    run.loss(
      "structure",
      ["states"],
      "Kontent.ai workflows always have an Archived step, reachable by unpublishing and left by restoring (open to every role); one is added",
    );
  }
}

/** What Kontent.ai's predefined step of `kind` cannot take from the state that becomes it. */
function predefinedStateLosses(run: Run, kind: Predefined, state: State, path: Path): void {
  const expectedKey = PREDEFINED_KEYS[kind];
  if (state.key !== expectedKey) {
    run.loss(
      "unsupported_value",
      [...path, "key"],
      `state "${state.key}": Kontent.ai's ${PREDEFINED_NAMES[kind]} step reads back as "${expectedKey}"`,
    );
  }
  const shown = textOf(state.name, run.locale);
  if (shown !== PREDEFINED_NAMES[kind]) {
    run.loss(
      "unsupported_value",
      [...path, "name"],
      `state "${state.key}": Kontent.ai's predefined step is named "${PREDEFINED_NAMES[kind]}" and a write cannot rename it ("${shown}" is dropped)`,
    );
  } else if (Object.keys(state.name).length > 1) {
    pickLocale(run, state.name, [...path, "name"], `state "${state.key}" name`);
  }
  if (state.color !== undefined) {
    run.loss(
      "unsupported_field",
      [...path, "color"],
      `state "${state.key}": Kontent.ai's predefined steps have no colour ("${state.color}" dropped)`,
    );
  }
  if (state.roles.length > 0) {
    const home =
      kind === "published"
        ? "who may unpublish or create a new version is set on those transitions"
        : kind === "archived"
          ? "who may restore is set on the restore transition"
          : "nobody works with content while it is scheduled";
    run.loss(
      "role_granularity",
      [...path, "roles"],
      `state "${state.key}": Kontent.ai's ${PREDEFINED_NAMES[kind]} step has no roles of its own (${home}); dropped ${state.roles.join(", ")}`,
    );
  }
  commonStateLosses(run, state, path);
}

function choosePredefined(indexed: readonly Indexed[], kind: Predefined, key: string): Indexed | undefined {
  const ofKind = indexed.filter(({ state }) => state.kind === kind);
  return ofKind.find(({ state }) => state.key === key) ?? ofKind[0];
}

// --- transitions

function mapTransitions(run: Run, layout: Layout, steps: readonly KontentStepWrite[]): Moves {
  const moves: Moves = {
    implicitSeen: { unpublish: [], createNewVersion: [], restore: [] },
    implicitFirst: {},
    leaving: new Map(),
  };
  const stepByKey = new Map(layout.stepStates.map(({ state }, i) => [state.key, steps[i]!]));
  run.workflow.transitions.forEach((transition, index) => {
    const at: TransitionAt = {
      transition,
      index,
      path: ["transitions", index],
      label: `transition "${transition.key}" from "${transition.from}"`,
    };
    const ends = transitionEnds(run, layout, at);
    if (!ends) return;
    const { source, destination } = ends;
    if (source.kind === "step") {
      stepTransition(run, layout, moves, stepByKey.get(transition.from)!, source, destination, at);
    } else {
      implicitTransition(run, moves, source.kind, destination, at);
    }
  });
  return moves;
}

/** Where both ends of a transition land, or undefined (reported) when one of them does not. */
function transitionEnds(
  run: Run,
  layout: Layout,
  { transition, path, label }: TransitionAt,
): { source: Landing; destination: Landing } | undefined {
  const source = layout.target.get(transition.from);
  if (!source) {
    run.loss("structure", path, `${label}: its source state does not exist; dropped`);
    return undefined;
  }
  if (transition.to === null) {
    run.loss(
      "unsupported_value",
      [...path, "to"],
      `${label}: Kontent.ai has no transitions that stay in the same step; dropped`,
    );
    return undefined;
  }
  const destination = layout.target.get(transition.to);
  if (!destination) {
    run.loss("structure", [...path, "to"], `${label}: its target "${transition.to}" is not a state; dropped`);
    return undefined;
  }
  return { source, destination };
}

/** The reference a step's `transitions_to` uses for a landing (none for Scheduled). */
function referenceTo(landing: Landing): KontentReference | undefined {
  if (landing.kind === "step") return { codename: landing.codename };
  if (landing.kind === "published") return { codename: PUBLISHED_CODENAME };
  if (landing.kind === "archived") return { codename: ARCHIVED_CODENAME };
  return undefined;
}

/** A transition from an ordinary step: one entry of its `transitions_to`, or dropped (reported). */
function stepTransition(
  run: Run,
  layout: Layout,
  moves: Moves,
  step: KontentStepWrite,
  source: StepLanding,
  destination: Landing,
  { transition, index, path, label }: TransitionAt,
): void {
  if (destination.kind === "step" && destination.codename === source.codename) {
    // e.g. a Contensis event whose transitionTo is its own state: Kontent.ai refuses a step
    // that transitions to itself, and content that stays needs no transition there.
    run.loss(
      "unsupported_value",
      [...path, "to"],
      `${label}: Kontent.ai steps cannot transition to themselves; dropped`,
    );
    return;
  }
  const ref = referenceTo(destination);
  if (!ref) {
    run.loss(
      "unsupported_value",
      [...path, "to"],
      `${label}: Kontent.ai moves content to Scheduled only by scheduling a publish; dropped`,
    );
    return;
  }
  const refCodename = (ref as { codename: string }).codename;
  if (
    step.transitions_to.some((existing) => (existing.step as { codename: string }).codename === refCodename)
  ) {
    run.loss(
      "structure",
      path,
      `${label}: another transition from "${transition.from}" already leads to "${transition.to}"; Kontent.ai keeps one, merged`,
    );
    return;
  }
  step.transitions_to.push({ step: ref });
  const fromState = run.workflow.states.find((state) => state.key === transition.from);
  const leavingHere = moves.leaving.get(transition.from) ?? [];
  leavingHere.push({
    index,
    key: transition.key,
    ref,
    roles: effectiveRoles(fromState?.roles ?? [], transition.roles),
  });
  moves.leaving.set(transition.from, leavingHere);
  const expectedKey = destination.kind === "step" ? destination.codename : destination.kind;
  const expectedName =
    destination.kind === "step"
      ? destination.name
      : textOf(layout.chosen[destination.kind]?.state.name, run.locale) || PREDEFINED_NAMES[destination.kind];
  transitionLosses(run, transition, path, label, expectedKey, expectedName);
}

/** Which implicit transition (published → archived, published → initial, archived → initial) this is, if any. */
function implicitKindOf(
  source: Predefined,
  destination: Landing,
  to: string,
  initial: string,
): ImplicitKind | undefined {
  if (source === "published" && destination.kind === "archived") return "unpublish";
  if (source === "published" && to === initial) return "createNewVersion";
  if (source === "archived" && to === initial) return "restore";
  return undefined;
}

/** A transition from a predefined step: one of Kontent.ai's implicit transitions, or dropped (reported). */
function implicitTransition(
  run: Run,
  moves: Moves,
  source: Predefined,
  destination: Landing,
  { transition, index, path, label }: TransitionAt,
): void {
  const which = implicitKindOf(source, destination, transition.to ?? "", run.workflow.initial);
  if (!which) {
    run.loss(
      "implicit_transition",
      path,
      source === "scheduled"
        ? `${label}: Kontent.ai's scheduler moves content out of Scheduled; dropped`
        : `${label}: from ${PREDEFINED_NAMES[source]}, Kontent.ai only ${
            source === "published"
              ? "unpublishes to Archived or creates a new version in the first step"
              : "restores to the first step"
          }; a transition to "${transition.to}" is dropped`,
    );
    return;
  }
  const { key, name: implicitName } = IMPLICIT_TRANSITIONS[which];
  if (moves.implicitFirst[which] !== undefined) {
    run.loss("structure", path, `${label}: Kontent.ai has one "${key}" transition; merged (roles joined)`);
  } else {
    moves.implicitFirst[which] = index;
    transitionLosses(run, transition, path, label, key, implicitName);
  }
  // The state's roles restrict too (implicit-roles.ts): who may take it, never more.
  const fromRoles = run.workflow.states.find((state) => state.key === transition.from)?.roles ?? [];
  moves.implicitSeen[which].push(implicitWho(fromRoles, transition.roles));
}

/** Who may fire a merged implicit transition (implicit-roles.ts): anyone if one is open. */
function joinedRoles(lists: string[][]): string[] {
  return joinImplicit(lists).roles;
}

/** The implicit transitions the source does not have: Kontent.ai opens them to every role (reported). */
function reportOpenImplicitTransitions(run: Run, layout: Layout, moves: Moves): void {
  const { chosen } = layout;
  if (chosen.published) {
    for (const which of ["unpublish", "createNewVersion"] as const) {
      if (moves.implicitSeen[which].length === 0) {
        run.loss(
          "implicit_transition",
          ["states", chosen.published.index],
          `Kontent.ai always allows "${IMPLICIT_TRANSITIONS[which].key}" from Published; with no such transition in the source, every role may do it`,
        );
      }
    }
  }
  if (chosen.archived && moves.implicitSeen.restore.length === 0) {
    run.loss(
      "implicit_transition",
      ["states", chosen.archived.index],
      `Kontent.ai always allows "restore" from Archived to the first step; with no such transition in the source, every role may do it`,
    );
  }
  for (const which of ["unpublish", "createNewVersion", "restore"] as const) {
    nobodyLoss(
      IMPLICIT_TRANSITIONS[which].key,
      moves.implicitSeen[which],
      ["transitions", moves.implicitFirst[which] ?? 0],
      run.loss,
    );
  }
}

// --- step roles

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The role that may fire the most of these transitions (ties: the first by name). */
function mostCommonRole(out: readonly Leaving[]): string | undefined {
  const count = new Map<string, number>();
  for (const entry of out) {
    for (const role of entry.roles ?? []) count.set(role, (count.get(role) ?? 0) + 1);
  }
  const ranked = [...count].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
  return ranked[0]?.[0];
}

/**
 * Roles: Kontent.ai sets them per step, and a step's roles may take every transition leaving it.
 * A step's roles are the roles that may fire every transition leaving it (never widened: empty,
 * i.e. anyone, only when anyone may fire them all). Where no role may fire them all, the
 * transitions the most common role may not fire are dropped (narrowed, reported).
 */
function narrowStepRoles(
  run: Run,
  { state, index }: Indexed,
  step: KontentStepWrite,
  out: readonly Leaving[],
): void {
  const finite = out.filter((entry) => entry.roles !== undefined);
  if (finite.length === 0) return; // anyone may fire them all: the state's roles (none) stand
  const anyone = out.length - finite.length;
  const best = mostCommonRole(out);
  // No role may fire any restricted one (all are for nobody): only the open ones stay.
  const kept = out.filter(
    (entry) => entry.roles === undefined || (best !== undefined && entry.roles.includes(best)),
  );
  const sets = kept.flatMap((entry) => (entry.roles ? [entry.roles] : []));
  const roles =
    best === undefined
      ? []
      : sets.reduce((acc, set) => acc.filter((role) => set.includes(role)), [...(sets[0] ?? [])]);
  for (const entry of out.filter((entry) => !kept.includes(entry))) {
    dropNarrowedTransition(run, state, step, entry);
  }
  const widerThanStep = kept.some(
    (entry) => !entry.roles || entry.roles.some((role) => !roles.includes(role)),
  );
  if (best !== undefined && (widerThanStep || anyone > 0)) {
    run.loss(
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
  roles.sort((a, b) => order(a) - order(b) || compareText(a, b));
  step.role_ids = run.roles.ids(roles);
}

/** A transition no role of its step may fire alongside the others: dropped (narrowed, reported). */
function dropNarrowedTransition(run: Run, state: State, step: KontentStepWrite, entry: Leaving): void {
  const position = step.transitions_to.findIndex((t) => t.step === entry.ref);
  if (position >= 0) step.transitions_to.splice(position, 1);
  run.loss(
    "role_granularity",
    ["transitions", entry.index, "roles"],
    `transition "${entry.key}" from "${state.key}": Kontent.ai sets roles per step, and ${
      entry.roles?.length ? `its roles (${entry.roles.join(", ")})` : "no role"
    } share none with the step's other transitions; dropped (narrowed, never widened)`,
  );
}

/**
 * A step must lead somewhere (transitions_to: "min. 1 items",
 * https://kontent.ai/learn/docs/apis/management-api-v2/workflows). No transition is invented (it
 * would open a path the source does not have): such a workflow is refused, naming the states.
 */
function refuseStuckSteps(workflow: Workflow, layout: Layout, steps: readonly KontentStepWrite[]): void {
  const stuck = layout.stepStates
    .filter((_, i) => steps[i]!.transitions_to.length === 0)
    .map(({ state }) => state.key);
  if (stuck.length === 0) return;
  throw new KontentMappingError(
    `workflow "${workflow.key}": state${stuck.length === 1 ? "" : "s"} ${stuck.map((key) => `"${key}"`).join(", ")} ` +
      `${stuck.length === 1 ? "has" : "have"} no transition Kontent.ai can hold, and every Kontent.ai step needs one and must reach Published ` +
      "(transitions_to: min. 1 items, https://kontent.ai/learn/docs/apis/management-api-v2/workflows); " +
      "this tool adds none: give the state a transition in the source",
  );
}

// --- losses common to states and transitions

function commonStateLosses(run: Run, state: State, path: Path): void {
  const { loss } = run;
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
  otherVendorLosses(run, state.extensions, path, `state "${state.key}"`);
}

/** What a Kontent.ai transition (which has no key, name or fields of its own) cannot take from the source's. */
function transitionLosses(
  run: Run,
  transition: Transition,
  path: Path,
  label: string,
  expectedKey: string,
  expectedName: string,
): void {
  const { loss, locale } = run;
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
    pickLocale(run, transition.name, [...path, "name"], `${label} name`);
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
  otherVendorLosses(run, transition.extensions, path, label);
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

/** A target's content types or collections, by id, by codename and by external id. */
interface ScopeLookup {
  byId: Map<string, string>;
  codenames: Set<string>;
  byExternalId: Map<string, string>;
}

function scopeLookup(lookup: IdLookup | undefined): ScopeLookup | undefined {
  if (lookup === undefined) return undefined;
  const byId = toMap(lookup, "codename");
  const byExternalId = new Map<string, string>();
  if (Array.isArray(lookup)) {
    for (const entry of lookup as ReadonlyArray<{ id: string; external_id?: unknown }>) {
      if (typeof entry.external_id === "string") byExternalId.set(entry.external_id, entry.id);
    }
  }
  return { byId, codenames: new Set(byId.values()), byExternalId };
}

/**
 * A key is a codename; a typed reference (an id or external id read offline) is resolved in the
 * target when it is known (an id that is not there is unresolved), written as given otherwise.
 */
function scopeReference(
  entry: string,
  list: ScopeLookup | undefined,
  kind: "contentType" | "collection",
  missing: Record<RefKind, string[]>,
): KontentReference {
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
}

/** `scope` first, then the extra scopes kept in `extensions.kontent.scopes` (docs/mapping-decisions.md). */
function scopesOf(
  workflow: Workflow,
  context: KontentMappingContext,
  missing: Record<RefKind, string[]>,
  loss: LossFn,
): KontentWorkflowWrite["scopes"] {
  const types = scopeLookup(context.contentTypes);
  const collections = scopeLookup(context.collections);
  const scope = (contentTypes: readonly string[], collectionCodenames: readonly string[]) => ({
    content_types: contentTypes.map((entry) => scopeReference(entry, types, "contentType", missing)),
    collections: collectionCodenames.map((entry) =>
      scopeReference(entry, collections, "collection", missing),
    ),
  });
  const first = scope(workflow.scope.contentTypes, workflow.scope.collections);
  const onlyFirst = first.content_types.length + first.collections.length === 0 ? [] : [first];
  const extra = workflow.extensions.kontent?.scopes;
  if (extra === undefined) return onlyFirst;
  if (!Array.isArray(extra)) {
    loss(
      "structure",
      ["extensions", "kontent", "scopes"],
      "extensions.kontent.scopes is not a list; ignored",
    );
    return onlyFirst;
  }
  const rest: KontentWorkflowWrite["scopes"] = [];
  extra.forEach((entry: unknown, index) => {
    const value = entry as { contentTypes?: unknown; collections?: unknown } | null;
    const ct = stringList(value?.contentTypes ?? []);
    const co = stringList(value?.collections ?? []);
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

const stringList = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((x) => typeof x === "string") ? (value as string[]) : undefined;
