import { diffWorkflow } from "../diff/index.ts";
import type { State, Transition, Workflow } from "../model.ts";
import { nameOf } from "./format.ts";

export interface RenderMermaidOptions {
  /**
   * The locale of names and labels. Default: the locale most state names have (ties: the first in
   * sorted order); a text without it shows its first locale.
   */
  locale?: string;
}

/** The locale most state and workflow names are given in. */
function commonLocale(workflows: ReadonlyArray<Workflow | undefined>): string | undefined {
  const counts = new Map<string, number>();
  for (const workflow of workflows) {
    if (!workflow) continue;
    for (const text of [workflow.name, ...workflow.states.map((s) => s.name)]) {
      for (const locale of Object.keys(text)) counts.set(locale, (counts.get(locale) ?? 0) + 1);
    }
  }
  let best: string | undefined;
  let most = 0;
  for (const [locale, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (count > most) {
      best = locale;
      most = count;
    }
  }
  return best;
}

/*
 * Mermaid `stateDiagram-v2`. State keys are ids (a key that is a Mermaid keyword, such as `end` or
 * `state`, gets a `s_` prefix); names are labels, escaped with Mermaid's entity codes (`#quot;`,
 * `#35;`…) so that no label can break the diagram.
 */

const RESERVED = new Set([
  "state",
  "note",
  "end",
  "as",
  "direction",
  "classdef",
  "class",
  "style",
  "click",
  "left",
  "right",
  "of",
  "over",
  "hide",
  "scale",
  "default",
  "fork",
  "join",
  "choice",
  "concurrent",
  "tb",
  "bt",
  "lr",
  "rl",
  "accdescr",
  "acctitle",
]);

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Ids for state keys: the key itself unless it is reserved (or not a plain key). */
function idMap(keys: Iterable<string>): Map<string, string> {
  const all = [...new Set(keys)].sort();
  const taken = new Set(all.filter((key) => KEY.test(key) && !RESERVED.has(key.toLowerCase())));
  const ids = new Map<string, string>();
  for (const key of all) {
    if (taken.has(key)) {
      ids.set(key, key);
      continue;
    }
    const base = `s_${key.replace(/[^A-Za-z0-9_]/g, "_")}`;
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    taken.add(id);
    ids.set(key, id);
  }
  return ids;
}

/** A label safe in `state "…" as id` and after `-->  a : …`: Mermaid entity codes for specials. */
export function escapeMermaid(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/[#"%;:<>{}[\]\\&`|]/g, (char) => (char === '"' ? "#quot;" : `#${char.charCodeAt(0)};`))
    .trim();
}

const STYLE = {
  published: "fill:#d1fae5,stroke:#059669,color:#064e3b",
  archived: "fill:#e5e7eb,stroke:#6b7280,color:#374151",
  added: "fill:#dcfce7,stroke:#16a34a,color:#14532d",
  removed: "fill:#fee2e2,stroke:#dc2626,color:#7f1d1d,stroke-dasharray:5 5",
  changed: "fill:#fef9c3,stroke:#ca8a04,color:#713f12",
} as const;
type StyleName = keyof typeof STYLE;

function classLines(classes: Map<StyleName, string[]>): string[] {
  const lines: string[] = [];
  for (const [name, ids] of classes) {
    if (ids.length === 0) continue;
    lines.push(`    classDef ${name} ${STYLE[name]}`);
    lines.push(`    class ${ids.join(",")} ${name}`);
  }
  return lines;
}

function stateLine(state: State, id: string, locale: string | undefined, mark = ""): string {
  const label = escapeMermaid(`${mark}${nameOf(state.name, locale) || state.key}`);
  return `    state "${label}" as ${id}`;
}

function edge(from: string, to: string, label: string): string {
  const text = escapeMermaid(label);
  return text ? `    ${from} --> ${to} : ${text}` : `    ${from} --> ${to}`;
}

/**
 * A transition as a line. One that stays in its state (`to: null` or `to` its own state) is not a
 * self loop (dense workflows drew a loop on most states and labels ran into each other): it is a
 * description line of its state, `↻ Save`, which Mermaid prints inside the state's box.
 */
function transitionLine(
  transition: Transition,
  ids: Map<string, string>,
  locale: string | undefined,
  mark = "",
): string {
  const from = ids.get(transition.from) ?? transition.from;
  const label = `${mark}${nameOf(transition.name, locale) || transition.key}`;
  if (transition.to === null || transition.to === transition.from) {
    return `    ${from} : ${escapeMermaid(`↻ ${label}`)}`;
  }
  return edge(from, ids.get(transition.to) ?? transition.to, label);
}

const compareTransitions = (a: Transition, b: Transition) =>
  a.from < b.from ? -1 : a.from > b.from ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

/**
 * A workflow as a Mermaid `stateDiagram-v2`: `[*] -->` the initial state, states labelled with their
 * names, transitions with theirs (a stay, `to: null`, is listed in its state as `↻ name`), published and archived
 * states styled.
 */
export function renderMermaid(workflow: Workflow, options: RenderMermaidOptions = {}): string {
  const locale = options.locale ?? commonLocale([workflow]);
  const ids = idMap(workflow.states.map((state) => state.key));
  const states = [...workflow.states].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const lines = ["stateDiagram-v2"];
  for (const state of states) lines.push(stateLine(state, ids.get(state.key) ?? state.key, locale));
  lines.push(`    [*] --> ${ids.get(workflow.initial) ?? workflow.initial}`);
  for (const transition of [...workflow.transitions].sort(compareTransitions)) {
    lines.push(transitionLine(transition, ids, locale));
  }
  const classes = new Map<StyleName, string[]>([
    ["published", states.filter((s) => s.kind === "published").map((s) => ids.get(s.key) ?? s.key)],
    ["archived", states.filter((s) => s.kind === "archived").map((s) => ids.get(s.key) ?? s.key)],
  ]);
  lines.push(...classLines(classes));
  return `${lines.join("\n")}\n`;
}

/**
 * Two versions of a workflow as one Mermaid graph: the union of their states and transitions.
 * Added states are green (`classDef added`), removed ones red and dashed (`classDef removed`),
 * changed ones yellow (`classDef changed`); transition labels start with `+`, `-` or `~`. A
 * transition whose target changed shows as the old edge removed and the new edge added. Either side
 * may be absent (a workflow added or removed).
 */
export function renderDiffMermaid(
  current: Workflow | null | undefined,
  desired: Workflow | null | undefined,
  options: RenderMermaidOptions = {},
): string {
  const before = current ?? undefined;
  const after = desired ?? undefined;
  const locale = options.locale ?? commonLocale([after, before]);
  if (!before && !after) return "stateDiagram-v2\n";
  const beforeStates = new Map((before?.states ?? []).map((s) => [s.key, s]));
  const afterStates = new Map((after?.states ?? []).map((s) => [s.key, s]));
  const ids = idMap([...beforeStates.keys(), ...afterStates.keys()]);
  const sides: DiffSides = {
    before,
    after,
    changed: changedEntities(before, after),
    ids,
    idOf: (key: string) => ids.get(key) ?? key,
    locale,
  };
  const classes = new Map<StyleName, string[]>([
    ["added", []],
    ["removed", []],
    ["changed", []],
    ["published", []],
    ["archived", []],
  ]);
  const lines = [
    "stateDiagram-v2",
    ...diffStateLines(sides, beforeStates, afterStates, classes),
    ...initialLines(sides),
    ...diffTransitionLines(sides),
  ];
  lines.push(...classLines(classes));
  return `${lines.join("\n")}\n`;
}

/** The two sides of a diff diagram, what changed between them, and the Mermaid ids of their states. */
interface DiffSides {
  before: Workflow | undefined;
  after: Workflow | undefined;
  changed: { states: Set<string>; transitions: Set<string>; retargeted: Set<string> };
  ids: Map<string, string>;
  idOf: (key: string) => string;
  locale: string | undefined;
}

const tid = (t: { from: string; key: string }) => `${t.from}\u0000${t.key}`;

/** The states and transitions (by `tid`) with field changes, and the transitions whose `to` changed. */
function changedEntities(before: Workflow | undefined, after: Workflow | undefined): DiffSides["changed"] {
  const changed = {
    states: new Set<string>(),
    transitions: new Set<string>(),
    retargeted: new Set<string>(),
  };
  if (before && after) {
    for (const change of diffWorkflow(before, { ...after, key: before.key })) {
      if (change.kind === "state_changed") changed.states.add(change.state);
      if (change.kind === "transition_changed") {
        changed.transitions.add(tid(change.transition));
        if (change.field === "to") changed.retargeted.add(tid(change.transition));
      }
    }
  }
  return changed;
}

/** Every state of either side, sorted by key, each given its style class in `classes`. */
function diffStateLines(
  { changed, idOf, locale }: DiffSides,
  beforeStates: ReadonlyMap<string, State>,
  afterStates: ReadonlyMap<string, State>,
  classes: Map<StyleName, string[]>,
): string[] {
  const changedStates = changed.states;
  const lines: string[] = [];
  const keys = [...new Set([...beforeStates.keys(), ...afterStates.keys()])].sort();
  for (const key of keys) {
    const old = beforeStates.get(key);
    const now = afterStates.get(key);
    const state = (now ?? old) as State;
    let style: StyleName | undefined;
    if (!old) style = "added";
    else if (!now) style = "removed";
    else if (changedStates.has(key)) style = "changed";
    else if (state.kind === "published" || state.kind === "archived") style = state.kind;
    if (style) classes.get(style)?.push(idOf(key));
    lines.push(stateLine(state, idOf(key), locale));
  }
  return lines;
}

/** The arrow into the initial state; both arrows, marked, when the initial state changed. */
function initialLines({ before, after, idOf }: DiffSides): string[] {
  const lines: string[] = [];
  const afterInitial = after?.initial;
  const beforeInitial = before?.initial;
  if (afterInitial !== undefined) {
    lines.push(
      beforeInitial !== undefined && beforeInitial !== afterInitial
        ? edge("[*]", idOf(afterInitial), "+ initial")
        : `    [*] --> ${idOf(afterInitial)}`,
    );
  }
  if (beforeInitial !== undefined && beforeInitial !== afterInitial) {
    lines.push(edge("[*]", idOf(beforeInitial), "- initial"));
  }
  return lines;
}

/** Every transition of either side, marked `+`, `-` or `~`; a retargeted one as its old and its new arrow. */
function diffTransitionLines({ before, after, changed, ids, locale }: DiffSides): string[] {
  const { transitions: changedTransitions, retargeted } = changed;
  const lines: string[] = [];
  const beforeTransitions = new Map((before?.transitions ?? []).map((t) => [tid(t), t]));
  const afterTransitions = new Map((after?.transitions ?? []).map((t) => [tid(t), t]));
  const all = [
    ...[...afterTransitions.values()],
    ...[...beforeTransitions.values()].filter((t) => !afterTransitions.has(tid(t))),
  ].sort(compareTransitions);
  for (const transition of all) {
    const id = tid(transition);
    const old = beforeTransitions.get(id);
    const now = afterTransitions.get(id);
    if (old && now) {
      if (retargeted.has(id)) {
        lines.push(transitionLine(old, ids, locale, "- "));
        lines.push(transitionLine(now, ids, locale, "+ "));
      } else {
        lines.push(transitionLine(now, ids, locale, changedTransitions.has(id) ? "~ " : ""));
      }
    } else if (now) {
      lines.push(transitionLine(now, ids, locale, "+ "));
    } else if (old) {
      lines.push(transitionLine(old, ids, locale, "- "));
    }
  }
  return lines;
}
