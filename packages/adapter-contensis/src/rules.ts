import { formatPath, type Issue, type IssueCode, type Path, WorkflowSyncError } from "@workflow-sync/core";
import {
  BUTTON_COLORS,
  EVENT_ID_RULE,
  GROUP_ID_RULE,
  type IdRule,
  LEGACY_COLORS,
  PARAMETER_ID_RULE,
  STATE_COLORS,
  STATE_ID_RULE,
  SYS_WORKFLOW,
  WORKFLOW_ID_RULE,
} from "./vendor-rules.ts";
import type { ContensisWorkflowDefinition } from "./wire.ts";

/*
 * The rules Contensis applies to a workflow definition, checked on a vendor-native definition (a
 * file, or a body about to be sent) with the vendor's own field paths (`states[1].events[0].id`).
 * A definition that breaks one is refused as it is: this tool never renames an id of a Contensis
 * definition (an event id is part of every permission action string, `workflowId.stateId.eventId`,
 * and of every integration that invokes it).
 *
 * Sources (public):
 * - ids, lengths, unique event ids per state, `transitionTo` and `groupId` naming a state / an
 *   event group: the "Validations" of "Create a workflow definition" and "Update a workflow
 *   definition", https://github.com/contensis/docs-management-http (workflow-definitions/*.md);
 * - parameter editor (`multiline` is the only one) and validations: the same repo,
 *   model/workflow-definitions/parameter.md, editor.md;
 * - exit actions (`validateEntry`, `publishEntry`, `updateEntry`): model/workflow-definitions/actions.md;
 * - event button colours (red, green, white) and state colours (red … yellow, default cobalt):
 *   https://www.contensis.com/help-and-docs/apis/management-http/content/workflow-definitions
 *   (state colour, event button colour pages). `blue` and `cyan` appear in the docs' own examples
 *   and model/colors.md lists Blue: accepted as read.
 * - `uiAction` (`navigateToEntryListing`, `none`) and `uiEditorView` (`default`,
 *   `previousPublishedVersionCompare`): the event and state model pages.
 */

/** The one documented parameter editor. */
export const PARAMETER_EDITORS = ["multiline"] as const;
/** `exitActions[].invokeAction` values (DMH model/workflow-definitions/actions.md). */
export const EXIT_ACTIONS = ["validateEntry", "publishEntry", "updateEntry"] as const;
export const UI_ACTIONS = ["navigateToEntryListing", "none"] as const;
export const UI_EDITOR_VIEWS = ["default", "previousPublishedVersionCompare"] as const;
/** System events a state may carry (they fire through entry update and delete). */
const SYSTEM_EVENTS = new Set(["sysUpdate", "sysDelete"]);

const list = (values: readonly string[]) => values.join(", ");

/**
 * Every Contensis rule a definition breaks, as errors tagged `contensis`, with paths into the
 * definition. Empty when Contensis would take it.
 */
