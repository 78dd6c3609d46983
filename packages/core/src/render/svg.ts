import { Graph, layout } from "@dagrejs/dagre";
import { diffWorkflow } from "../diff/index.ts";
import type { State, Transition, Workflow } from "../model.ts";
import { nameOf } from "./format.ts";

/** The narrowest state box, in pixels (room for a short name and its kind). */
const MIN_STATE_WIDTH = 120;

/*
 * Workflow diagrams as inline SVG, laid out with dagre (https://github.com/dagrejs/dagre): states are
 * boxes, transitions are arrows with their name as a label that dagre gives room of its own (a label
 * is a node of the layout, so it never sits on a state or on another label). A transition that stays
 * in its state (`to: null`, or `to` its own state) is not drawn as a loop: it is listed inside its
 * state's box under the name (`↻ Save`).
 *
 * A change is marked three ways, so the picture reads in greyscale and for colour-blind reviewers:
 * colour, line style (added: thick solid, removed: dashed, changed: dotted) and a symbol before the
 * label (`+`, `−`, `~`). Each mark is also in `data-change` for tools and tests.
 *
 * Pure: model in, markup out. The text width is estimated from the characters (no DOM here), with a
 * margin, so labels keep their room in any usual sans-serif font.
 */

export type ChangeMark = "added" | "removed" | "changed" | "unchanged";

export interface RenderSvgOptions {
  /** The locale of names. Default: the locale most state names have. */
  locale?: string;
  /** Prefix of ids inside the SVG (markers, title): unique per diagram when several share a page. */
  idPrefix?: string;
  /** The accessible title. Default: the workflow's name. */
  title?: string;
}

export interface DiffSvg {
  /** The current workflow, with removed and changed elements marked; null when it is new. */
  before: string | null;
  /** The desired workflow, with added and changed elements marked; null when it is removed. */
  after: string | null;
}

/** How each mark looks: colours (text contrast ≥ 4.5:1 on the fill), line style and symbol. */
export const CHANGE_STYLE: Record<
  ChangeMark,
  { stroke: string; fill: string; text: string; dash: string; width: number; symbol: string; word: string }
> = {
  unchanged: {
    stroke: "#4b5563",
    fill: "#ffffff",
    text: "#111827",
    dash: "",
    width: 1.5,
    symbol: "",
    word: "",
  },
  added: {
    stroke: "#15803d",
    fill: "#dcfce7",
    text: "#14532d",
    dash: "",
    width: 3,
    symbol: "+",
    word: "added",
  },
  removed: {
    stroke: "#b91c1c",
    fill: "#fee2e2",
    text: "#7f1d1d",
    dash: "7 4",
    width: 2.5,
    symbol: "\u2212",
    word: "removed",
  },
  changed: {
    stroke: "#b45309",
    fill: "#fef3c7",
    text: "#78350f",
    dash: "2 3",
    width: 3,
    symbol: "~",
    word: "changed",
  },
};

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const NAME_SIZE = 13;
const SMALL_SIZE = 11;
const LINE = 16;

/** XML text: `& < > " '` escaped, control characters dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A generous estimate of a text's width in pixels for a sans-serif font of this size. */
export function textWidth(text: string, size: number): number {
  let units = 0;
  for (const char of text) {
    if ("il.,:;'|!ı".includes(char)) units += 0.32;
    else if ("fjtrI()[] ".includes(char)) units += 0.42;
    else if ("mwMW@%".includes(char)) units += 0.95;
    else if (char >= "A" && char <= "Z") units += 0.72;
    else if (char.charCodeAt(0) > 0x2e7f)
      units += 1.05; // CJK and other wide characters
    else units += 0.6;
  }
  return Math.ceil(units * size * 1.08);
}

const short = (text: string, max = 48) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const tid = (t: { from: string; key: string }) => `${t.from}\u0000${t.key}`;
const isStay = (t: Transition) => t.to === null || t.to === t.from;

function commonLocale(workflows: ReadonlyArray<Workflow | null | undefined>): string | undefined {
  const counts = new Map<string, number>();
  for (const workflow of workflows) {
    if (!workflow) continue;
    for (const text of [workflow.name, ...workflow.states.map((s) => s.name)]) {
      for (const locale of Object.keys(text)) counts.set(locale, (counts.get(locale) ?? 0) + 1);
    }
  }
  return [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))[0]?.[0];
}

interface UnionState {
  key: string;
  before?: State;
  after?: State;
  mark: ChangeMark;
}
interface UnionEdge {
  id: string;
  transition: Transition;
  /** Which side(s) draw it. */
  sides: Array<"before" | "after">;
  mark: ChangeMark;
}
interface Stay {
  transition: Transition;
  side: "before" | "after" | "both";
  mark: ChangeMark;
}

