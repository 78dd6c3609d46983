import type { Change } from "../diff/index.ts";
import { formatPath } from "../issues.ts";
import type { Workflow } from "../model.ts";
import { type ChangeGroup, nameOf, sections } from "./format.ts";
import { CHANGE_STYLE, type ChangeMark, escapeXml, renderDiffSvg } from "./svg.ts";

/*
 * A review of a plan or a diff as one self-contained HTML page: inline CSS and SVG, no script, no
 * link to anything outside (it opens offline, and reads the same with JavaScript off). Pure: the
 * report model in, the page out; the CLI's `workflow-sync report` builds the model from a plan.
 */

export interface ReportRequest {
  method: string;
  path: string;
  description: string;
  body?: unknown;
}

/** One workflow that the plan writes. */
export interface ReportWorkflow {
  /** The workflow's key in the target. */
  key: string;
  /** `permissions`: writes outside the definitions (Contensis role grants), shown with their requests. */
  action: "create" | "update" | "delete" | "permissions";
  /** The target's current workflow (null when created). */
  before: Workflow | null;
  /** The workflow as it will be (null when deleted). */
  after: Workflow | null;
  /** The keyed changes (core's diff) that turn `before` into `after`. */
  changes: readonly Change[];
  /** The requests the apply will send, in order. */
  requests: readonly ReportRequest[];
}

export interface ReportNote {
  workflow: string;
  code: string;
  path: ReadonlyArray<string | number>;
  message: string;
}

export interface ReportTarget {
  environment: string;
  vendor?: string;
  /** Where it is (a URL, a project, a folder). */
  label?: string;
  /** The fingerprint of the target when planned. */
  fingerprint?: string;
  workflows: readonly ReportWorkflow[];
  /** Workflows that need no change. */
  unchanged: ReadonlyArray<{ key: string; name?: string }>;
  skipped: ReadonlyArray<{ workflow: string; reason: string }>;
  losses: readonly ReportNote[];
  warnings: readonly ReportNote[];
  /** Role names as the plan resolved them (source name → target name, found in the target). */
  roles?: ReadonlyArray<{ source: string; target: string; found: boolean }>;
}

export interface ReportInput {
  /** The page title. Default "Workflow changes: <source> → <targets>". */
  title?: string;
  source: { environment: string; vendor?: string; fingerprint?: string };
  /** The plan's identity, when the report is of a plan file. */
  plan?: {
    id: string;
    createdAt: string;
    checksum: string;
    tool?: string;
    options?: {
      prune?: boolean | undefined;
      acceptLoss?: boolean | undefined;
      map?: string | undefined;
      workflows?: readonly string[] | undefined;
    };
  };
  targets: readonly ReportTarget[];
  locale?: string;
  /** A line at the foot of the page (e.g. the tool and its version). */
  footer?: string;
}

const h = escapeXml;
const ACTION_MARK: Record<ReportWorkflow["action"], ChangeMark> = {
  create: "added",
  update: "changed",
  delete: "removed",
  permissions: "changed",
};
const SIGN_MARK: Record<ChangeGroup["sign"], ChangeMark> = { "+": "added", "~": "changed", "-": "removed" };

function badge(mark: ChangeMark, text: string): string {
  const style = CHANGE_STYLE[mark];
  return `<span class="badge badge-${mark}">${h(style.symbol ? `${style.symbol} ${text}` : text)}</span>`;
}

function anchor(...parts: string[]): string {
  return parts.join("-").replace(/[^A-Za-z0-9_-]/g, "_");
}

