import { ApiError, conflict, forbidden, notFound, validationError, workflowException } from "./errors.ts";
import { type EntryRecord, latestVersion, type ProjectData, publishedVersion } from "./store.ts";
import type { Entry, RolePermission, WorkflowDefinition, WorkflowEvent, WorkflowState } from "./types.ts";
import { bumpMajor, bumpMinor, clone, isRecord, localized, nowIso } from "./util.ts";
import { SYS_WORKFLOW } from "./validation.ts";

/**
 * The entry workflow state machine behind `POST …/entries/{id}/workflow/events`.
 *
 * Documented (CD `management-http/key-concepts/workflow.md`, DMH `model/workflow-trigger.md`,
 * `entries/unpublish-an-entry.md`, seeds): the trigger is `{event, language?, version?, data?}`;
 * `event` is `{stateId}.{eventId}` or a bare event id (prefixed with the current state); an event
 * not valid for the current state raises a WorkflowException; `sysUpdate`/`sysDelete` cannot be
 * invoked here; `sysUnpublish` (no state prefix) unpublishes one variation (`language`) or all; a
 * transition to `sysWorkflow` publishes ("or if a publishing schedule is set … scheduled", HTTP
 * overview seed); denied permission -> 403. The answer is the entry with `sys.workflow
 * {id, state, allowedEvents, transition: {event, from, invoked, invokedBy, data}}` (CMA models).
 * A published contensisEntryBasic entry sits in state `versionComplete` with `isPublished: true`,
 * `version.published` set and `transition.event` the bare event id (entry sample, Contensis Canvas
 * design note); `allowedEvents` look like `["versionComplete.sysUpdate", "versionComplete.sysDelete",
 * "sysUnpublish"]` (DMH `model/entry.md` sample via vendors/contensis.md).
 *
 * ASSUMPTIONS (undocumented, chosen here):
 * - Status codes: invalid event/state/guard -> 422 `type: "WorkflowException"`; a missing required
 *   parameter -> 422 `type: "Validation"` whose message is the parameter's own required message;
 *   a trigger `version` other than the variation's latest -> 409 (the unpublish page lists 409).
 * - Every invocation saves a new version: minor bump; a publish bumps the major part (0.3 -> 1.0).
 * - A publish lands in state `versionComplete` (a system state for custom workflows too); with a
 *   publish schedule a `sysWorkflow` transition lands in `scheduled` instead and does not publish.
 *   For custom workflows both are implicit states: `versionComplete` has `sysUpdate` (-> first state)
 *   and `sysDelete`; `scheduled` has `cancel` (-> first state, clears the schedule) and `publishNow`.
 * - `isScheduledForPublish()` is true when the variation has `sys.schedules.publish.dateTime`.
 * - `sysUnpublish` needs a published variation; the variation leaves `versionComplete`/`scheduled`
 *   for the definition's first state, otherwise keeps its state.
 * - Entries follow the last published version of their workflow definition (the latest when none
 *   is published); `validate: true` / `exitActions: validateEntry` checks the content type's
 *   required fields.
 * - Permissions apply only to clients seeded with an `apiKey` (see SeedClient).
 */

export interface Actor {
  name: string;
  apiKey?: string;
}

const SYS_UNPUBLISH = "sysUnpublish";
const NOT_INVOKABLE = ["sysUpdate", "sysDelete"];

export function followedDefinition(project: ProjectData, workflowId: string): WorkflowDefinition | undefined {
  const versions = project.definitions.get(workflowId);
  if (!versions) return undefined;
  return publishedVersion(versions) ?? latestVersion(versions);
}