interface Layout {
  width: number;
  height: number;
  nodes: Map<string, { x: number; y: number; width: number; height: number }>;
  edges: Map<
    string,
    { points: Array<{ x: number; y: number }>; x?: number; y?: number; width: number; height: number }
  >;
}

/** The union of two versions of a workflow, each element marked, laid out once (stable positions). */
function unionModel(before: Workflow | null, after: Workflow | null) {
  const changedStates = new Set<string>();
  const changedTransitions = new Set<string>();
  if (before && after) {
    for (const change of diffWorkflow(before, { ...after, key: before.key })) {
      if (change.kind === "state_changed") changedStates.add(change.state);
      if (change.kind === "transition_changed") changedTransitions.add(tid(change.transition));
    }
  }
  const states = unionStates(before, after, changedStates);
  const { edges, stays } = unionTransitions(before, after, changedTransitions);
  return { states, edges, stays };
}

/** The states of both sides, marked: the desired side's order first, then removed states where they were. */
function unionStates(
  before: Workflow | null,
  after: Workflow | null,
  changedStates: ReadonlySet<string>,
): UnionState[] {
  const beforeStates = new Map((before?.states ?? []).map((s) => [s.key, s]));
  const afterStates = new Map((after?.states ?? []).map((s) => [s.key, s]));
  // Order: the desired side's order first, then removed states where they were.
  const keys = [...afterStates.keys()];
  for (const key of beforeStates.keys()) if (!afterStates.has(key)) keys.push(key);
  return keys.map((key) => {
    const old = beforeStates.get(key);
    const now = afterStates.get(key);
    const mark: ChangeMark =
      before && after
        ? !old
          ? "added"
          : !now
            ? "removed"
            : changedStates.has(key)
              ? "changed"
              : "unchanged"
        : "unchanged";
    return { key, ...(old ? { before: old } : {}), ...(now ? { after: now } : {}), mark };
  });
}

/** The transitions of both sides, marked: arrows between states (`edges`) and stays by state (`stays`). */
function unionTransitions(
  before: Workflow | null,
  after: Workflow | null,
  changedTransitions: ReadonlySet<string>,
): { edges: UnionEdge[]; stays: Map<string, Stay[]> } {
  const beforeTransitions = new Map((before?.transitions ?? []).map((t) => [tid(t), t]));
  const afterTransitions = new Map((after?.transitions ?? []).map((t) => [tid(t), t]));
  const edges: UnionEdge[] = [];
  const stays = new Map<string, Stay[]>();
  const addStay = (t: Transition, side: Stay["side"], mark: ChangeMark) => {
    const list = stays.get(t.from) ?? [];
    list.push({ transition: t, side, mark });
    stays.set(t.from, list);
  };
  const both = before && after;
  const ids = [...afterTransitions.keys()];
  for (const id of beforeTransitions.keys()) if (!afterTransitions.has(id)) ids.push(id);
  for (const id of ids) {
    const old = beforeTransitions.get(id);
    const now = afterTransitions.get(id);
    if (old && now) {
      const mark: ChangeMark = both && changedTransitions.has(id) ? "changed" : "unchanged";
      const sameShape = isStay(old) === isStay(now) && (isStay(old) || old.to === now.to);
      if (sameShape) {
        if (isStay(now)) addStay(now, "both", mark);
        else edges.push({ id: `${id}\u0000both`, transition: now, sides: ["before", "after"], mark });
      } else {
        // Retargeted: the old arrow in the before picture, the new one in the after picture.
        if (isStay(old)) addStay(old, "before", mark);
        else edges.push({ id: `${id}\u0000before`, transition: old, sides: ["before"], mark });
        if (isStay(now)) addStay(now, "after", mark);
        else edges.push({ id: `${id}\u0000after`, transition: now, sides: ["after"], mark });
      }
    } else {
      const t = (now ?? old) as Transition;
      const side = now ? "after" : "before";
      const mark: ChangeMark = both ? (now ? "added" : "removed") : "unchanged";
      if (isStay(t)) addStay(t, side, mark);
      else edges.push({ id: `${id}\u0000${side}`, transition: t, sides: [side], mark });
    }
  }
  return { edges, stays };
}

function stateLabel(state: State, locale: string | undefined): string {
  return short(nameOf(state.name, locale) || state.key);
}
function transitionLabel(t: Transition, locale: string | undefined): string {
  return short(nameOf(t.name, locale) || t.key, 40);
}
const withSymbol = (mark: ChangeMark, text: string) =>
  CHANGE_STYLE[mark].symbol ? `${CHANGE_STYLE[mark].symbol} ${text}` : text;