function changeTable(changes: readonly Change[]): string {
  const rows: string[] = [];
  for (const section of sections({ formatVersion: 1, changes: [...changes] })) {
    for (const group of section.groups) {
      const mark = SIGN_MARK[group.sign];
      const what = group.entity === "workflow" ? "workflow" : `${group.entity} ${group.id}`;
      if (group.sign !== "~") {
        const value = `<code>${h(group.detail ?? "")}</code>`;
        rows.push(
          `<tr class="row-${mark}"><td>${badge(mark, CHANGE_STYLE[mark].word)}</td><td><code>${h(what)}</code></td><td></td><td>${group.sign === "-" ? value : ""}</td><td>${group.sign === "+" ? value : ""}</td></tr>`,
        );
        continue;
      }
      for (const field of group.fields) {
        rows.push(
          `<tr class="row-changed"><td>${badge("changed", "changed")}</td><td><code>${h(what)}</code></td><td><code>${h(field.field)}</code></td><td><code>${h(field.before)}</code></td><td><code>${h(field.after)}</code></td></tr>`,
        );
      }
    }
  }
  const whole = changes.find(
    (change) => change.kind === "workflow_added" || change.kind === "workflow_removed",
  );
  if (whole && rows.length === 0) {
    const workflow = whole.kind === "workflow_added" ? whole.after : whole.before;
    return `<p>${whole.kind === "workflow_added" ? "A new workflow" : "The whole workflow is deleted"}: ${workflow.states.length} states, ${workflow.transitions.length} transitions (all in the diagram).</p>`;
  }
  if (rows.length === 0) return "<p>No field changes (an unfinished earlier write is completed).</p>";
  return `<table class="changes"><caption>Field-level changes</caption><thead><tr><th scope="col">Change</th><th scope="col">Item</th><th scope="col">Field</th><th scope="col">Before</th><th scope="col">After</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** Role changes: roles fields changed, and the roles of added or removed states and transitions. */
function roleRows(changes: readonly Change[]): string[] {
  const rows: string[] = [];
  const list = (roles: readonly string[]) =>
    roles.length ? roles.map((role) => `<code>${h(role)}</code>`).join(", ") : "<em>anyone</em>";
  for (const change of changes) {
    if (
      (change.kind === "state_changed" || change.kind === "transition_changed") &&
      change.field === "roles"
    ) {
      const before = change.before as string[];
      const after = change.after as string[];
      const added = after.filter((role) => !before.includes(role));
      const removed = before.filter((role) => !after.includes(role));
      const what =
        change.kind === "state_changed"
          ? `state ${change.state}`
          : `transition ${change.transition.from}.${change.transition.key}`;
      rows.push(
        `<tr><td><code>${h(what)}</code></td><td>${list(before)}</td><td>${list(after)}</td><td>${added.length ? `+ ${added.map(h).join(", ")}` : ""}${added.length && removed.length ? "; " : ""}${removed.length ? `\u2212 ${removed.map(h).join(", ")}` : ""}</td></tr>`,
      );
    }
    if (change.kind === "state_added" || change.kind === "state_removed") {
      const state = change.kind === "state_added" ? change.after : change.before;
      if (state.roles.length === 0) continue;
      rows.push(
        `<tr><td><code>${h(`state ${state.key}`)}</code> (${change.kind === "state_added" ? "added" : "removed"})</td><td>${change.kind === "state_removed" ? list(state.roles) : ""}</td><td>${change.kind === "state_added" ? list(state.roles) : ""}</td><td></td></tr>`,
      );
    }
    if (change.kind === "transition_added" || change.kind === "transition_removed") {
      const t = change.kind === "transition_added" ? change.after : change.before;
      if (t.roles.length === 0) continue;
      rows.push(
        `<tr><td><code>${h(`transition ${t.from}.${t.key}`)}</code> (${change.kind === "transition_added" ? "added" : "removed"})</td><td>${change.kind === "transition_removed" ? list(t.roles) : ""}</td><td>${change.kind === "transition_added" ? list(t.roles) : ""}</td><td></td></tr>`,
      );
    }
  }
  return rows;
}

function requestList(requests: readonly ReportRequest[]): string {
  if (requests.length === 0) return "<p>No request.</p>";
  const items = requests.map((request) => {
    const body =
      request.body === undefined
        ? ""
        : `<details><summary>body</summary><pre>${h(typeof request.body === "string" ? request.body : JSON.stringify(request.body, null, 2))}</pre></details>`;
    return `<li><code class="method">${h(request.method)}</code> <code>${h(request.path)}</code> — ${h(request.description)}${body}</li>`;
  });
  return `<ol class="requests">${items.join("")}</ol>`;
}

/** Notes grouped by rule (code): a count, the first as an example, all of them folded. */
function groupedNotes(notes: readonly ReportNote[], noun: string): string {
  if (notes.length === 0) return "";
  const byCode = new Map<string, ReportNote[]>();
  for (const note of notes) byCode.set(note.code, [...(byCode.get(note.code) ?? []), note]);
  const rows = [...byCode]
    .sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : 1))
    .map(([code, list]) => {
      const first = list[0] as ReportNote;
      const all = list
        .map(
          (note) =>
            `<li><code>${h(`${note.workflow}.${formatPath([...note.path])}`)}</code>: ${h(note.message)}</li>`,
        )
        .join("");
      return `<tr><td><code>${h(code)}</code></td><td class="num">${list.length}</td><td><code>${h(`${first.workflow}.${formatPath([...first.path])}`)}</code>: ${h(first.message)}${list.length > 1 ? `<details><summary>all ${list.length}</summary><ul>${all}</ul></details>` : ""}</td></tr>`;
    });
  return `<table class="notes"><caption>${h(`${notes.length} ${noun}${notes.length === 1 ? "" : "s"}, by rule`)}</caption><thead><tr><th scope="col">Rule</th><th scope="col">Count</th><th scope="col">Example</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function workflowSection(
  target: ReportTarget,
  workflow: ReportWorkflow,
  index: number,
  locale: string | undefined,
): string {
  const mark = ACTION_MARK[workflow.action];
  const shown = workflow.after ?? workflow.before;
  const name = shown ? nameOf(shown.name, locale) : "";
  const id = anchor("wf", String(index), target.environment, workflow.key);
  const svg = renderDiffSvg(workflow.before, workflow.after, {
    idPrefix: id,
    ...(locale ? { locale } : {}),
  });
  const figures: string[] = [];
  if (svg.before)
    figures.push(
      `<figure class="diagram"><figcaption>Before (now in ${h(target.environment)})</figcaption><div class="scroll">${svg.before}</div></figure>`,
    );
  if (svg.after)
    figures.push(
      `<figure class="diagram"><figcaption>After (${workflow.action === "create" ? "created" : "as planned"})</figcaption><div class="scroll">${svg.after}</div></figure>`,
    );
  const roles = roleRows(workflow.changes);
  const losses = target.losses.filter((loss) => loss.workflow === workflow.key);
  return [
    `<section class="workflow" id="${id}" data-workflow="${h(workflow.key)}" data-action="${workflow.action}">`,
    `<h3>${badge(mark, workflow.action)} <code>${h(workflow.key)}</code>${name ? ` ${h(name)}` : ""}</h3>`,
    `<div class="diagrams">${figures.join("")}</div>`,
    changeTable(workflow.changes),
    roles.length
      ? `<table class="roles"><caption>Role and permission changes</caption><thead><tr><th scope="col">Item</th><th scope="col">Before</th><th scope="col">After</th><th scope="col">Difference</th></tr></thead><tbody>${roles.join("")}</tbody></table>`
      : "",
    groupedNotes(losses, "loss"),
    `<h4>Requests the apply sends (${workflow.requests.length})</h4>`,
    requestList(workflow.requests),
    "</section>",
  ].join("\n");
}

const LEGEND = `<ul class="legend" aria-label="Legend">${(["added", "removed", "changed"] as const)
  .map((mark) => {
    const style = CHANGE_STYLE[mark];
    const lines = { added: "thick solid line", removed: "dashed line", changed: "dotted line" }[mark];
    return `<li><svg width="40" height="14" aria-hidden="true"><line x1="2" y1="7" x2="38" y2="7" stroke="${style.stroke}" stroke-width="${style.width}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ""}/></svg> ${badge(mark, mark)} ${lines}</li>`;
  })
  .join(
    "",
  )}<li><span class="stay-sample">↻ Save</span> an event that stays in its state, listed in the state's box</li></ul>`;

