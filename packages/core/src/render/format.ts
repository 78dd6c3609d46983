import { stableStringify } from "../canonical.ts";
import type { Change, WorkflowDiff } from "../diff/index.ts";
import type { LocalizedText, State, Transition, Workflow } from "../model.ts";

/*
 * What the text and Markdown renderers share: changes grouped by workflow and entity, and compact
 * one-line values (`"Draft"`, `["Editor","Reviewer"]`, `(none)`).
 */

export type Sign = "+" | "~" | "-";

/** The entity a change is about, for grouping: a workflow's own fields, a state, a transition, a group. */
export interface ChangeGroup {
  sign: Sign;
  /** `workflow`, `state draft`, `transition draft.submit`, `group approve`. */
  subject: string;
  /** The entity's key (`draft`, `draft.submit`; empty for the workflow's own fields). */
  id: string;
  /** Kind of the entity, for sorting and Markdown. */
  entity: "workflow" | "state" | "transition" | "group";
  /** A one-line description of an added or removed entity (`"Legal review" (step)`). */
  detail?: string;
  /** Field changes (for a changed entity). */
  fields: FieldLine[];
}

export interface FieldLine {
  /** `color`, `extensions.kontent`. */
  field: string;
  before: string;
  after: string;
}

export interface WorkflowSection {
  workflow: string;
  sign: Sign;
  /** The workflow's name (desired side when there is one). */
  name?: string;
  /** For an added or removed workflow: `3 states, 4 transitions`. */
  detail?: string;
  groups: ChangeGroup[];
}

const MAX_VALUE = 160;

function isLocalizedText(value: unknown): value is LocalizedText {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length > 0 &&
    entries.every(
      ([key, text]) => typeof text === "string" && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(key),
    )
  );
}

/** A compact one-line value: strings quoted (JSON escapes, so no control characters get through). */
export function formatValue(value: unknown, options: { field?: string; maxLength?: number } = {}): string {
  let out: string;
  if (value === null || value === undefined) out = options.field === "to" ? "(stays)" : "(none)";
  else if (typeof value === "string") out = JSON.stringify(value);
  else if (typeof value !== "object") out = String(value);
  else if (isLocalizedText(value) && Object.keys(value).length === 1) {
    out = JSON.stringify(Object.values(value)[0]);
  } else out = stableStringify(value);
  return truncate(out, options.maxLength ?? MAX_VALUE);
}

/** Two texts given in one and the same locale: shown as bare strings. */
function sameSingleLocale(a: unknown, b: unknown): boolean {
  if (!isLocalizedText(a) || !isLocalizedText(b)) return false;
  const x = Object.keys(a);
  const y = Object.keys(b);
  return x.length === 1 && y.length === 1 && x[0] === y[0];
}

const truncate = (text: string, max = MAX_VALUE) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** `before` and `after` as text; when both look the same (e.g. only the locale changed), in full. */
function formatPair(field: string, before: unknown, after: unknown): { before: string; after: string } {
  const full = (value: unknown) => (value === null ? "(none)" : stableStringify(value));
  const text = isLocalizedText(before) || isLocalizedText(after);
  let b: string;
  let a: string;
  if (text && !(sameSingleLocale(before, after) || before === null || after === null)) {
    b = full(before);
    a = full(after);
  } else {
    b = formatValue(before, { field, maxLength: Number.POSITIVE_INFINITY });
    a = formatValue(after, { field, maxLength: Number.POSITIVE_INFINITY });
    if (a === b) {
      b = full(before);
      a = full(after);
    }
  }
  // shorten long values, unless that would hide the difference
  const short = { before: truncate(b), after: truncate(a) };
  return short.before === short.after ? { before: b, after: a } : short;
}

/** A key from a diff (possibly read from a file) without control characters, safe on a terminal. */
export function safeKey(key: string): string {
  return key.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}

export function nameOf(text: LocalizedText | undefined, locale?: string): string {
  if (!text) return "";
  if (locale && text[locale] !== undefined) return text[locale];
  const first = Object.keys(text).sort()[0];
  return first === undefined ? "" : (text[first] ?? "");
}

function stateDetail(state: State): string {
  return `${JSON.stringify(nameOf(state.name))} (${state.kind})`;
}

function transitionDetail(transition: Transition): string {
  return `${JSON.stringify(nameOf(transition.name))} → ${transition.to === null ? "(stays)" : safeKey(transition.to)}`;
}

function workflowDetail(workflow: Workflow): string {
  const states = workflow.states.length;
  const transitions = workflow.transitions.length;
  return `${states} state${states === 1 ? "" : "s"}, ${transitions} transition${transitions === 1 ? "" : "s"}`;
}

const ENTITY_ORDER = { workflow: 0, state: 1, transition: 1, group: 2 } as const;

/**
 * Transition name changes that only follow a renamed state (Kontent.ai names a transition after the
 * step it leads to, so renaming a step renames every transition into it): one rename, not many.
 * Returns the changes to leave out and, per state, how many transitions followed its rename.
 */
export function followedRenames(diff: WorkflowDiff): { hidden: Set<Change>; followers: Map<string, number> } {
  const renames = new Map<string, Array<{ state: string; before: string; after: string }>>();
  for (const change of diff.changes) {
    if (change.kind === "state_changed" && change.field === "name") {
      const list = renames.get(change.workflow) ?? [];
      list.push({
        state: change.state,
        before: stableStringify(change.before),
        after: stableStringify(change.after),
      });
      renames.set(change.workflow, list);
    }
  }
  const hidden = new Set<Change>();
  const followers = new Map<string, number>();
  if (renames.size === 0) return { hidden, followers };
  for (const change of diff.changes) {
    if (change.kind !== "transition_changed" || change.field !== "name") continue;
    const before = stableStringify(change.before);
    const after = stableStringify(change.after);
    const rename = renames.get(change.workflow)?.find((r) => r.before === before && r.after === after);
    if (!rename) continue;
    hidden.add(change);
    const id = `${change.workflow}\u0000${rename.state}`;
    followers.set(id, (followers.get(id) ?? 0) + 1);
  }
  return { hidden, followers };
}