function computeLayout(
  model: ReturnType<typeof unionModel>,
  initials: Array<{ side: "before" | "after"; key: string }>,
  locale: string | undefined,
): Layout {
  const g = layoutGraph(model, initials, locale);
  layout(g);
  return readLayout(g);
}

/** The dagre graph of the union model: a box per state sized to its text, an edge per arrow with room for its label. */
function layoutGraph(
  model: ReturnType<typeof unionModel>,
  initials: Array<{ side: "before" | "after"; key: string }>,
  locale: string | undefined,
): Graph {
  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: "TB", nodesep: 36, ranksep: 44, edgesep: 16, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  g.setNode("\u0000start", { width: 16, height: 16 });
  for (const state of model.states) {
    const s = (state.after ?? state.before) as State;
    const lines = [
      textWidth(withSymbol("removed", stateLabel(s, locale)), NAME_SIZE),
      textWidth(`${s.key} · ${s.kind}`, SMALL_SIZE),
      ...(model.stays.get(state.key) ?? []).map((stay) =>
        textWidth(`↻ ${withSymbol("removed", transitionLabel(stay.transition, locale))}`, SMALL_SIZE),
      ),
    ];
    const stays = model.stays.get(state.key)?.length ?? 0;
    g.setNode(state.key, {
      width: Math.max(MIN_STATE_WIDTH, Math.max(...lines) + 28),
      height: 14 + LINE + 2 + LINE + stays * LINE + 10,
    });
  }
  for (const initial of initials) {
    if (!model.states.some((state) => state.key === initial.key)) continue;
    g.setEdge({ v: "\u0000start", w: initial.key, name: `\u0000initial\u0000${initial.side}` }, {});
  }
  const known = new Set(model.states.map((state) => state.key));
  for (const edge of model.edges) {
    // A dangling reference (reported by the checks) has no box to point at.
    if (!known.has(edge.transition.from) || !known.has(edge.transition.to as string)) continue;
    const label = withSymbol("removed", transitionLabel(edge.transition, locale));
    g.setEdge(
      { v: edge.transition.from, w: edge.transition.to as string, name: edge.id },
      { width: textWidth(label, SMALL_SIZE) + 14, height: LINE + 6, labelpos: "c" },
    );
  }
  return g;
}

/** Where dagre placed the boxes, the arrows and their labels. */
function readLayout(g: Graph): Layout {
  const graph = g.graph();
  const nodes: Layout["nodes"] = new Map();
  for (const id of g.nodes()) {
    const node = g.node(id);
    nodes.set(id, { x: node.x ?? 0, y: node.y ?? 0, width: node.width, height: node.height });
  }
  const edges: Layout["edges"] = new Map();
  for (const e of g.edges()) {
    const label = g.edge(e);
    edges.set(e.name ?? "", {
      points: label.points ?? [],
      ...(label.x !== undefined ? { x: label.x } : {}),
      ...(label.y !== undefined ? { y: label.y } : {}),
      width: label.width ?? 0,
      height: label.height ?? 0,
    });
  }
  return { width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0), nodes, edges };
}

const round = (n: number) => Math.round(n * 10) / 10;

function pathOf(points: ReadonlyArray<{ x: number; y: number }>): string {
  if (points.length === 0) return "";
  const [first, ...rest] = points;
  let d = `M${round(first!.x)} ${round(first!.y)}`;
  if (rest.length === 1) return `${d} L${round(rest[0]!.x)} ${round(rest[0]!.y)}`;
  // A smooth curve through dagre's control points: quadratic segments between their midpoints.
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i]!;
    const q = rest[i + 1]!;
    const end = i === rest.length - 2 ? q : { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 };
    d += ` Q${round(p.x)} ${round(p.y)} ${round(end.x)} ${round(end.y)}`;
  }
  return d;
}

const MARKS: ChangeMark[] = ["unchanged", "added", "removed", "changed"];

/** What every part of one side's drawing needs. */
interface SideContext {
  side: "before" | "after";
  /** The prefix of the side's element ids. */
  id: string;
  workflow: Workflow;
  model: ReturnType<typeof unionModel>;
  box: Layout;
  locale: string | undefined;
  /** The states and transitions drawn with each mark, for the description. */
  marked: { added: string[]; removed: string[]; changed: string[] };
}