const CSS = `
:root{color-scheme:light}
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;margin:0;color:#111827;background:#f9fafb;line-height:1.45}
main{max-width:1400px;margin:0 auto;padding:1.5rem}
h1{font-size:1.5rem;margin:0 0 .5rem}
h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:2px solid #d1d5db;padding-bottom:.25rem}
h3{font-size:1.1rem;margin:0 0 .75rem}
h4{font-size:1rem;margin:1rem 0 .25rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;overflow-wrap:anywhere}
table{border-collapse:collapse;margin:.75rem 0;background:#fff;width:100%}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #d1d5db;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f4f6}
td.num{text-align:right}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem 0}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
.workflow{background:#fff;border:1px solid #d1d5db;border-radius:8px;padding:1rem;margin:1rem 0}
.diagrams{display:flex;flex-wrap:wrap;gap:1rem}
figure.diagram{margin:0;border:1px solid #e5e7eb;border-radius:6px;padding:.5rem;flex:1 1 420px;min-width:0}
figure.diagram figcaption{font-weight:600;margin-bottom:.25rem}
.scroll{overflow-x:auto}
svg.wf-diagram{max-width:100%;height:auto}
.badge{display:inline-block;border-radius:4px;padding:0 .4rem;font-size:.85rem;font-weight:600;border:2px solid}
.badge-added{color:${CHANGE_STYLE.added.text};background:${CHANGE_STYLE.added.fill};border-color:${CHANGE_STYLE.added.stroke};border-style:solid}
.badge-removed{color:${CHANGE_STYLE.removed.text};background:${CHANGE_STYLE.removed.fill};border-color:${CHANGE_STYLE.removed.stroke};border-style:dashed}
.badge-changed{color:${CHANGE_STYLE.changed.text};background:${CHANGE_STYLE.changed.fill};border-color:${CHANGE_STYLE.changed.stroke};border-style:dotted}
.badge-unchanged{color:#111827;background:#fff;border-color:#6b7280}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}
.legend li{display:flex;align-items:center;gap:.4rem}
.stay-sample{font-size:.85rem;border:1px solid #6b7280;border-radius:4px;padding:0 .3rem}
ol.requests li{margin:.2rem 0}
code.method{font-weight:700}
pre{background:#f3f4f6;padding:.5rem;overflow-x:auto;font-size:.8rem}
details>summary{cursor:pointer}
.ok{color:#14532d}
`;