function implicitState(definition: WorkflowDefinition, stateId: string): WorkflowState | undefined {
  const initial = definition.states[0]?.id ?? null;
  const base = { uiAction: "none", parameters: [] };
  if (stateId === "versionComplete") {
    return {
      id: stateId,
      name: { "en-GB": "" },
      events: [
        { ...base, id: "sysUpdate", name: { "en-GB": "Save" }, transitionTo: initial, groupId: "save" },
        { ...base, id: "sysDelete", name: {}, transitionTo: null, groupId: "delete" },
      ],
    };
  }
  if (stateId === "scheduled") {
    return {
      id: stateId,
      name: { "en-GB": "Due for publishing" },
      events: [
        {
          ...base,
          id: "cancel",
          name: { "en-GB": "Cancel schedule" },
          transitionTo: initial,
          groupId: "schedule",
        },
        {
          ...base,
          id: "publishNow",
          name: { "en-GB": "Publish now" },
          transitionTo: "versionComplete",
          exitActions: [{ invokeAction: "publishEntry" }],
          groupId: "schedule",
        },
      ],
    };
  }
  return undefined;
}

function findState(definition: WorkflowDefinition, stateId: string): WorkflowState | undefined {
  return definition.states.find((s) => s.id === stateId) ?? implicitState(definition, stateId);
}

function publishes(event: WorkflowEvent): boolean {
  return (
    event.transitionTo === SYS_WORKFLOW ||
    (event.exitActions ?? []).some((a) => a.invokeAction === "publishEntry")
  );
}

function validates(event: WorkflowEvent): boolean {
  return event.validate === true || (event.exitActions ?? []).some((a) => a.invokeAction === "validateEntry");
}

export function isScheduledForPublish(entry: Entry): boolean {
  return typeof entry.sys.schedules?.publish?.dateTime === "string";
}

function guardsHold(event: WorkflowEvent, entry: Entry): boolean {
  return (event.invokableWhen ?? []).every((guard) => {
    if (guard.field === "isScheduledForPublish()") return isScheduledForPublish(entry) === guard.equalTo;
    return false;
  });
}

// -------------------------------------------------------------------------------- permissions

function actionMatches(pattern: string, action: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith(".*")) return action.startsWith(pattern.slice(0, -1));
  return pattern === action;
}

function permissionApplies(permission: RolePermission, entry: Entry): boolean {
  const idOk =
    permission.id === undefined || permission.id === "*" || permission.id === entry.sys.contentTypeId;
  const languages = permission.languages ?? ["*"];
  const language = entry.sys.language.toLowerCase();
  return idOk && languages.some((l) => l === "*" || l.toLowerCase() === language);
}

/**
 * Role actions are `{workflowId}.{stateId}.{eventId}`, `{workflowId}.sysUnpublish` and wildcards
 * (CD `management-http/security/roles/create-a-role.md`; DMH `permissions/overview.md`).
 */
export function permitted(project: ProjectData, actor: Actor, entry: Entry, action: string): boolean {
  if (actor.apiKey === undefined) return true;
  for (const role of project.roles.values()) {
    if (!role.enabled || !(role.assignments.apiKeys ?? []).includes(actor.apiKey)) continue;
    for (const permission of role.permissions.entries ?? []) {
      if (permissionApplies(permission, entry) && permission.actions.some((p) => actionMatches(p, action)))
        return true;
    }
  }
  return false;
}

export function allowedEvents(project: ProjectData, entry: Entry, actor: Actor): string[] {
  const workflow = entry.sys.workflow;
  const definition = followedDefinition(project, workflow.id);
  const state = definition ? findState(definition, workflow.state) : undefined;
  const events: string[] = [];
  for (const event of state?.events ?? []) {
    if (!guardsHold(event, entry)) continue;
    if (permitted(project, actor, entry, `${workflow.id}.${workflow.state}.${event.id}`)) {
      events.push(`${workflow.state}.${event.id}`);
    }
  }
  if (entry.sys.isPublished && permitted(project, actor, entry, `${workflow.id}.${SYS_UNPUBLISH}`)) {
    events.push(SYS_UNPUBLISH);
  }
  return events;
}

