import type { ValidationIssue } from "./errors.ts";
import type {
  EventGroup,
  InvokableWhen,
  WorkflowAction,
  WorkflowDefinition,
  WorkflowEvent,
  WorkflowParameter,
  WorkflowState,
} from "./types.ts";
import { isRecord } from "./util.ts";

/**
 * Validation of a workflow definition body (create and update).
 *
 * Sources: DMH `workflow-definitions/create-a-workflow-definition.md` and
 * `update-a-workflow-definition.md` ("Validations" tables). Lengths as of DMH commit c2049dc
 * (CONTENSIS-12015): workflow id <= 25, state and event ids <= 30, parameter and event group ids
 * <= 50; every id "must begin with a letter and only contain alphanumeric characters". Names must be
 * defined; an event's `groupId` must be defined and name an event group; `transitionTo` must name a
 * state (or the system state `sysWorkflow`, HTTP overview seed; null/absent = stay, CD
 * `workflow-definition-event`).
 *
 * Palettes: state colours red, green, orange, blue, gray, violet, charcoal, cobalt, pink, ruby,
 * teal, yellow (contensis.com `…/workflow-definition-state-color`); event button colours red, green,
 * white (`…/workflow-definition-event-button-color`). The DMH examples also use `blue` and `cyan`,
 * which are accepted in both palettes as legacy colours.
 *
 * ASSUMPTIONS: a definition needs at least one state; `sysWorkflow` cannot be a custom state id;
 * the only supported `invokableWhen` field is `isScheduledForPublish()` with a boolean `equalTo`
 * (the only one documented); a server-managed field in the body (`uuid`, `projectId`, `version`,
 * `isSystem`) is ignored; unknown properties are dropped (the server deserializes into its model).
 */

export type DefinitionBody = Omit<WorkflowDefinition, "uuid" | "projectId" | "isSystem" | "version">;

const ID = /^[A-Za-z][A-Za-z0-9]*$/;
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
  "cyan",
];
export const EVENT_COLORS = ["red", "green", "white", "blue", "cyan"];
const UI_EDITOR_VIEWS = ["default", "previousPublishedVersionCompare"];
const UI_ACTIONS = ["navigateToEntryListing", "none"];
/** DMH `model/workflow-definitions/actions.md`. */
const ACTIONS = ["validateEntry", "publishEntry", "updateEntry"];
export const GUARD_FIELDS = ["isScheduledForPublish()"];
export const SYS_WORKFLOW = "sysWorkflow";

class Checker {
  readonly issues: ValidationIssue[] = [];

  add(field: string, message: string): void {
    this.issues.push({ field, message });
  }

  id(value: unknown, field: string, what: string, max: number): value is string {
    if (typeof value !== "string" || value.length === 0) {
      this.add(field, `The ${what} id must be defined.`);
      return false;
    }
    if (value.length > max) this.add(field, `The ${what} id cannot be more than ${max} characters long.`);
    if (!ID.test(value)) {
      this.add(field, `The ${what} id must begin with a letter and only contain alphanumeric characters.`);
    }
    return true;
  }

  localized(value: unknown, field: string, what: string, required: boolean): void {
    if (value === undefined || value === null) {
      if (required) this.add(field, `The ${what} name must be defined.`);
      return;
    }
    if (!isRecord(value) || Object.values(value).some((text) => typeof text !== "string")) {
      this.add(field, `The ${what} must be a localized value, e.g. {"en-GB": "…"}.`);
    }
  }

  oneOf(value: unknown, field: string, allowed: string[], what: string): void {
    if (value === undefined || value === null) return;
    if (typeof value !== "string" || !allowed.includes(value)) {
      this.add(field, `The ${what} '${String(value)}' is not valid; allowed: ${allowed.join(", ")}.`);
    }
  }

  boolean(value: unknown, field: string): void {
    if (value !== undefined && typeof value !== "boolean") this.add(field, "The value must be a boolean.");
  }

  actions(value: unknown, field: string): WorkflowAction[] | null | undefined {
    if (value === undefined || value === null) return value;
    if (!Array.isArray(value)) {
      this.add(field, "The actions must be an array.");
      return undefined;
    }
    return value.map((action, index) => {
      const invokeAction = isRecord(action) ? action.invokeAction : undefined;
      if (typeof invokeAction !== "string" || !ACTIONS.includes(invokeAction)) {
        this.add(`${field}[${index}].invokeAction`, `The action must be one of ${ACTIONS.join(", ")}.`);
      }
      return { invokeAction: String(invokeAction) };
    });
  }

  array(value: unknown, field: string, required: boolean): unknown[] {
    if (value === undefined || value === null) {
      if (required) this.add(field, "The collection must be defined.");
      return [];
    }
    if (!Array.isArray(value)) {
      this.add(field, "The value must be an array.");
      return [];
    }
    return value;
  }
}

