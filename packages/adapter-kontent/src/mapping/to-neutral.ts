import {
  type MappingResult,
  parseWorkflow,
  type State,
  type Transition,
  type Workflow,
} from "@workflow-sync/core";
import { KontentMappingError, KontentUnresolvedReferencesError } from "../errors.ts";
import type { KontentWorkflow } from "../wire.ts";
import {
  ARCHIVED_KEY,
  DEFAULT_LOCALE,
  IMPLICIT_TRANSITIONS,
  type KontentMappingContext,
  PREDEFINED_NAMES,
  PUBLISHED_KEY,
  type RefKind,
  roleIdReference,
  SCHEDULED_KEY,
  toMap,
} from "./context.ts";

// Kontent.ai → neutral (docs/mapping-decisions.md, "Kontent.ai ⇄ neutral"; conventions in context.ts).

/**
 * A Kontent.ai workflow (as `GET /workflows` answers it) in neutral form. Ids become names (roles)
 * and codenames (content types, collections, steps); an id that does not resolve throws an
 * `UnresolvedReferencesError` listing every one. The result parses with core's `Workflow`.
 */
export function toNeutral(wire: KontentWorkflow, context: KontentMappingContext): MappingResult<Workflow> {
  const read = startRead(wire, context);
  const stepKeys = stepKeysOf(wire);
  const stepNames = stepNamesOf(wire);
  const initial = wire.steps[0]!.codename;
  const states = statesOf(read, stepNames);
  const transitions = [...stepTransitions(read, stepKeys, stepNames), ...implicitTransitions(read, initial)];
  const { scope, kontent } = scopesOf(read);
  if (Object.values(read.missing).some((names) => names.length > 0)) {
    throw new KontentUnresolvedReferencesError(read.missing, read.where);
  }
  return {
    value: parseNeutral(read.where, {
      key: wire.codename,
      name: read.text(wire.name),
      scope,
      initial,
      states,
      transitions,
      groups: [],
      extensions: Object.keys(kontent).length > 0 ? { kontent } : {},
    }),
    losses: [],
  };
}

/** What every part of one `toNeutral` call shares: the source, the lookups and what did not resolve. */
interface Read {
  wire: KontentWorkflow;
  context: KontentMappingContext;
  where: string;
  missing: Record<RefKind, string[]>;
  text(value: string): Record<string, string>;
  /** Role ids → names (or typed ids when the roles cannot be listed). */
  roles(ids: readonly string[]): string[];
  /** Content type or collection ids → codenames. */
  codenames(refs: ReadonlyArray<{ id: string }>, kind: "contentType" | "collection"): string[];
}

function startRead(wire: KontentWorkflow, context: KontentMappingContext): Read {
  const locale = context.locale ?? DEFAULT_LOCALE;
  const roleNames = context.roles === "names" ? undefined : toMap(context.roles, "name");
  const lookups = {
    contentType: toMap(context.contentTypes, "codename"),
    collection: toMap(context.collections, "codename"),
  };
  const missing: Record<RefKind, string[]> = { role: [], contentType: [], collection: [], state: [] };
  return {
    wire,
    context,
    where: `Kontent.ai workflow "${wire.codename}"${context.environment ? ` of ${context.environment}` : ""}`,
    missing,
    text: (value) => ({ [locale]: value }),
    roles: (ids) =>
      ids.map((id) => {
        if (context.rolesUnavailable !== undefined) return roleIdReference(id);
        if (roleNames === undefined) return id;
        const name = roleNames.get(id);
        if (name === undefined) missing.role.push(id);
        return name ?? id;
      }),
    codenames: (refs, kind) =>
      refs.map((ref) => {
        const codename = lookups[kind].get(ref.id);
        if (codename === undefined) missing[kind].push(ref.id);
        return codename ?? ref.id;
      }),
  };
}

/** Step id → neutral state key. */
function stepKeysOf(wire: KontentWorkflow): Map<string, string> {
  const stepKeys = new Map<string, string>();
  for (const step of wire.steps) stepKeys.set(step.id, step.codename);
  stepKeys.set(wire.published_step.id, PUBLISHED_KEY);
  if (wire.scheduled_step) stepKeys.set(wire.scheduled_step.id, SCHEDULED_KEY);
  stepKeys.set(wire.archived_step.id, ARCHIVED_KEY);
  return stepKeys;
}

