import type { Issue, IssueCode, Path } from "@workflow-sync/core";
import { DefinitionRulesError } from "./errors.ts";
import type { ContensisWorkflowDefinition, WireEvent, WireState } from "./wire.ts";

/*
 * Contensis's rules for what a workflow definition may hold: the one place for them (the profile,
 * the mapping, the definition check and the writes use these), each with its public source.
 * docs/vendors/contensis.md summarises them.
 *
 * - ids, lengths, unique event ids per state, `transitionTo` and `groupId` naming a state / an
 *   event group: the "Validations" of "Create a workflow definition" and "Update a workflow
 *   definition" (`VALIDATIONS`, https://github.com/contensis/docs-management-http,
 *   workflow-definitions/*.md);
 * - parameter editor (`multiline` is the only one) and validations: the same repo,
 *   model/workflow-definitions/parameter.md, editor.md;
 * - exit actions (`validateEntry`, `publishEntry`, `updateEntry`): model/workflow-definitions/actions.md;
 * - event button colours (red, green, white) and state colours (red … yellow, default cobalt):
 *   https://www.contensis.com/help-and-docs/apis/management-http/content/workflow-definitions
 *   (`workflow-definition-state-color`, `workflow-definition-event-button-color`). `blue` and
 *   `cyan` appear in the docs' own examples and model/colors.md lists Blue: accepted as read.
 * - `uiAction` (`navigateToEntryListing`, `none`) and `uiEditorView` (`default`,
 *   `previousPublishedVersionCompare`): the event and state model pages.
 */

/** The Management HTTP API docs (DMH). */
export const DMH = "https://github.com/contensis/docs-management-http";
/** The "Validations" tables of creating (and updating) a workflow definition. */
export const VALIDATIONS =
  "https://github.com/contensis/docs-management-http/blob/c2049dc51f7b582077135c82172f8695b123432c/workflow-definitions/create-a-workflow-definition.md";

// ---------------------------------------------------------------------------------------------
// Palettes, system ids and id rules

/**
 * State colours; the default is `cobalt`:
 * https://www.contensis.com/help-and-docs/apis/management-http/content/workflow-definitions/workflow-definition-state-color
 */
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
/**
 * Event button colours; the default is `white`:
 * https://www.contensis.com/help-and-docs/apis/management-http/content/workflow-definitions/workflow-definition-event-button-color
 */
export const BUTTON_COLORS = ["red", "green", "white"] as const;

/**
 * Colours the DMH examples use that neither palette lists (`blue`, `cyan`; DMH `model/colors.md`
 * lists Blue, `DMH`). Definitions read from Contensis may carry them (the system definitions do); they
 * are written back as read.
 */
export const LEGACY_COLORS = ["blue", "cyan"] as const;

/** The system state that publishes (or schedules, with a publishing schedule) an entry (`DMH` model/workflow-definitions). */
export const SYS_WORKFLOW = "sysWorkflow";

/** The predefined definitions ("cannot be modified": `DMH` workflow-definitions). */
export const SYSTEM_WORKFLOW_IDS = ["contensisEntryBasic", "contensisEntryApproval"] as const;

/**
 * Whether a definition is a read-only system definition: one of the predefined ones ("These cannot
 * be modified", DMH model/workflow-definition.md). `isSystem` is managed by the server and is not
 * trusted from a document (the docs' custom example carries `isSystem: true`).
 */
export function isReadOnlyDefinition(definition: Pick<ContensisWorkflowDefinition, "id">): boolean {
  return (SYSTEM_WORKFLOW_IDS as readonly string[]).includes(definition.id);
}

export interface IdRule {
  what: string;
  max: number;
  pattern: RegExp;
  /** The rule in words, for loss messages. */
  text: string;
  /** Where the vendor documents it. */
  source: string;
}

