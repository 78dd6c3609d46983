import {
  type LossCode,
  NO_ROLE,
  type Path,
  type State,
  type Transition,
  type Workflow,
} from "@workflow-sync/core";
import type { Grant } from "../roles.ts";
import { SYS_WORKFLOW } from "../rules.ts";

/*
 * Who may unpublish, in neutral form (docs/mapping-decisions.md, "Who may unpublish").
 *
 * Contensis grants unpublishing as the workflow-level action `{workflowId}.sysUnpublish` on roles
 * (https://www.contensis.com/help-and-docs/apis/management-http/security/roles/create-a-role); it
 * is not an event of a state. The neutral model says "who may unpublish" the way Kontent.ai's
 * mapping does: a transition from the published-kind state to an archived-kind state (key
 * `unpublish`). So a Contensis definition read with its roles gets, in neutral form, an
 * archived-kind state and that transition, both marked `extensions.contensis.system:
 * "sysUnpublish"`: they stand for the action, are never written as states or events, and turn back
 * into `{workflowId}.sysUnpublish` grants (`fromNeutral` already grants the roles of every
 * published → archived transition).
 */

/** The marker of the neutral archived state and unpublish transition that stand for `sysUnpublish`. */
export const SYS_UNPUBLISH = "sysUnpublish";

/** The neutral keys and names (Kontent.ai's, so that both vendors' forms compare equal). */
const ARCHIVED_KEY = "archived";
const UNPUBLISH_KEY = "unpublish";

function marked(extensions: Workflow["extensions"] | undefined): boolean {
  const contensis = extensions?.contensis as Record<string, unknown> | undefined;
  return contensis?.system === SYS_UNPUBLISH;
}

/** Whether a neutral state is the archived state that stands for Contensis's `sysUnpublish`. */
export function isUnpublishState(state: State): boolean {
  return state.kind === "archived" && marked(state.extensions);
}

/** Whether a neutral transition is the one that stands for Contensis's `sysUnpublish`. */
export function isUnpublishTransition(transition: Transition): boolean {
  return marked(transition.extensions);
}

function freeKey(wanted: string, taken: (key: string) => boolean): string {
  let key = wanted;
  for (let n = 2; taken(key); n++) key = `${wanted}_${n}`;
  return key;
}

/**
 * Adds to a Contensis definition's neutral form (`states`, `transitions`, as `toNeutral` builds
 * them) who may unpublish: `grants` of `{workflowId}.sysUnpublish`, on a transition from the
 * published state (`sysWorkflow`'s, else the first of kind published) to a marked archived state.
 * Granted to no role: `[NO_ROLE]` (nobody). No published state: nothing is added (the grants stay
 * in `extensions.contensis.permissions`). A grant limited to content types or languages is a loss
 * (other vendors get the role without the limit; Contensis keeps it from the extension).
 */
export function addUnpublish(
  states: State[],
  transitions: Transition[],
  grants: readonly Grant[],
  context: {
    workflowId: string;
    locale: string;
    loss: (code: LossCode, path: Path, message: string) => void;
  },
): void {
  const published =
    states.find(
      (state) =>
        state.kind === "published" &&
        (state.extensions?.contensis as Record<string, unknown> | undefined)?.system === SYS_WORKFLOW,
    ) ?? states.find((state) => state.kind === "published");
  if (!published) return;
  const archived = freeKey(ARCHIVED_KEY, (key) => states.some((state) => state.key === key));
  const key = freeKey(UNPUBLISH_KEY, (candidate) =>
    transitions.some((t) => t.from === published.key && t.key === candidate),
  );
  const roles = [...new Set(grants.map((grant) => grant.role))];
  for (const grant of grants) {
    if (!grant.contentTypes && !grant.languages) continue;
    context.loss(
      "role_granularity",
      ["sysUnpublish"],
      `role "${grant.role}" may unpublish ("${context.workflowId}.sysUnpublish") only for ${[
        grant.contentTypes ? `content types ${grant.contentTypes.join(", ")}` : "",
        grant.languages ? `languages ${grant.languages.join(", ")}` : "",
      ]
        .filter(Boolean)
        .join(
          " and ",
        )}; kept for Contensis (extensions.contensis.permissions), other vendors get the role without that limit`,
    );
  }
  states.push({
    key: archived,
    name: { [context.locale]: "Archived" },
    kind: "archived",
    editable: true,
    roles: [],
    extensions: { contensis: { system: SYS_UNPUBLISH } },
  });
  transitions.push({
    key,
    from: published.key,
    to: archived,
    name: { [context.locale]: "Unpublish" },
    roles: roles.length > 0 ? roles : [NO_ROLE],
    parameters: [],
    validate: false,
    extensions: { contensis: { system: SYS_UNPUBLISH } },
  });
}

/**
 * The recorded `sysUnpublish` grants (`extensions.contensis.permissions.sysUnpublish`, with their
 * content type and language limits) while they still name the roles the neutral unpublish
 * transitions give (`unpublishRoles`, as `fromNeutral` collects them: undefined for anyone);
 * otherwise undefined, so the neutral roles win (an edit of the transition's roles is not
 * overridden by what was read).
 */
export function recordedUnpublish(
  recorded: Record<string, unknown> | undefined,
  unpublishRoles: ReadonlyArray<readonly string[] | undefined>,
): Record<string, unknown> | undefined {
  if (!recorded || unpublishRoles.length === 0) return recorded;
  const neutral = unpublishRoles.some((roles) => roles === undefined)
    ? undefined
    : [...new Set(unpublishRoles.flat() as string[])].sort();
  const roles = Array.isArray(recorded.roles)
    ? [...new Set(recorded.roles.filter((role): role is string => typeof role === "string"))].sort()
    : [];
  return neutral !== undefined && neutral.join("\u0000") === roles.join("\u0000") ? recorded : undefined;
}
