/*
 * Contensis rules for what a workflow definition may hold: the one place for them (the profile, the
 * mapping and the writes use these). Sources, summarised in docs/vendors/contensis.md §1: DMH
 * (https://github.com/contensis/docs-management-http) `workflow-definitions/create-…`/`update-…`
 * "Validations"; contensis.com
 * https://www.contensis.com/help-and-docs/apis/management-http/content/workflow-definitions/workflow-definition-state-color
 * and `…/workflow-definition-event-button-color`.
 */

/** State colours; the default is `cobalt` (contensis.com `workflow-definition-state-color`). */
export const STATE_COLORS = [
  "red",
  "green",
  "orange",
  "blue",
  "gray",
  "violet",
  "charcoal",
  "cobalt",
  "pink",
  "ruby",
  "teal",
  "yellow",
] as const;
/** Event button colours; the default is `white` (contensis.com `workflow-definition-event-button-color`). */
export const BUTTON_COLORS = ["red", "green", "white"] as const;

/**
 * Colours the DMH examples use that neither palette lists (`blue`, `cyan`; DMH `model/colors.md`
 * lists Blue). Definitions read from Contensis may carry them (the system definitions do); they
 * are written back as read.
 */
export const LEGACY_COLORS = ["blue", "cyan"] as const;

/** The system state that publishes (or schedules, with a publishing schedule) an entry. */
export const SYS_WORKFLOW = "sysWorkflow";

/** The predefined definitions ("cannot be modified"). */
export const SYSTEM_WORKFLOW_IDS = ["contensisEntryBasic", "contensisEntryApproval"] as const;

export interface IdRule {
  what: string;
  max: number;
  pattern: RegExp;
  /** The rule in words, for loss messages. */
  text: string;
}

/** Workflow id: at most 25 characters (CONTENSIS-12015, DMH commit c2049dc), starts with a letter, alphanumeric. */
export const WORKFLOW_ID_RULE: IdRule = {
  what: "workflow id",
  max: 25,
  pattern: /^[A-Za-z][A-Za-z0-9]*$/,
  text: "a Contensis workflow id is at most 25 characters, starts with a letter and holds only letters and digits",
};

/*
 * State, event, parameter and event-group ids: at most 30, 30, 50, 50 characters; like the workflow
 * id, every id "must begin with a letter and only contain alphanumeric characters" (DMH
 * `workflow-definitions/create-a-workflow-definition.md` and `update-…` "Validations", as of commit
 * c2049dc; the simulator enforces the same).
 */
const ITEM_PATTERN = /^[A-Za-z][A-Za-z0-9]*$/;
export const STATE_ID_RULE: IdRule = {
  what: "state id",
  max: 30,
  pattern: ITEM_PATTERN,
  text: "a Contensis state id is at most 30 characters, starts with a letter and holds only letters and digits",
};
export const EVENT_ID_RULE: IdRule = {
  what: "event id",
  max: 30,
  pattern: ITEM_PATTERN,
  text: "a Contensis event id is at most 30 characters, starts with a letter, holds only letters and digits and is unique within its state",
};
export const PARAMETER_ID_RULE: IdRule = {
  what: "parameter id",
  max: 50,
  pattern: ITEM_PATTERN,
  text: "a Contensis parameter id is at most 50 characters, starts with a letter and holds only letters and digits",
};
export const GROUP_ID_RULE: IdRule = {
  what: "event group id",
  max: 50,
  pattern: ITEM_PATTERN,
  text: "a Contensis event group id is at most 50 characters, starts with a letter and holds only letters and digits",
};

/**
 * An id that satisfies `rule`, close to `key`: `content_approval` → `contentApproval`, a leading
 * digit gets an `x` prefix, and the result is cut to the maximum length and made unique against
 * `taken`.
 */
export function fitId(key: string, rule: IdRule, taken: ReadonlySet<string> = new Set()): string {
  let id = key.replace(/^[^A-Za-z0-9]+/, "");
  id = id.replace(/[^A-Za-z0-9]+([A-Za-z0-9]?)/g, (_match, next: string) => next.toUpperCase());
  if (!/^[A-Za-z]/.test(id)) id = `x${id}`;
  if (id.length === 0) id = "x";
  id = id.slice(0, rule.max);
  if (!taken.has(id)) return id;
  for (let n = 2; ; n++) {
    const suffix = String(n);
    const candidate = id.slice(0, rule.max - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Why `id` breaks `rule` (`too_long` or `invalid_key`), or undefined when it is fine. */
export function breaksRule(id: string, rule: IdRule): "too_long" | "invalid_key" | undefined {
  if (!rule.pattern.test(id)) return "invalid_key";
  if (id.length > rule.max) return "too_long";
  return undefined;
}