export function renderEntry(project: ProjectData, entry: Entry, actor: Actor): Entry {
  const out = clone(entry);
  out.sys.availableLanguages = [...(project.entries.get(entry.sys.id)?.keys() ?? [])];
  out.sys.workflow.allowedEvents = allowedEvents(project, entry, actor);
  return out;
}

// ----------------------------------------------------------------------------------- lookups

export function variationsOf(project: ProjectData, entryId: string): Map<string, EntryRecord> {
  const variations = project.entries.get(entryId);
  if (!variations || variations.size === 0) throw notFound(`Entry '${entryId}' not found`, { entryId });
  return variations;
}

/** The variation in `language` (case-insensitive), or the first (default) one when no language is given. */
export function variation(project: ProjectData, entryId: string, language?: string | null): EntryRecord {
  const variations = variationsOf(project, entryId);
  if (!language) return variations.values().next().value as EntryRecord;
  for (const [key, record] of variations) if (key.toLowerCase() === language.toLowerCase()) return record;
  throw notFound(`Entry '${entryId}' has no '${language}' variation`, { entryId, language });
}

// ---------------------------------------------------------------------------------- invocation

interface Trigger {
  event: string;
  language?: string;
  version?: string;
  data: Record<string, unknown> | null;
}

function parseTrigger(body: unknown): Trigger {
  if (!isRecord(body))
    throw validationError([{ field: "", message: "The workflow trigger must be a JSON object." }]);
  const issues = [];
  if (typeof body.event !== "string" || body.event.length === 0)
    issues.push({ field: "event", message: "The event must be defined." });
  if (body.language !== undefined && body.language !== null && typeof body.language !== "string") {
    issues.push({ field: "language", message: "The language must be a string." });
  }
  if (body.version !== undefined && body.version !== null && typeof body.version !== "string") {
    issues.push({ field: "version", message: "The version must be a string '{Major}.{Minor}'." });
  }
  if (body.data !== undefined && body.data !== null && !isRecord(body.data)) {
    issues.push({ field: "data", message: "The data must be an object." });
  }
  if (issues.length > 0) throw validationError(issues);
  const trigger: Trigger = {
    event: body.event as string,
    data: (body.data as Record<string, unknown>) ?? null,
  };
  if (typeof body.language === "string") trigger.language = body.language;
  if (typeof body.version === "string") trigger.version = body.version;
  return trigger;
}

function checkVersion(record: EntryRecord, trigger: Trigger): void {
  const latest = record.latest.sys.version.versionNo;
  if (trigger.version !== undefined && trigger.version !== latest) {
    throw conflict(
      `Version ${trigger.version} is not the latest version (${latest}) of the entry variation`,
      {
        entryId: record.latest.sys.id,
        language: record.latest.sys.language,
        version: trigger.version,
        latestVersion: latest,
      },
      "NotLatestVersion",
    );
  }
}

function missingRequiredFields(project: ProjectData, entry: Entry): { field: string; message: string }[] {
  const ct = project.contentTypes.get(entry.sys.contentTypeId);
  const issues: { field: string; message: string }[] = [];
  for (const field of ct?.fields ?? []) {
    const required = field.validations?.required;
    if (!required) continue;
    const value = entry[field.id];
    const empty =
      value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
    if (empty) {
      const message =
        localized(required.message, entry.sys.language) ?? `The field '${field.id}' is required.`;
      issues.push({ field: field.id, message });
    }
  }
  return issues;
}

function checkParameters(
  event: WorkflowEvent,
  trigger: Trigger,
  language: string,
): Record<string, unknown> | null {
  const data = trigger.data ? { ...trigger.data } : null;
  for (const parameter of event.parameters ?? []) {
    const value = data?.[parameter.id];
    const missing =
      value === undefined || value === null || (typeof value === "string" && value.trim() === "");
    if (missing && parameter.default !== undefined && parameter.default !== null && data)
      data[parameter.id] = parameter.default;
    const required = parameter.validations?.required;
    if (missing && required && (parameter.default === undefined || parameter.default === null)) {
      const message = localized(required.message, language) ?? `The parameter '${parameter.id}' is required.`;
      // `field` names the parameter as the event defines it (e.g. "message"), not its place in the body.
      throw validationError([{ field: parameter.id, message }], message);
    }
  }
  return data;
}

