import {
  type Facts,
  fireTransition,
  type State,
  type Transition,
  UnknownTransitionError,
  type Workflow,
} from "@workflow-sync/core";
import { UnclearWriteError } from "@workflow-sync/http";
import type { ContensisClient } from "./client.ts";
import { ContensisApiError, InvalidWorkflowCallError } from "./errors.ts";
import { toNeutral } from "./mapping/to-neutral.ts";
import { type ContensisWorkflowDefinition, parseWire, WireEntry, WireWorkflowDefinition } from "./wire.ts";

/*
 * Driving an entry through its workflow, checked locally first.
 *
 * The requests mirror the official client exactly (CMA `src/entries/entry-operations.ts`,
 * docs/vendors/contensis.md §2; the JS Management API docs, Entries, `invokeWorkflow`:
 * https://www.contensis.com/help-and-docs/apis/management-js):
 *   invokeWorkflow(entry, event, data = null)
 *     → POST /api/management/projects/{projectId}/entries/{entry.sys.id}/workflow/events
 *       {"language": sys.language, "version": sys.version.versionNo, "event": event, "data": data}
 *   invokeWorkflowByTrigger(entry, trigger) → the same URL, the trigger object as it is.
 * The official client's own checks come first, with its messages ("A valid entry id value needs to
 * be specified." …).
 *
 * Then the event is checked against the entry's workflow definition with core's engine: the event
 * leaves the entry's current state, its guard (`invokableWhen`) holds for facts about the entry,
 * and every required parameter is in `data` (the error carries the parameter's own message). An
 * invalid call throws and sends nothing.
 *
 * Vendor facts used (CD `management-http/key-concepts/workflow.md`, DMH `model/workflow-trigger.md`):
 * - `event` is `"{stateId}.{eventId}"`, or a bare event id meaning the current state's event.
 * - `sysUpdate` and `sysDelete` cannot be invoked through workflow events (entry update / delete).
 * - `sysUnpublish` takes no state prefix; with `language` it unpublishes that variation, without
 *   it every variation (use `invokeWorkflowByTrigger` for the latter, as the docs advise); it
 *   needs a published variation.
 * - The server filters `allowedEvents` by the caller's permissions; this check does not know the
 *   caller's roles, so permissions stay the server's business (403).
 *
 * ASSUMPTIONS (undocumented; the simulator behaves the same): an entry of a custom workflow that
 * is published sits in the system state `versionComplete` (events `sysUpdate`, `sysDelete`), one
 * approved while a publishing schedule is set in `scheduled` (events `cancel`, `publishNow`: CD
 * role actions `…scheduled.cancel`, `…scheduled.publishNow`); `isScheduledForPublish()` is true
 * when `sys.schedules.publish.dateTime` is set.
 */

/** The official client's WorkflowTrigger (CMA `src/models/WorkflowTrigger.ts`). */
export interface WorkflowTrigger {
  event: string;
  language?: string;
  version?: string;
  // biome-ignore lint/suspicious/noExplicitAny: the official client's type
  data?: any;
}