function pick<T extends object>(source: Record<string, unknown>, keys: string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (key in source) out[key] = source[key];
  return out as Partial<T>;
}

function duplicates(ids: unknown[]): Set<string> {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) {
    if (typeof id !== "string") continue;
    if (seen.has(id)) dup.add(id);
    seen.add(id);
  }
  return dup;
}

function checkParameter(c: Checker, raw: unknown, field: string): WorkflowParameter {
  const p = isRecord(raw) ? raw : {};
  if (!isRecord(raw)) c.add(field, "The parameter must be an object.");
  c.id(p.id, `${field}.id`, "parameter", 50);
  c.localized(p.name, `${field}.name`, "parameter", true);
  c.localized(p.description, `${field}.description`, "parameter description", false);
  if (p.dataType !== undefined && p.dataType !== "string")
    c.add(`${field}.dataType`, "The data type must be 'string'.");
  if (p.validations !== undefined && p.validations !== null) {
    // DMH `model/workflow-definitions/validation.md`: `required` with a localized `message` is the only validation.
    if (!isRecord(p.validations)) c.add(`${field}.validations`, "The validations must be an object.");
    else {
      for (const key of Object.keys(p.validations)) {
        if (key !== "required")
          c.add(`${field}.validations.${key}`, `The validation '${key}' is not supported.`);
      }
      const required = p.validations.required;
      if (required !== undefined && required !== null) {
        if (!isRecord(required))
          c.add(`${field}.validations.required`, "The required validation must be an object.");
        else
          c.localized(required.message, `${field}.validations.required.message`, "validation message", false);
      }
    }
  }
  if (p.editor !== undefined && p.editor !== null) {
    // DMH `model/workflow-definitions/editor.md`: `multiline` is the only editor.
    if (!isRecord(p.editor) || p.editor.id !== "multiline")
      c.add(`${field}.editor.id`, "The editor id must be 'multiline'.");
  }
  return pick<WorkflowParameter>(p, [
    "id",
    "name",
    "description",
    "dataType",
    "dataFormat",
    "default",
    "validations",
    "editor",
  ]) as WorkflowParameter;
}

function checkGuards(c: Checker, raw: unknown, field: string): InvokableWhen[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  return c.array(raw, field, false).map((guard, index) => {
    const g = isRecord(guard) ? guard : {};
    if (typeof g.field !== "string" || !GUARD_FIELDS.includes(g.field)) {
      c.add(`${field}[${index}].field`, `The condition field must be one of ${GUARD_FIELDS.join(", ")}.`);
    }
    if (typeof g.equalTo !== "boolean")
      c.add(`${field}[${index}].equalTo`, "The condition value must be a boolean.");
    return { field: String(g.field), equalTo: g.equalTo };
  });
}

function checkEvent(
  c: Checker,
  raw: unknown,
  field: string,
  stateIds: Set<string>,
  groupIds: Set<string>,
): WorkflowEvent {
  const e = isRecord(raw) ? raw : {};
  if (!isRecord(raw)) c.add(field, "The event must be an object.");
  c.id(e.id, `${field}.id`, "event", 30);
  c.localized(e.name, `${field}.name`, "event", true);
  c.localized(e.description, `${field}.description`, "event description", false);
  c.localized(e.auditText, `${field}.auditText`, "event audit text", false);
  const to = e.transitionTo;
  if (
    to !== undefined &&
    to !== null &&
    (typeof to !== "string" || (to !== SYS_WORKFLOW && !stateIds.has(to)))
  ) {
    c.add(`${field}.transitionTo`, `The transition to state '${String(to)}' must be a valid state id.`);
  }
  if (typeof e.groupId !== "string" || e.groupId.length === 0)
    c.add(`${field}.groupId`, "The group id must be defined.");
  else if (!groupIds.has(e.groupId)) {
    c.add(`${field}.groupId`, `The group id '${e.groupId}' must be a valid event group id.`);
  }
  c.oneOf(e.color, `${field}.color`, EVENT_COLORS, "event color");
  c.oneOf(e.uiAction, `${field}.uiAction`, UI_ACTIONS, "ui action");
  c.boolean(e.validate, `${field}.validate`);
  const exitActions = c.actions(e.exitActions, `${field}.exitActions`);
  const parametersRaw = c.array(e.parameters, `${field}.parameters`, false);
  const parameters = parametersRaw.map((p, i) => checkParameter(c, p, `${field}.parameters[${i}]`));
  for (const dup of duplicates(parameters.map((p) => p.id))) {
    c.add(`${field}.parameters`, `Parameter ids must be unique for the parent event ('${dup}').`);
  }
  const invokableWhen = checkGuards(c, e.invokableWhen, `${field}.invokableWhen`);
  const out = pick<WorkflowEvent>(e, [
    "id",
    "name",
    "description",
    "auditText",
    "transitionTo",
    "groupId",
    "color",
    "uiAction",
  ]) as WorkflowEvent;
  if (e.parameters !== undefined) out.parameters = parameters;
  if ("validate" in e) out.validate = e.validate as boolean;
  if ("exitActions" in e) out.exitActions = exitActions ?? null;
  if (invokableWhen) out.invokableWhen = invokableWhen;
  return out;
}

