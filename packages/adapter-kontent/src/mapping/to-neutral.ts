import { type MappingResult, type State, type Transition, Workflow } from "@workflow-sync/core";
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