/** An entry as the Management API answers it (CMA `Entry`: `sys` plus fields). */
export interface ContensisEntry {
  sys: {
    id?: string;
    language?: string;
    contentTypeId?: string;
    isPublished?: boolean;
    version?: { versionNo?: string | null; [key: string]: unknown } | null;
    workflow?: { id: string; state: string; allowedEvents?: string[] | null; [key: string]: unknown } | null;
    schedules?: { publish?: { dateTime?: string } | null; [key: string]: unknown } | null;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface InvokeOptions {
  /** The entry's workflow definition; default: the one this client read last, else fetched (published version). */
  definition?: ContensisWorkflowDefinition;
  /** Facts for guards, over those read from the entry (`isScheduledForPublish()`). */
  facts?: Facts;
}

const SYS_UNPUBLISH = "sysUnpublish";
const NOT_INVOKABLE = new Set(["sysUpdate", "sysDelete"]);
const VERSION_COMPLETE = "versionComplete";
const SCHEDULED = "scheduled";

/** Facts about an entry that guards test. */
export function entryFacts(entry: ContensisEntry): Record<string, unknown> {
  const dateTime = entry.sys.schedules?.publish?.dateTime;
  return { "isScheduledForPublish()": typeof dateTime === "string" && dateTime !== "" };
}

function requireEntry(
  entry: ContensisEntry | null | undefined,
): asserts entry is ContensisEntry & { sys: { id: string } } {
  // The official client's checks and messages.
  if (!entry) throw new InvalidWorkflowCallError("A valid entry needs to be specified.");
  if (!entry.sys?.id) throw new InvalidWorkflowCallError("A valid entry id value needs to be specified.");
}

/**
 * The workflow as entries live it: the definition in neutral form, plus the system states an entry
 * of a custom workflow can be in (`versionComplete` = the published state; `scheduled`).
 */
export function entryWorkflow(definition: ContensisWorkflowDefinition): {
  workflow: Workflow;
  stateKey: (id: string) => string | undefined;
} {
  const workflow = structuredClone(toNeutral(definition).value);
  const byId = new Map<string, string>();
  for (const state of workflow.states) {
    const hinted = (state.extensions.contensis?.hints as { wire?: { id?: unknown } } | undefined)?.wire?.id;
    if (state.extensions.contensis?.system) continue;
    byId.set(typeof hinted === "string" ? hinted : state.key, state.key);
  }
  const initial = workflow.initial;
  let published = workflow.states.find((state) => state.kind === "published")?.key;
  if (!byId.has(VERSION_COMPLETE)) {
    if (!published) {
      published = "published";
      workflow.states.push(systemState(published, "published", "Published"));
    }
    byId.set(VERSION_COMPLETE, published);
  }
  if (!byId.has(SCHEDULED)) {
    workflow.states.push(systemState(SCHEDULED, "scheduled", "Due for publishing"));
    workflow.transitions.push(
      systemTransition("cancel", SCHEDULED, initial, "Cancel schedule"),
      systemTransition("publishNow", SCHEDULED, byId.get(VERSION_COMPLETE) ?? initial, "Publish now"),
    );
    byId.set(SCHEDULED, SCHEDULED);
  }
  return { workflow, stateKey: (id) => byId.get(id) };
}

function systemState(key: string, kind: State["kind"], name: string): State {
  return { key, name: { "en-GB": name }, kind, editable: true, roles: [], extensions: {} };
}

function systemTransition(key: string, from: string, to: string, name: string): Transition {
  return {
    key,
    from,
    to,
    name: { "en-GB": name },
    roles: [],
    parameters: [],
    validate: false,
    extensions: {},
  };
}

async function definitionFor(
  client: ContensisClient,
  workflowId: string,
  given: ContensisWorkflowDefinition | undefined,
): Promise<ContensisWorkflowDefinition> {
  if (given) {
    if (given.id !== workflowId) {
      throw new InvalidWorkflowCallError(`the entry follows workflow "${workflowId}", not "${given.id}"`);
    }
    return given;
  }
  const cached = client.definitions.get(workflowId);
  if (cached) return cached;
  // Entries follow the published version (the latest when none is published).
  const path = `/workflow/definitions/${encodeURIComponent(workflowId)}`;
  let definition: ContensisWorkflowDefinition;
  try {
    definition = await client.get(path, WireWorkflowDefinition, `workflow definition "${workflowId}"`, {
      versionStatus: "published",
    });
  } catch (error) {
    if (!(error instanceof ContensisApiError && error.status === 404)) throw error;
    definition = await client.get(path, WireWorkflowDefinition, `workflow definition "${workflowId}"`, {
      versionStatus: "latest",
    });
  }
  client.definitions.set(workflowId, definition);
  return definition;
}

/**
 * Checks a trigger against the entry's workflow; throws the engine's typed error (unknown state or
 * transition, guard failed, missing parameter with its own message) or an `InvalidWorkflowCallError`.
 */
export function checkTrigger(
  definition: ContensisWorkflowDefinition,
  entry: ContensisEntry,
  trigger: WorkflowTrigger,
  facts: Facts = {},
): void {
  const event = trigger.event;
  if (!event) throw new InvalidWorkflowCallError("A valid event needs to be specified.");
  const dot = event.lastIndexOf(".");
  const eventId = dot >= 0 ? event.slice(dot + 1) : event;
  const stateId = dot >= 0 ? event.slice(0, dot) : undefined;

  if (NOT_INVOKABLE.has(eventId)) {
    throw new InvalidWorkflowCallError(
      `"${event}" cannot be invoked through workflow events: ${eventId === "sysUpdate" ? "update the entry (PUT) instead" : "delete the entry instead"}`,
    );
  }
  if (eventId === SYS_UNPUBLISH) {
    if (stateId !== undefined) {
      throw new InvalidWorkflowCallError(`"${SYS_UNPUBLISH}" takes no state prefix: send "${SYS_UNPUBLISH}"`);
    }
    const language = trigger.language?.toLowerCase();
    const own = entry.sys.language?.toLowerCase();
    if (
      entry.sys.isPublished === false &&
      (language === undefined ? !hasOtherLanguages(entry) : language === own)
    ) {
      throw new InvalidWorkflowCallError(
        `"${SYS_UNPUBLISH}" needs a published entry: entry ${entry.sys.id} (${entry.sys.language}) is not published`,
      );
    }
    return;
  }

  const current = entry.sys.workflow?.state;
  if (!current) throw new InvalidWorkflowCallError(`entry ${entry.sys.id} has no sys.workflow.state`);
  const { workflow, stateKey } = entryWorkflow(definition);
  const state = stateKey(current);
  if (state === undefined) {
    // The engine's error for a state the definition does not have.
    const result = fireTransition(workflow, { state: current, transition: eventId, actor: { roles: [] } });
    if (!result.ok) throw result.error;
  }
  const from = state ?? current;
  if (stateId !== undefined && stateId !== current) {
    const available = workflow.transitions.filter((t) => t.from === from).map((t) => `${current}.${t.key}`);
    throw new UnknownTransitionError(current, event, available);
  }
  const result = fireTransition(workflow, {
    state: from,
    transition: eventId,
    actor: { roles: [] },
    data: (trigger.data ?? {}) as Record<string, unknown>,
    facts: { ...entryFacts(entry), ...facts },
    ...(entry.sys.language ? { locale: entry.sys.language } : {}),
  });
  if (!result.ok) throw result.error;
}

function hasOtherLanguages(entry: ContensisEntry): boolean {
  const languages = entry.sys.availableLanguages;
  return Array.isArray(languages) && languages.length > 1;
}

/**
 * `invokeWorkflowByTrigger(entry, trigger)` of the official client, checked locally first: the
 * trigger is sent as it is. Use it for `sysUnpublish` (without `language`: every variation).
 */
export async function invokeWorkflowByTrigger(
  client: ContensisClient,
  entry: ContensisEntry,
  trigger: WorkflowTrigger,
  options: InvokeOptions = {},
): Promise<ContensisEntry> {
  requireEntry(entry);
  if (!trigger) throw new InvalidWorkflowCallError("A valid workflow trigger needs to be specified.");
  const workflowId = entry.sys.workflow?.id;
  if (!workflowId) throw new InvalidWorkflowCallError(`entry ${entry.sys.id} has no sys.workflow.id`);
  if (trigger.event !== SYS_UNPUBLISH) {
    const definition = await definitionFor(client, workflowId, options.definition);
    checkTrigger(definition, entry, trigger, options.facts);
  } else {
    checkTrigger({ id: workflowId, name: {}, states: [] }, entry, trigger, options.facts);
  }
  const id = entry.sys.id;
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await client.request({
        method: "POST",
        path: `/entries/${encodeURIComponent(id)}/workflow/events`,
        json: trigger,
        // An event is never retried blindly: after an unclear answer the entry is re-read.
        idempotent: false,
      });
      return parseWire(WireEntry, response.body, `entry ${id} after "${trigger.event}"`) as ContensisEntry;
    } catch (error) {
      if (!(error instanceof UnclearWriteError)) throw error;
      const language = trigger.language ?? entry.sys.language ?? undefined;
      const after = await getEntry(client, id, language).catch(() => undefined);
      if (after && landed(entry, after, trigger)) return after;
      // Not landed, and the trigger names the version it applies to: sending it again cannot apply it twice
      // (the server refuses a version that is no longer the latest).
      const unchanged = after?.sys.version?.versionNo === entry.sys.version?.versionNo;
      if (trigger.version && unchanged && attempt < 3) continue;
      throw error;
    }
  }
}