/**
 * The review page. For each target: the environments, fingerprints and the plan checksum; then each
 * workflow the plan writes, with its before and after diagrams (changes marked by colour, line style
 * and symbol), the field-level change table, role changes, its losses grouped by rule and the
 * requests the apply sends; then losses and warnings of the whole target by rule, skipped workflows,
 * and the unchanged workflows folded in `<details>`.
 */
export function renderReportHtml(input: ReportInput): string {
  const targets = input.targets.map((target) => target.environment).join(", ");
  const title = input.title ?? `Workflow changes: ${input.source.environment} → ${targets}`;
  const body: string[] = [`<header><h1>${h(title)}</h1>`, factList(planFacts(input)), LEGEND, "</header>"];
  let index = 0;
  for (const target of input.targets) {
    body.push(...targetSection(input, target, index));
    index += target.workflows.length;
  }
  if (input.footer) body.push(`<footer><p>${h(input.footer)}</p></footer>`);
  return page(title, body);
}

const factList = (facts: ReadonlyArray<readonly [string, string]>) =>
  `<dl class="facts">${facts.map(([k, v]) => `<dt>${h(k)}</dt><dd><code>${h(v)}</code></dd>`).join("")}</dl>`;

/** The source, the plan and its options. */
function planFacts(input: ReportInput): Array<[string, string]> {
  const facts: Array<[string, string]> = [
    ["Source", `${input.source.environment}${input.source.vendor ? ` (${input.source.vendor})` : ""}`],
  ];
  if (input.source.fingerprint) facts.push(["Source fingerprint", input.source.fingerprint]);
  if (input.plan) {
    facts.push(
      ["Plan", input.plan.id],
      ["Created", input.plan.createdAt],
      ["Plan checksum", input.plan.checksum],
    );
    if (input.plan.tool) facts.push(["Made by", input.plan.tool]);
    const options = input.plan.options;
    if (options) {
      facts.push([
        "Options",
        [
          options.prune
            ? "--prune (deletes workflows only in the target)"
            : "no --prune (nothing is deleted)",
          options.acceptLoss ? "--accept-loss" : "",
          options.map ? `--map ${options.map}` : "",
          options.workflows?.length ? `only --workflow ${options.workflows.join(", ")}` : "",
        ]
          .filter(Boolean)
          .join(", "),
      ]);
    }
  }
  return facts;
}