function saveVersion(entry: Entry, actor: Actor, now: string, publish: boolean): void {
  const version = entry.sys.version;
  entry.sys.version = {
    ...version,
    modifiedBy: actor.name,
    modified: now,
    publishedBy: publish ? actor.name : null,
    published: publish ? now : null,
    versionNo: publish ? bumpMajor(version.versionNo) : bumpMinor(version.versionNo),
  };
}

function unpublish(project: ProjectData, records: EntryRecord[], trigger: Trigger, actor: Actor): void {
  for (const record of records) {
    const entry = record.latest;
    if (!entry.sys.isPublished || !record.published) {
      throw workflowException(
        `The event '${SYS_UNPUBLISH}' is not valid: the entry variation '${entry.sys.language}' is not published`,
        {
          entryId: entry.sys.id,
          language: entry.sys.language,
          event: trigger.event,
        },
      );
    }
    if (!permitted(project, actor, entry, `${entry.sys.workflow.id}.${SYS_UNPUBLISH}`)) {
      throw forbidden(`Not authorised to invoke '${SYS_UNPUBLISH}' on entry '${entry.sys.id}'`, {
        entryId: entry.sys.id,
      });
    }
  }
  const now = nowIso();
  for (const record of records) {
    const entry = record.latest;
    const from = entry.sys.workflow.state;
    const definition = followedDefinition(project, entry.sys.workflow.id);
    if ((from === "versionComplete" || from === "scheduled") && definition?.states[0]) {
      entry.sys.workflow.state = definition.states[0].id;
    }
    entry.sys.isPublished = false;
    saveVersion(entry, actor, now, false);
    entry.sys.workflow.transition = {
      event: SYS_UNPUBLISH,
      from,
      invoked: now,
      invokedBy: actor.name,
      data: trigger.data,
    };
    record.published = null;
  }
}

function resolveEvent(
  definition: WorkflowDefinition,
  entry: Entry,
  trigger: Trigger,
): { state: WorkflowState; event: WorkflowEvent } {
  const current = entry.sys.workflow.state;
  const dot = trigger.event.lastIndexOf(".");
  const stateId = dot >= 0 ? trigger.event.slice(0, dot) : current;
  const eventId = dot >= 0 ? trigger.event.slice(dot + 1) : trigger.event;
  const details = {
    entryId: entry.sys.id,
    language: entry.sys.language,
    state: current,
    event: trigger.event,
  };
  if (NOT_INVOKABLE.includes(eventId)) {
    throw workflowException(
      `The event '${eventId}' cannot be invoked through a workflow event; use the entry update or delete operation`,
      details,
    );
  }
  if (stateId !== current) {
    throw workflowException(
      `The event '${trigger.event}' is not valid for the current state '${current}'`,
      details,
    );
  }
  const state = findState(definition, current);
  if (!state) {
    throw workflowException(`The state '${current}' does not exist in workflow '${definition.id}'`, details);
  }
  const event = state.events.find((e) => e.id === eventId);
  if (!event)
    throw workflowException(
      `The event '${trigger.event}' is not valid for the current state '${current}'`,
      details,
    );
  return { state, event };
}