/** Whether the entry as re-read shows the event applied (a new version, with this event as its last transition). */
function landed(before: ContensisEntry, after: ContensisEntry, trigger: WorkflowTrigger): boolean {
  const eventId = trigger.event.slice(trigger.event.lastIndexOf(".") + 1);
  const last = (after.sys.workflow?.transition as { event?: unknown } | null | undefined)?.event;
  return after.sys.version?.versionNo !== before.sys.version?.versionNo && last === eventId;
}

/**
 * `invokeWorkflow(entry, event, data?)` of the official client, checked locally first: sends
 * `{language: sys.language, version: sys.version.versionNo, event, data}` (`data: null` when none).
 */
export async function invokeWorkflow(
  client: ContensisClient,
  entry: ContensisEntry,
  event: string,
  // biome-ignore lint/suspicious/noExplicitAny: the official client's signature
  data: any = null,
  options: InvokeOptions = {},
): Promise<ContensisEntry> {
  requireEntry(entry);
  if (!entry.sys.language)
    throw new InvalidWorkflowCallError("A valid entry language value needs to be specified.");
  const versionNo = entry.sys.version?.versionNo;
  if (!versionNo)
    throw new InvalidWorkflowCallError("A valid entry version number value needs to be specified.");
  if (!event) throw new InvalidWorkflowCallError("A valid event needs to be specified.");
  const trigger: WorkflowTrigger = { language: entry.sys.language, version: versionNo, event, data };
  return invokeWorkflowByTrigger(client, entry, trigger, options);
}

/** Reads an entry (latest version; `language` picks a variation). */
export async function getEntry(
  client: ContensisClient,
  id: string,
  language?: string,
): Promise<ContensisEntry> {
  return (await client.get(
    `/entries/${encodeURIComponent(id)}`,
    WireEntry,
    `entry ${id}`,
    language ? { language } : undefined,
  )) as ContensisEntry;
}