export function checkDefinition(definition: ContensisWorkflowDefinition): Issue[] {
  const issues: Issue[] = [];
  const issue = (code: IssueCode, path: Path, message: string) =>
    issues.push({ code, path, message, severity: "error", vendor: "contensis" });
  const checkId = (id: string, rule: IdRule, path: Path, allowSystem = false) => {
    if (allowSystem && SYSTEM_EVENTS.has(id)) return;
    if (id.length === 0) issue("vendor_rule", path, `a ${rule.what} cannot be empty`);
    else if (!rule.pattern.test(id)) issue("vendor_rule", path, `${rule.text} ("${id}")`);
    else if (id.length > rule.max)
      issue("vendor_rule", path, `${rule.text}; "${id}" is ${id.length} characters`);
  };

  checkId(definition.id, WORKFLOW_ID_RULE, ["id"]);

  const groups = new Set<string>();
  (definition.eventGroups ?? []).forEach((group, index) => {
    checkId(group.id, GROUP_ID_RULE, ["eventGroups", index, "id"]);
    if (groups.has(group.id))
      issue("duplicate_key", ["eventGroups", index, "id"], `event group id "${group.id}" is used twice`);
    groups.add(group.id);
  });

  const states = new Set<string>();
  definition.states.forEach((state, index) => {
    checkId(state.id, STATE_ID_RULE, ["states", index, "id"]);
    if (state.id === SYS_WORKFLOW)
      issue(
        "vendor_rule",
        ["states", index, "id"],
        `"${SYS_WORKFLOW}" is Contensis's system state; a definition cannot define it`,
      );
    if (states.has(state.id))
      issue("duplicate_key", ["states", index, "id"], `state id "${state.id}" is used twice`);
    states.add(state.id);
  });

  const stateColors = [...STATE_COLORS, ...LEGACY_COLORS] as readonly string[];
  const eventColors = [...BUTTON_COLORS, ...LEGACY_COLORS] as readonly string[];
  definition.states.forEach((state, stateIndex) => {
    const at: Path = ["states", stateIndex];
    if (typeof state.color === "string" && !stateColors.includes(state.color)) {
      issue(
        "vendor_rule",
        [...at, "color"],
        `"${state.color}" is not a Contensis state colour (${list(STATE_COLORS)})`,
      );
    }
    if (
      typeof state.uiEditorView === "string" &&
      !(UI_EDITOR_VIEWS as readonly string[]).includes(state.uiEditorView)
    ) {
      issue(
        "vendor_rule",
        [...at, "uiEditorView"],
        `"${state.uiEditorView}" is not a Contensis editor view (${list(UI_EDITOR_VIEWS)})`,
      );
    }
    (state.entryActions ?? []).forEach((action, actionIndex) => {
      if (!(EXIT_ACTIONS as readonly string[]).includes(action.invokeAction)) {
        issue(
          "vendor_rule",
          [...at, "entryActions", actionIndex, "invokeAction"],
          `"${action.invokeAction}" is not a Contensis action (${list(EXIT_ACTIONS)})`,
        );
      }
    });
    const eventIds = new Map<string, number>();
    (state.events ?? []).forEach((event, eventIndex) => {
      const path: Path = [...at, "events", eventIndex];
      checkId(event.id, EVENT_ID_RULE, [...path, "id"], true);
      const first = eventIds.get(event.id);
      if (first !== undefined) {
        issue(
          "duplicate_key",
          [...path, "id"],
          `event id "${event.id}" is already used by states[${stateIndex}].events[${first}]: event ids are unique within their state`,
        );
      } else {
        eventIds.set(event.id, eventIndex);
      }
      if (event.transitionTo && event.transitionTo !== SYS_WORKFLOW && !states.has(event.transitionTo)) {
        issue(
          "dangling_reference",
          [...path, "transitionTo"],
          `"${event.transitionTo}" is not a state of this definition (nor ${SYS_WORKFLOW})`,
        );
      }
      if (!event.groupId) {
        issue(
          "vendor_rule",
          [...path, "groupId"],
          `event "${event.id}" has no groupId: every Contensis event belongs to an event group`,
        );
      } else if (!groups.has(event.groupId)) {
        issue(
          "dangling_reference",
          [...path, "groupId"],
          `"${event.groupId}" is not an event group of this definition (${list([...groups]) || "none"})`,
        );
      }
      if (typeof event.color === "string" && !eventColors.includes(event.color)) {
        issue(
          "vendor_rule",
          [...path, "color"],
          `"${event.color}" is not a Contensis event button colour (${list(BUTTON_COLORS)})`,
        );
      }
      if (typeof event.uiAction === "string" && !(UI_ACTIONS as readonly string[]).includes(event.uiAction)) {
        issue(
          "vendor_rule",
          [...path, "uiAction"],
          `"${event.uiAction}" is not a Contensis UI action (${list(UI_ACTIONS)})`,
        );
      }
      (event.exitActions ?? []).forEach((action, actionIndex) => {
        if (!(EXIT_ACTIONS as readonly string[]).includes(action.invokeAction)) {
          issue(
            "vendor_rule",
            [...path, "exitActions", actionIndex, "invokeAction"],
            `"${action.invokeAction}" is not a Contensis exit action (${list(EXIT_ACTIONS)})`,
          );
        }
      });
      const parameterIds = new Set<string>();
      (event.parameters ?? []).forEach((parameter, parameterIndex) => {
        const parameterPath: Path = [...path, "parameters", parameterIndex];
        checkId(parameter.id, PARAMETER_ID_RULE, [...parameterPath, "id"]);
        if (parameterIds.has(parameter.id))
          issue(
            "duplicate_key",
            [...parameterPath, "id"],
            `parameter id "${parameter.id}" is used twice in this event`,
          );
        parameterIds.add(parameter.id);
        const editor = parameter.editor?.id;
        if (editor !== undefined && !(PARAMETER_EDITORS as readonly string[]).includes(editor)) {
          issue(
            "vendor_rule",
            [...parameterPath, "editor", "id"],
            `"${editor}" is not a Contensis parameter editor (the documented one is ${list(PARAMETER_EDITORS)})`,
          );
        }
      });
    });
  });
  return issues;
}

/** A definition about to be written breaks Contensis's rules: nothing is sent. */
export class DefinitionRulesError extends WorkflowSyncError {
  readonly issues: Issue[];
  constructor(workflowId: string, issues: Issue[]) {
    super(
      "contensis_rules",
      `workflow definition "${workflowId}" breaks Contensis's rules, so nothing is sent:\n${issues
        .map((issue) => `  ${formatPath(issue.path)}: ${issue.message}`)
        .join("\n")}`,
    );
    this.issues = issues;
  }
}

/** Throws a `DefinitionRulesError` listing every broken rule, before any request. */
export function assertDefinition(definition: ContensisWorkflowDefinition): void {
  const issues = checkDefinition(definition);
  if (issues.length > 0) throw new DefinitionRulesError(definition.id, issues);
}