/** The diff as sections per workflow (in path order), each with its entity groups. */
export function sections(diff: WorkflowDiff): WorkflowSection[] {
  const { hidden, followers } = followedRenames(diff);
  const out: WorkflowSection[] = [];
  let section: WorkflowSection | undefined;
  let changed = new Map<string, ChangeGroup>();
  let key: string | undefined;
  for (const change of diff.changes) {
    if (hidden.has(change)) continue;
    if (!section || key !== change.workflow) {
      key = change.workflow;
      section = { workflow: safeKey(change.workflow), sign: "~", groups: [] };
      out.push(section);
      changed = new Map();
    }
    if (change.kind === "workflow_added" || change.kind === "workflow_removed") {
      const workflow = change.kind === "workflow_added" ? change.after : change.before;
      section.sign = change.kind === "workflow_added" ? "+" : "-";
      section.name = nameOf(workflow.name);
      section.detail = workflowDetail(workflow);
    } else if (isAddedOrRemoved(change)) section.groups.push(addedOrRemoved(change));
    else addFieldChange(section, changed, change, followers);
  }
  for (const item of out) {
    item.groups = item.groups
      .map((g, index) => ({ g, index }))
      .sort((x, y) => ENTITY_ORDER[x.g.entity] - ENTITY_ORDER[y.g.entity] || x.index - y.index)
      .map(({ g }) => g);
  }
  return out;
}

type FieldChangeOf = Extract<Change, { field: string }>;
type AddedOrRemoved = Exclude<Change, FieldChangeOf | { kind: "workflow_added" | "workflow_removed" }>;

const isAddedOrRemoved = (change: Change): change is AddedOrRemoved =>
  change.kind.endsWith("_added") || change.kind.endsWith("_removed");

/** An added or removed state, transition or group: one group of its own, with the entity's summary. */
function addedOrRemoved(change: AddedOrRemoved): ChangeGroup {
  switch (change.kind) {
    case "state_added":
    case "state_removed": {
      const state = change.kind === "state_added" ? change.after : change.before;
      return {
        sign: change.kind === "state_added" ? "+" : "-",
        subject: `state ${safeKey(change.state)}`,
        id: safeKey(change.state),
        entity: "state",
        detail: stateDetail(state),
        fields: [],
      };
    }
    case "transition_added":
    case "transition_removed": {
      const transition = change.kind === "transition_added" ? change.after : change.before;
      return {
        sign: change.kind === "transition_added" ? "+" : "-",
        subject: `transition ${safeKey(change.transition.from)}.${safeKey(change.transition.key)}`,
        id: `${safeKey(change.transition.from)}.${safeKey(change.transition.key)}`,
        entity: "transition",
        detail: transitionDetail(transition),
        fields: [],
      };
    }
    case "group_added":
    case "group_removed": {
      const value = change.kind === "group_added" ? change.after : change.before;
      return {
        sign: change.kind === "group_added" ? "+" : "-",
        subject: `group ${safeKey(change.group)}`,
        id: safeKey(change.group),
        entity: "group",
        detail: JSON.stringify(nameOf(value.name)),
        fields: [],
      };
    }
  }
}

/** One field of a changed entity, in the entity's group (made on its first field). */
function addFieldChange(
  section: WorkflowSection,
  changed: Map<string, ChangeGroup>,
  change: FieldChangeOf,
  followers: ReadonlyMap<string, number>,
): void {
  const entity = entityOf(change);
  const cut = change.field === "extensions" ? 2 : 1;
  const id = change.path.slice(0, change.path.length - cut).join("\u0000");
  let group = changed.get(id);
  if (!group) {
    group = { sign: "~", subject: entity.subject, id: entity.id, entity: entity.entity, fields: [] };
    changed.set(id, group);
    section.groups.push(group);
  }
  const field = change.field === "extensions" ? `extensions.${change.vendor}` : change.field;
  const pair = formatPair(change.field, change.before, change.after);
  const followed =
    change.kind === "state_changed" && change.field === "name"
      ? (followers.get(`${change.workflow}\u0000${change.state}`) ?? 0)
      : 0;
  if (followed > 0) {
    pair.after += ` (and the ${followed} transition${followed === 1 ? "" : "s"} into it, named after it)`;
  }
  group.fields.push({ field, ...pair });
}

function entityOf(change: Change): { subject: string; id: string; entity: ChangeGroup["entity"] } {
  switch (change.kind) {
    case "state_changed":
      return { subject: `state ${safeKey(change.state)}`, id: safeKey(change.state), entity: "state" };
    case "transition_changed":
      return {
        subject: `transition ${safeKey(change.transition.from)}.${safeKey(change.transition.key)}`,
        id: `${safeKey(change.transition.from)}.${safeKey(change.transition.key)}`,
        entity: "transition",
      };
    case "group_changed":
      return { subject: `group ${safeKey(change.group)}`, id: safeKey(change.group), entity: "group" };
    default:
      return { subject: "workflow", id: "", entity: "workflow" };
  }
}

/** "1 to add, 2 to change, 0 to remove". */
export function countsText(counts: { added: number; changed: number; removed: number }): string {
  return `${counts.added} to add, ${counts.changed} to change, ${counts.removed} to remove`;
}