/** Neutral state key → the step's name. */
function stepNamesOf(wire: KontentWorkflow): Map<string, string> {
  const stepNames = new Map<string, string>();
  for (const step of wire.steps) stepNames.set(step.codename, step.name);
  stepNames.set(PUBLISHED_KEY, wire.published_step.name);
  stepNames.set(SCHEDULED_KEY, wire.scheduled_step?.name ?? PREDEFINED_NAMES.scheduled);
  stepNames.set(ARCHIVED_KEY, wire.archived_step.name);
  return stepNames;
}

/** The steps in order (the first is the initial state), then the three predefined steps. */
function statesOf(read: Read, stepNames: ReadonlyMap<string, string>): State[] {
  const { wire, context } = read;
  const locale = context.locale ?? DEFAULT_LOCALE;
  return [
    ...wire.steps.map(
      (step, index): State => ({
        key: step.codename,
        name: read.text(step.name),
        kind: index === 0 ? "initial" : "step",
        ...(step.color === undefined ? {} : { color: step.color }),
        editable: true,
        roles: read.roles(step.role_ids),
        extensions: {},
      }),
    ),
    predefinedState(PUBLISHED_KEY, "published", wire.published_step.name, locale),
    predefinedState(SCHEDULED_KEY, "scheduled", stepNames.get(SCHEDULED_KEY)!, locale),
    predefinedState(ARCHIVED_KEY, "archived", wire.archived_step.name, locale),
  ];
}

/** One transition per `transitions_to` entry, keyed and named by the step it leads to. */
function stepTransitions(
  read: Read,
  stepKeys: ReadonlyMap<string, string>,
  stepNames: ReadonlyMap<string, string>,
): Transition[] {
  const transitions: Transition[] = [];
  for (const step of read.wire.steps) {
    for (const target of step.transitions_to) {
      let to = stepKeys.get(target.step.id);
      if (to === undefined && read.context.danglingSteps && target.step.id.startsWith("codename:")) {
        to = target.step.id.slice("codename:".length);
      }
      if (to === undefined) {
        read.missing.state.push(target.step.id);
        continue;
      }
      transitions.push(plainTransition(to, step.codename, to, read.text(stepNames.get(to) ?? to), []));
    }
  }
  return transitions;
}

/** Kontent.ai's implicit transitions (unpublish, create new version, restore), explicit in neutral form. */
function implicitTransitions(read: Read, initial: string): Transition[] {
  const { published_step, archived_step } = read.wire;
  const implicit = (
    which: keyof typeof IMPLICIT_TRANSITIONS,
    from: string,
    to: string,
    roleIds: readonly string[],
  ): Transition => {
    const { key, name } = IMPLICIT_TRANSITIONS[which];
    return {
      ...plainTransition(key, from, to, read.text(name), read.roles(roleIds)),
      extensions: { kontent: { implicit: true } },
    };
  };
  return [
    implicit("unpublish", PUBLISHED_KEY, ARCHIVED_KEY, published_step.unpublish_role_ids),
    implicit("createNewVersion", PUBLISHED_KEY, initial, published_step.create_new_version_role_ids),
    implicit("restore", ARCHIVED_KEY, initial, archived_step.role_ids),
  ];
}

/**
 * docs/mapping-decisions.md: scopes[0] → scope, the rest in extensions.kontent.scopes. A single
 * scope with both lists empty is kept apart from "no scope at all" (`scopes: []`, as the default
 * workflow has it: data-ops createDefaultWorkflowData) by `extensions.kontent.scopes: []`.
 */
function scopesOf(read: Read): { scope: Workflow["scope"]; kontent: Record<string, unknown> } {
  const scopes = read.wire.scopes.map((scope) => ({
    contentTypes: read.codenames(scope.content_types, "contentType"),
    collections: read.codenames(scope.collections, "collection"),
  }));
  const first = scopes[0] ?? { contentTypes: [], collections: [] };
  const kontent: Record<string, unknown> = {};
  if (
    scopes.length > 1 ||
    (scopes.length === 1 && first.contentTypes.length + first.collections.length === 0)
  ) {
    kontent.scopes = scopes.slice(1);
  }
  return { scope: first, kontent };
}

/** core's parse: a plain, valid workflow takes its fast path; anything else gets zod's report. */
function parseNeutral(where: string, candidate: unknown): Workflow {
  const parsed = parseWorkflow(candidate);
  if (!parsed.ok) {
    const issue = parsed.issues[0];
    throw new KontentMappingError(
      `${where} does not fit the neutral model: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"}`,
    );
  }
  return parsed.value;
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