export function invokeEntryEvent(project: ProjectData, entryId: string, body: unknown, actor: Actor): Entry {
  const trigger = parseTrigger(body);
  const variations = variationsOf(project, entryId);
  const isUnpublish = trigger.event === SYS_UNPUBLISH || trigger.event.endsWith(`.${SYS_UNPUBLISH}`);

  if (isUnpublish && !trigger.language) {
    const records = [...variations.values()].filter((r) => r.latest.sys.isPublished);
    unpublish(project, records.length > 0 ? records : [...variations.values()], trigger, actor);
    const first = variations.values().next().value as EntryRecord;
    return renderEntry(project, first.latest, actor);
  }

  const record = variation(project, entryId, trigger.language);
  checkVersion(record, trigger);
  if (isUnpublish) {
    unpublish(project, [record], trigger, actor);
    return renderEntry(project, record.latest, actor);
  }

  const entry = record.latest;
  const definition = followedDefinition(project, entry.sys.workflow.id);
  if (!definition) {
    throw new ApiError(
      500,
      `The workflow definition '${entry.sys.workflow.id}' of the entry no longer exists`,
      { entryId },
    );
  }
  const { state, event } = resolveEvent(definition, entry, trigger);
  const action = `${definition.id}.${state.id}.${event.id}`;
  if (!permitted(project, actor, entry, action)) {
    throw forbidden(`Not authorised to invoke '${state.id}.${event.id}' on entry '${entryId}'`, {
      entryId,
      action,
    });
  }
  if (!guardsHold(event, entry)) {
    const conditions = (event.invokableWhen ?? [])
      .map((g) => `${g.field} == ${String(g.equalTo)}`)
      .join(" and ");
    throw workflowException(
      `The event '${state.id}.${event.id}' cannot be invoked: the condition ${conditions} is not met`,
      {
        entryId,
        event: trigger.event,
        invokableWhen: event.invokableWhen,
      },
    );
  }
  const data = checkParameters(event, trigger, entry.sys.language);
  if (validates(event)) {
    const issues = missingRequiredFields(project, entry);
    if (issues.length > 0) throw validationError(issues, "The entry is not valid");
  }

  const now = nowIso();
  const from = state.id;
  let target = event.transitionTo ?? from;
  let publish = publishes(event);
  if (event.transitionTo === SYS_WORKFLOW) {
    if (isScheduledForPublish(entry)) {
      target = "scheduled";
      publish = false;
    } else target = "versionComplete";
  }
  if (publish || (state.id === "scheduled" && event.id === "cancel")) {
    if (entry.sys.schedules) entry.sys.schedules.publish = null;
  }
  saveVersion(entry, actor, now, publish);
  entry.sys.workflow.state = target;
  entry.sys.workflow.transition = { event: event.id, from, invoked: now, invokedBy: actor.name, data };
  if (publish) {
    entry.sys.isPublished = true;
    record.published = clone(entry);
  }
  return renderEntry(project, entry, actor);
}

/**
 * `PUT …/entries/{id}/schedules/{publish|unpublish}?language=` with `{"dateTime": "…"}` answers 201
 * with the entry (CD `management-http/content/entries/scheduling-entry-publish-and-expiry.md`).
 * ASSUMPTION: DELETE on the same URL clears the schedule (200 with the entry); neither saves a version.
 */
export function setSchedule(
  project: ProjectData,
  entryId: string,
  type: string,
  language: string | null,
  body: unknown,
  actor: Actor,
): Entry {
  if (type !== "publish" && type !== "unpublish") throw notFound(`Unknown schedule type '${type}'`);
  const record = variation(project, entryId, language);
  const entry = record.latest;
  if (body === undefined) {
    if (entry.sys.schedules) entry.sys.schedules[type] = null;
    return renderEntry(project, entry, actor);
  }
  const dateTime = isRecord(body) ? body.dateTime : undefined;
  if (typeof dateTime !== "string" || Number.isNaN(Date.parse(dateTime))) {
    throw validationError([
      { field: "dateTime", message: "The dateTime must be an ISO 8601 date and time." },
    ]);
  }
  entry.sys.schedules = { ...(entry.sys.schedules ?? {}), [type]: { dateTime } };
  return renderEntry(project, entry, actor);
}