/** One target: its facts and summary, each workflow the plan writes, then what concerns the whole target. */
function targetSection(input: ReportInput, target: ReportTarget, firstIndex: number): string[] {
  const body: string[] = [];
  let index = firstIndex;
  const count = (action: ReportWorkflow["action"]) =>
    target.workflows.filter((workflow) => workflow.action === action).length;
  const requests = target.workflows.reduce((sum, workflow) => sum + workflow.requests.length, 0);
  const targetFacts: Array<[string, string]> = [
    ["Target", `${target.environment}${target.vendor ? ` (${target.vendor})` : ""}`],
  ];
  if (target.label) targetFacts.push(["Location", target.label]);
  if (target.fingerprint) targetFacts.push(["Target fingerprint when planned", target.fingerprint]);
  body.push(
    `<section class="target" data-environment="${h(target.environment)}">`,
    `<h2>${h(input.source.environment)} → ${h(target.environment)}</h2>`,
    factList(targetFacts),
    `<p class="summary">${count("create")} to create, ${count("update")} to update, ${count("delete")} to delete · ${requests} request${requests === 1 ? "" : "s"} · ${target.losses.length} loss${target.losses.length === 1 ? "" : "es"} · ${target.unchanged.length} unchanged</p>`,
  );
  if (target.workflows.length === 0) body.push(`<p class="ok">No changes: the target already matches.</p>`);
  if (target.workflows.length > 1) {
    body.push(
      `<nav aria-label="Workflows of ${h(target.environment)}"><ul>${target.workflows
        .map(
          (workflow, i) =>
            `<li><a href="#${anchor("wf", String(index + i), target.environment, workflow.key)}">${h(workflow.action)} ${h(workflow.key)}</a></li>`,
        )
        .join("")}</ul></nav>`,
    );
  }
  for (const workflow of target.workflows)
    body.push(workflowSection(target, workflow, index++, input.locale));
  body.push(...targetNotes(target), "</section>");
  return body;
}

/** What concerns the whole target: losses and warnings by rule, role names, skipped and unchanged workflows. */
function targetNotes(target: ReportTarget): string[] {
  const body: string[] = [];
  if (target.losses.length > 0)
    body.push(
      `<h3>Losses on the way to ${h(target.vendor ?? target.environment)}</h3>`,
      groupedNotes(target.losses, "loss"),
    );
  if (target.warnings.length > 0) body.push("<h3>Warnings</h3>", groupedNotes(target.warnings, "warning"));
  if (target.roles && target.roles.length > 0) {
    body.push(
      `<details><summary>Roles (${target.roles.length}) as the target names them</summary><table class="mappings"><thead><tr><th scope="col">Source</th><th scope="col">Target</th><th scope="col">Found in the target</th></tr></thead><tbody>${target.roles
        .map(
          (role) =>
            `<tr><td><code>${h(role.source)}</code></td><td><code>${h(role.target)}</code></td><td>${role.found ? "yes" : "no"}</td></tr>`,
        )
        .join("")}</tbody></table></details>`,
    );
  }
  if (target.skipped.length > 0) {
    body.push(
      `<h3>Not written</h3><ul class="skipped">${target.skipped.map((skip) => `<li><code>${h(skip.workflow)}</code>: ${h(skip.reason)}</li>`).join("")}</ul>`,
    );
  }
  if (target.unchanged.length > 0) {
    body.push(
      `<details class="unchanged"><summary>${target.unchanged.length} unchanged workflow${target.unchanged.length === 1 ? "" : "s"}</summary><ul>${target.unchanged
        .map(
          (workflow) =>
            `<li><code>${h(workflow.key)}</code>${workflow.name ? ` ${h(workflow.name)}` : ""}</li>`,
        )
        .join("")}</ul></details>`,
    );
  }
  return body;
}

/** The whole page around `body`. */
function page(title: string, body: readonly string[]): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No script, no outside resource: a strict policy makes that true when the page is opened.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${h(title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body><main>",
    ...body,
    "</main></body>",
    "</html>",
    "",
  ].join("\n");
}