function checkState(
  c: Checker,
  raw: unknown,
  field: string,
  stateIds: Set<string>,
  groupIds: Set<string>,
): WorkflowState {
  const s = isRecord(raw) ? raw : {};
  if (!isRecord(raw)) c.add(field, "The state must be an object.");
  if (c.id(s.id, `${field}.id`, "state", 30) && s.id === SYS_WORKFLOW) {
    c.add(`${field}.id`, `'${SYS_WORKFLOW}' is a system state and cannot be defined.`);
  }
  c.localized(s.name, `${field}.name`, "state", true);
  c.oneOf(s.color, `${field}.color`, STATE_COLORS, "state color");
  c.oneOf(s.uiEditorView, `${field}.uiEditorView`, UI_EDITOR_VIEWS, "ui editor view");
  c.boolean(s.allowUpdates, `${field}.allowUpdates`);
  const entryActions = c.actions(s.entryActions, `${field}.entryActions`);
  const events = c
    .array(s.events, `${field}.events`, false)
    .map((e, i) => checkEvent(c, e, `${field}.events[${i}]`, stateIds, groupIds));
  for (const dup of duplicates(events.map((e) => e.id))) {
    c.add(`${field}.events`, `Event ids must be unique for the parent state ('${dup}').`);
  }
  const out = pick<WorkflowState>(s, ["id", "name"]) as WorkflowState;
  if ("entryActions" in s) out.entryActions = entryActions ?? null;
  out.events = events;
  Object.assign(out, pick<WorkflowState>(s, ["color", "uiEditorView", "allowUpdates"]));
  return out;
}

/** Checks a definition body; returns the issues and the body reduced to the model's properties. */
export function validateDefinition(raw: unknown): { issues: ValidationIssue[]; value: DefinitionBody } {
  const c = new Checker();
  const body = isRecord(raw) ? raw : {};
  if (!isRecord(raw)) c.add("", "The workflow definition must be a JSON object.");
  c.id(body.id, "id", "workflow definition", 25);
  c.localized(body.name, "name", "workflow definition", true);
  c.localized(body.description, "description", "workflow definition description", false);

  const groupsRaw = c.array(body.eventGroups, "eventGroups", false);
  const eventGroups: EventGroup[] = groupsRaw.map((g, i) => {
    const group = isRecord(g) ? g : {};
    c.id(group.id, `eventGroups[${i}].id`, "event group", 50);
    c.localized(group.name, `eventGroups[${i}].name`, "event group", true);
    return pick<EventGroup>(group, ["id", "name"]) as EventGroup;
  });
  for (const dup of duplicates(eventGroups.map((g) => g.id))) {
    c.add("eventGroups", `Event group ids must be unique for the workflow definition ('${dup}').`);
  }
  const groupIds = new Set(eventGroups.map((g) => g.id).filter((id) => typeof id === "string"));

  const statesRaw = c.array(body.states, "states", true);
  if (Array.isArray(body.states) && statesRaw.length === 0)
    c.add("states", "At least one state must be defined.");
  const stateIds = new Set(
    statesRaw
      .map((s) => (isRecord(s) ? s.id : undefined))
      .filter((id): id is string => typeof id === "string"),
  );
  const states = statesRaw.map((s, i) => checkState(c, s, `states[${i}]`, stateIds, groupIds));
  for (const dup of duplicates(states.map((s) => s.id))) {
    c.add("states", `State ids must be unique for the workflow definition ('${dup}').`);
  }

  // "To publish an entry with a custom workflow, one or more events on one or more states must
  // transition to the sysWorkflow state" (contensis.com, Workflow definition overview:
  // https://www.contensis.com/help-and-docs/apis/management-http/content/workflow-definitions).
  // The older DMH shape publishes with an `exitActions: [{ invokeAction: "publishEntry" }]` event.
  const publishes = states.some((state) =>
    (state.events ?? []).some(
      (event) =>
        event.transitionTo === SYS_WORKFLOW ||
        (event.exitActions ?? []).some((action) => action.invokeAction === "publishEntry"),
    ),
  );
  if (statesRaw.length > 0 && !publishes) {
    c.add("states", `At least one event must transition to the '${SYS_WORKFLOW}' state to publish entries.`);
  }

  const value = pick<DefinitionBody>(body, ["id", "name", "description"]) as DefinitionBody;
  value.states = states;
  value.eventGroups = eventGroups;
  return { issues: c.issues, value };
}