/** A change mark as one side shows it: the current side shows no additions, the desired side no removals. */
function visibleOn(side: "before" | "after", mark: ChangeMark): ChangeMark {
  return side === "before"
    ? mark === "added"
      ? "unchanged"
      : mark
    : mark === "removed"
      ? "unchanged"
      : mark;
}

function drawSide(
  side: "before" | "after",
  workflow: Workflow,
  model: ReturnType<typeof unionModel>,
  box: Layout,
  locale: string | undefined,
  options: RenderSvgOptions,
): string {
  const prefix = (options.idPrefix ?? "wf").replace(/[^A-Za-z0-9_-]/g, "_");
  const id = `${prefix}-${side}`;
  const context: SideContext = {
    side,
    id,
    workflow,
    model,
    box,
    locale,
    marked: { added: [], removed: [], changed: [] },
  };
  const title = options.title ?? `${nameOf(workflow.name, locale) || workflow.key}: ${side}`;
  const defs = MARKS.map((mark) => {
    const style = CHANGE_STYLE[mark];
    return `<marker id="${id}-arrow-${mark}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="${style.stroke}"/></marker>`;
  });
  const { paths, labels } = drawTransitions(context);
  const states = model.states.map((state) => drawState(context, state));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="wf-diagram" data-side="${side}" width="${box.width}" height="${box.height}" viewBox="0 0 ${box.width} ${box.height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="${escapeXml(FONT)}">`,
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(describeSide(context))}</desc>`,
    `<defs>${defs.join("")}</defs>`,
    ...drawStart(context),
    ...paths,
    ...states,
    ...labels,
    "</svg>",
  ].join("");
}

/** The start marker and the arrow to the initial state. */
function drawStart({ box, side, id }: SideContext): string[] {
  const start = box.nodes.get("\u0000start");
  if (!start) return [];
  const out = [
    `<circle class="wf-start" cx="${round(start.x)}" cy="${round(start.y)}" r="7" fill="#111827"><title>start</title></circle>`,
  ];
  const edge = box.edges.get(`\u0000initial\u0000${side}`);
  if (edge) {
    const style = CHANGE_STYLE.unchanged;
    out.push(
      `<path class="wf-initial" d="${pathOf(edge.points)}" fill="none" stroke="${style.stroke}" stroke-width="${style.width}" marker-end="url(#${id}-arrow-unchanged)"/>`,
    );
  }
  return out;
}

/** The transitions between states: their paths, and their labels (drawn last, above the states). */
function drawTransitions(context: SideContext): { paths: string[]; labels: string[] } {
  const { side, id, workflow, model, box, locale, marked } = context;
  const paths: string[] = [];
  const labels: string[] = [];
  const present = new Set(workflow.states.map((state) => state.key));
  for (const edge of model.edges) {
    if (!edge.sides.includes(side)) continue;
    if (!present.has(edge.transition.from) || !present.has(edge.transition.to as string)) continue;
    const placed = box.edges.get(edge.id);
    if (!placed) continue;
    const mark = visibleOn(side, edge.mark);
    const style = CHANGE_STYLE[mark];
    const t = edge.transition;
    const key = `${t.from}.${t.key}`;
    if (mark !== "unchanged") marked[mark].push(`transition ${key}`);
    paths.push(
      `<g class="wf-transition" data-change="${mark}" data-transition="${escapeXml(key)}" data-from="${escapeXml(t.from)}" data-to="${escapeXml(t.to ?? t.from)}"><path d="${pathOf(placed.points)}" fill="none" stroke="${style.stroke}" stroke-width="${style.width}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ""} marker-end="url(#${id}-arrow-${mark})"/></g>`,
    );
    if (placed.x !== undefined && placed.y !== undefined) {
      const label = withSymbol(mark, transitionLabel(t, locale));
      const w = placed.width;
      const h = placed.height;
      labels.push(
        `<g class="wf-edge-label" data-change="${mark}" data-transition="${escapeXml(key)}"><rect x="${round(placed.x - w / 2)}" y="${round(placed.y - h / 2)}" width="${w}" height="${h}" rx="4" fill="#ffffff" stroke="${style.stroke}" stroke-width="1"${style.dash ? ` stroke-dasharray="${style.dash}"` : ""}/><text x="${round(placed.x)}" y="${round(placed.y + 4)}" text-anchor="middle" font-size="${SMALL_SIZE}" fill="${style.text}">${escapeXml(label)}</text><title>${escapeXml(`${key} → ${t.to}${mark !== "unchanged" ? ` (${style.word})` : ""}`)}</title></g>`,
      );
    }
  }
  return { paths, labels };
}