/** Workflow id: at most 25 characters (CONTENSIS-12015, `VALIDATIONS`), starts with a letter, alphanumeric. */
export const WORKFLOW_ID_RULE: IdRule = {
  what: "workflow id",
  max: 25,
  pattern: /^[A-Za-z][A-Za-z0-9]*$/,
  text: "a Contensis workflow id is at most 25 characters, starts with a letter and holds only letters and digits",
  source: VALIDATIONS,
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
  source: VALIDATIONS,
};
export const EVENT_ID_RULE: IdRule = {
  what: "event id",
  max: 30,
  pattern: ITEM_PATTERN,
  text: "a Contensis event id is at most 30 characters, starts with a letter, holds only letters and digits and is unique within its state",
  source: VALIDATIONS,
};
export const PARAMETER_ID_RULE: IdRule = {
  what: "parameter id",
  max: 50,
  pattern: ITEM_PATTERN,
  text: "a Contensis parameter id is at most 50 characters, starts with a letter and holds only letters and digits",
  source: VALIDATIONS,
};
export const GROUP_ID_RULE: IdRule = {
  what: "event group id",
  max: 50,
  pattern: ITEM_PATTERN,
  text: "a Contensis event group id is at most 50 characters, starts with a letter and holds only letters and digits",
  source: VALIDATIONS,
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

// ---------------------------------------------------------------------------------------------
// Definition checks

/** The one documented parameter editor (DMH model/workflow-definitions/editor.md). */
export const PARAMETER_EDITORS = ["multiline"] as const;
/** `exitActions[].invokeAction` values (DMH model/workflow-definitions/actions.md). */
export const EXIT_ACTIONS = ["validateEntry", "publishEntry", "updateEntry"] as const;
/** Event `uiAction` values (DMH model/workflow-definitions, the event model page). */
export const UI_ACTIONS = ["navigateToEntryListing", "none"] as const;
/** State `uiEditorView` values (DMH model/workflow-definitions, the state model page). */
export const UI_EDITOR_VIEWS = ["default", "previousPublishedVersionCompare"] as const;
/** System events a state may carry (they fire through entry update and delete). */
const SYSTEM_EVENTS = new Set(["sysUpdate", "sysDelete"]);

const list = (values: readonly string[]) => values.join(", ");
const STATE_COLOURS_READ = [...STATE_COLORS, ...LEGACY_COLORS] as readonly string[];
const EVENT_COLOURS_READ = [...BUTTON_COLORS, ...LEGACY_COLORS] as readonly string[];

/*
 * The rules Contensis applies to a workflow definition, checked on a vendor-native definition (a
 * file, or a body about to be sent) with the vendor's own field paths (`states[1].events[0].id`).
 * A definition that breaks one is refused as it is: this tool never renames an id of a Contensis
 * definition (an event id is part of every permission action string, `workflowId.stateId.eventId`,
 * and of every integration that invokes it).
 */

/** Collects the issues of one definition check, in the order they are found. */
class DefinitionCheck {
  readonly issues: Issue[] = [];
  /** Ids of the definition's event groups and states (references are checked against them). */
  readonly groups = new Set<string>();
  readonly states = new Set<string>();

  issue(code: IssueCode, path: Path, message: string): void {
    this.issues.push({ code, path, message, severity: "error", vendor: "contensis" });
  }

  id(id: string, rule: IdRule, path: Path, allowSystem = false): void {
    if (allowSystem && SYSTEM_EVENTS.has(id)) return;
    if (id.length === 0) this.issue("vendor_rule", path, `a ${rule.what} cannot be empty`);
    else if (!rule.pattern.test(id)) this.issue("vendor_rule", path, `${rule.text} ("${id}")`);
    else if (id.length > rule.max)
      this.issue("vendor_rule", path, `${rule.text}; "${id}" is ${id.length} characters`);
  }

  /** `value` (when a string) is one of `allowed`; otherwise an issue naming `shown`. */
  oneOf(value: unknown, allowed: readonly string[], path: Path, what: string, shown = allowed): void {
    if (typeof value === "string" && !allowed.includes(value)) {
      this.issue("vendor_rule", path, `"${value}" is not a Contensis ${what} (${list(shown)})`);
    }
  }
}

/**
 * Every Contensis rule a definition breaks, as errors tagged `contensis`, with paths into the
 * definition. Empty when Contensis would take it.
 */
export function checkDefinition(definition: ContensisWorkflowDefinition): Issue[] {
  const check = new DefinitionCheck();
  check.id(definition.id, WORKFLOW_ID_RULE, ["id"]);
  checkGroupIds(check, definition);
  checkStateIds(check, definition);
  definition.states.forEach((state, stateIndex) => {
    checkState(check, state, stateIndex);
  });
  return check.issues;
}

function checkGroupIds(check: DefinitionCheck, definition: ContensisWorkflowDefinition): void {
  (definition.eventGroups ?? []).forEach((group, index) => {
    check.id(group.id, GROUP_ID_RULE, ["eventGroups", index, "id"]);
    if (check.groups.has(group.id))
      check.issue(
        "duplicate_key",
        ["eventGroups", index, "id"],
        `event group id "${group.id}" is used twice`,
      );
    check.groups.add(group.id);
  });
}

function checkStateIds(check: DefinitionCheck, definition: ContensisWorkflowDefinition): void {
  definition.states.forEach((state, index) => {
    check.id(state.id, STATE_ID_RULE, ["states", index, "id"]);
    if (state.id === SYS_WORKFLOW)
      check.issue(
        "vendor_rule",
        ["states", index, "id"],
        `"${SYS_WORKFLOW}" is Contensis's system state; a definition cannot define it`,
      );
    if (check.states.has(state.id))
      check.issue("duplicate_key", ["states", index, "id"], `state id "${state.id}" is used twice`);
    check.states.add(state.id);
  });
}

/** One state: its colour, editor view and entry actions, then each of its events. */
function checkState(check: DefinitionCheck, state: WireState, stateIndex: number): void {
  const at: Path = ["states", stateIndex];
  check.oneOf(state.color, STATE_COLOURS_READ, [...at, "color"], "state colour", STATE_COLORS);
  check.oneOf(state.uiEditorView, UI_EDITOR_VIEWS, [...at, "uiEditorView"], "editor view");
  (state.entryActions ?? []).forEach((action, actionIndex) => {
    check.oneOf(
      action.invokeAction,
      EXIT_ACTIONS,
      [...at, "entryActions", actionIndex, "invokeAction"],
      "action",
    );
  });
  const eventIds = new Map<string, number>();
  (state.events ?? []).forEach((event, eventIndex) => {
    const first = eventIds.get(event.id);
    if (first === undefined) eventIds.set(event.id, eventIndex);
    checkEvent(
      check,
      event,
      [...at, "events", eventIndex],
      first === undefined ? undefined : [stateIndex, first],
    );
  });
}

/** One event; `usedBy`: the state and event index that used its id first within the state. */
function checkEvent(check: DefinitionCheck, event: WireEvent, path: Path, usedBy?: [number, number]): void {
  check.id(event.id, EVENT_ID_RULE, [...path, "id"], true);
  if (usedBy) {
    check.issue(
      "duplicate_key",
      [...path, "id"],
      `event id "${event.id}" is already used by states[${usedBy[0]}].events[${usedBy[1]}]: event ids are unique within their state`,
    );
  }
  if (event.transitionTo && event.transitionTo !== SYS_WORKFLOW && !check.states.has(event.transitionTo)) {
    check.issue(
      "dangling_reference",
      [...path, "transitionTo"],
      `"${event.transitionTo}" is not a state of this definition (nor ${SYS_WORKFLOW})`,
    );
  }
  if (!event.groupId) {
    check.issue(
      "vendor_rule",
      [...path, "groupId"],
      `event "${event.id}" has no groupId: every Contensis event belongs to an event group`,
    );
  } else if (!check.groups.has(event.groupId)) {
    check.issue(
      "dangling_reference",
      [...path, "groupId"],
      `"${event.groupId}" is not an event group of this definition (${list([...check.groups]) || "none"})`,
    );
  }
  check.oneOf(event.color, EVENT_COLOURS_READ, [...path, "color"], "event button colour", BUTTON_COLORS);
  check.oneOf(event.uiAction, UI_ACTIONS, [...path, "uiAction"], "UI action");
  (event.exitActions ?? []).forEach((action, actionIndex) => {
    check.oneOf(
      action.invokeAction,
      EXIT_ACTIONS,
      [...path, "exitActions", actionIndex, "invokeAction"],
      "exit action",
    );
  });
  checkParameters(check, event, path);
}

function checkParameters(check: DefinitionCheck, event: WireEvent, path: Path): void {
  const parameterIds = new Set<string>();
  (event.parameters ?? []).forEach((parameter, parameterIndex) => {
    const parameterPath: Path = [...path, "parameters", parameterIndex];
    check.id(parameter.id, PARAMETER_ID_RULE, [...parameterPath, "id"]);
    if (parameterIds.has(parameter.id))
      check.issue(
        "duplicate_key",
        [...parameterPath, "id"],
        `parameter id "${parameter.id}" is used twice in this event`,
      );
    parameterIds.add(parameter.id);
    const editor = parameter.editor?.id;
    if (editor !== undefined && !(PARAMETER_EDITORS as readonly string[]).includes(editor)) {
      check.issue(
        "vendor_rule",
        [...parameterPath, "editor", "id"],
        `"${editor}" is not a Contensis parameter editor (the documented one is ${list(PARAMETER_EDITORS)})`,
      );
    }
  });
}

/** Throws a `DefinitionRulesError` listing every broken rule, before any request. */
export function assertDefinition(definition: ContensisWorkflowDefinition): void {
  const issues = checkDefinition(definition);
  if (issues.length > 0) throw new DefinitionRulesError(definition.id, issues);
}