/** One state of the union model as this side has it (nothing when this side lacks it), with its stay transitions. */
function drawState(context: SideContext, state: ReturnType<typeof unionModel>["states"][number]): string {
  const { side, model, box, locale, marked } = context;
  const s = side === "before" ? state.before : state.after;
  if (!s) return "";
  const node = box.nodes.get(state.key);
  if (!node) return "";
  const mark = visibleOn(side, state.mark);
  const style = CHANGE_STYLE[mark];
  if (mark !== "unchanged") marked[mark].push(`state ${s.key}`);
  const x = node.x - node.width / 2;
  const y = node.y - node.height / 2;
  const rx = s.kind === "published" || s.kind === "archived" ? 14 : 6;
  const parts = [
    `<rect x="${round(x)}" y="${round(y)}" width="${node.width}" height="${node.height}" rx="${rx}" fill="${style.fill}" stroke="${style.stroke}" stroke-width="${style.width}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ""}/>`,
    `<text x="${round(node.x)}" y="${round(y + 14 + 12)}" text-anchor="middle" font-size="${NAME_SIZE}" font-weight="600" fill="${style.text}">${escapeXml(withSymbol(mark, stateLabel(s, locale)))}</text>`,
    `<text x="${round(node.x)}" y="${round(y + 14 + LINE + 12)}" text-anchor="middle" font-size="${SMALL_SIZE}" fill="#374151">${escapeXml(`${s.key} · ${s.kind}`)}</text>`,
  ];
  let line = 0;
  for (const stay of model.stays.get(state.key) ?? []) {
    if (stay.side !== "both" && stay.side !== side) continue;
    const stayMark = visibleOn(side, stay.mark);
    const stayStyle = CHANGE_STYLE[stayMark];
    const key = `${stay.transition.from}.${stay.transition.key}`;
    if (stayMark !== "unchanged") marked[stayMark].push(`transition ${key}`);
    const text = `↻ ${withSymbol(stayMark, transitionLabel(stay.transition, locale))}`;
    parts.push(
      `<text class="wf-stay" data-change="${stayMark}" data-transition="${escapeXml(key)}" x="${round(node.x)}" y="${round(y + 14 + 2 * LINE + 2 + line * LINE + 10)}" text-anchor="middle" font-size="${SMALL_SIZE}" fill="${stayMark === "unchanged" ? "#374151" : stayStyle.text}"${stayMark === "removed" ? ' text-decoration="line-through"' : ""}${stayMark === "unchanged" ? "" : ' font-weight="600"'}>${escapeXml(text)}<title>${escapeXml(`${key}: stays in ${stay.transition.from}${stayMark !== "unchanged" ? ` (${stayStyle.word})` : ""}`)}</title></text>`,
    );
    line++;
  }
  return `<g class="wf-state" data-change="${mark}" data-state="${escapeXml(s.key)}">${parts.join("")}</g>`;
}

/** The side's description: its size, and what it marks as added, removed or changed. */
function describeSide({ workflow, marked }: SideContext): string {
  const summary = (["added", "removed", "changed"] as const)
    .filter((mark) => marked[mark].length > 0)
    .map((mark) => `${mark}: ${marked[mark].join(", ")}`)
    .join("; ");
  return (
    `${workflow.states.length} states, ${workflow.transitions.length} transitions, starting in ${workflow.initial}` +
    (summary ? `. ${summary}` : "")
  );
}

/**
 * Two versions of a workflow as two SVG diagrams laid out together (an unchanged state stays in the
 * same place in both): the current one with removed (red, dashed, `−`) and changed (amber, dotted,
 * `~`) states and transitions, the desired one with added (green, thick, `+`) and changed ones.
 * Either side may be absent (a workflow created or deleted).
 */
export function renderDiffSvg(
  current: Workflow | null | undefined,
  desired: Workflow | null | undefined,
  options: RenderSvgOptions = {},
): DiffSvg {
  const before = current ?? null;
  const after = desired ?? null;
  const locale = options.locale ?? commonLocale([after, before]);
  const model = unionModel(before, after);
  const initials: Array<{ side: "before" | "after"; key: string }> = [];
  if (before) initials.push({ side: "before", key: before.initial });
  if (after) initials.push({ side: "after", key: after.initial });
  const box = computeLayout(model, initials, locale);
  return {
    before: before ? drawSide("before", before, model, box, locale, options) : null,
    after: after ? drawSide("after", after, model, box, locale, options) : null,
  };
}

/** One workflow as an SVG diagram (no change marks). */
export function renderWorkflowSvg(workflow: Workflow, options: RenderSvgOptions = {}): string {
  return renderDiffSvg(null, workflow, options).after as string;
}
