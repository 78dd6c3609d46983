import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ContensisSimulator, startContensisSimulator } from "@workflow-sync/contensis-simulator";
import { type KontentSimulator, startKontentSimulator } from "@workflow-sync/kontent-simulator";
import { CONTENSIS_TO_KONTENT, DEMO_SECRETS } from "@workflow-sync/test-utils";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configText, contensisEnvironments, kontentEnvironments } from "../support/demo-config.ts";
import { runCli } from "../support/run-cli.ts";
import { tempWorkspace } from "../support/workspace.ts";

/*
 * The HTML report in a real browser: reports of the demo's plans (both simulators with their demo
 * seeds, the built CLI) opened in headless Chromium. Checks: no console error and no request leaving
 * the file, the diagrams and their change marks, no state box or edge label overlapping another
 * (from the rendered boxes), and an axe-core accessibility check.
 *
 * Needs Debian's chromium at /usr/bin/chromium (`apt-get install -y chromium`; CI's .ci/run installs
 * it). Without it this file is skipped and says why. Run it alone:
 *   cd apps/sync && npx vitest run test/journeys/report.browser.test.ts
 */

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `report.browser.test.ts: skipped: ${CHROMIUM} is absent (install it with: apt-get install -y chromium)`,
  );
}

const env = DEMO_SECRETS;

interface Box {
  kind: string;
  id: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

describe.skipIf(!hasChromium)("the HTML report in headless Chromium (demo plans)", () => {
  let kontent: KontentSimulator;
  let contensis: ContensisSimulator;
  let workspace: ReturnType<typeof tempWorkspace>;
  let browser: BrowserContext;
  let profile: string;
  const cli = (args: string[]) => runCli(args, { cwd: workspace.root, env });

  beforeAll(async () => {
    kontent = await startKontentSimulator({ rateLimit: false });
    contensis = await startContensisSimulator();
    workspace = tempWorkspace({ "to-kontent.yaml": CONTENSIS_TO_KONTENT });
    writeFileSync(
      join(workspace.root, "workflow-sync.config.yaml"),
      configText(kontentEnvironments(kontent.baseUrl), contensisEnvironments(contensis.url)),
    );
    const plans: Array<[string, string[]]> = [
      ["promotion.json", ["kontent-dev", "kontent-prod", "--prune"]],
      ["contensis.json", ["contensis-dev", "contensis-prod"]],
      ["migration.json", ["contensis-dev", "kontent-prod", "--map", "to-kontent.yaml", "--accept-loss"]],
    ];
    for (const [file, args] of plans) {
      const planned = await cli(["plan", ...args, "--out", file]);
      expect(planned.exitCode, planned.stderr).toBe(0);
      const reported = await cli(["report", file, "--out", file.replace(".json", ".html")]);
      expect(reported.exitCode, reported.stderr).toBe(0);
    }
    const { chromium } = await import("playwright-core");
    profile = mkdtempSync(join(tmpdir(), "workflow-sync-chromium-"));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      // The report forbids scripts (CSP); the test injects axe-core, so the policy is bypassed here.
      bypassCSP: true,
      viewport: { width: 1400, height: 1000 },
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await kontent?.close();
    await contensis?.close();
    workspace?.cleanup();
  });

  async function open(file: string) {
    const page = await browser.newPage();
    const problems: string[] = [];
    const outside: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file://")) return route.continue();
      outside.push(url);
      return route.abort();
    });
    await page.goto(`file://${workspace.path(file)}`);
    return { page, problems, outside };
  }

  /** The rendered boxes of every state and edge label, per diagram. */
  async function boxes(page: Awaited<ReturnType<typeof open>>["page"]): Promise<Box[][]> {
    return page.$$eval("svg.wf-diagram", (svgs) =>
      svgs.map((svg) =>
        [...svg.querySelectorAll("g.wf-state > rect, g.wf-edge-label")].map((element) => {
          const rect = element.getBoundingClientRect();
          const group = element.closest("g")!;
          return {
            kind: group.classList.contains("wf-state") ? "state" : "label",
            id: group.getAttribute("data-state") ?? group.getAttribute("data-transition") ?? "",
            left: rect.left,
            top: rect.top,
            right: rect.right,
            bottom: rect.bottom,
          };
        }),
      ),
    );
  }

  /** The browser's getComputedStyle (the test's own types have no DOM). */
  type Styled = { stroke: string; strokeWidth: string; strokeDasharray: string };

  const overlaps = (a: Box, b: Box) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;

  for (const report of ["promotion.html", "contensis.html", "migration.html"]) {
    it(`${report}: loads with no console error and nothing fetched from outside the file`, async () => {
      const { page, problems, outside } = await open(report);
      expect(problems).toEqual([]);
      expect(outside).toEqual([]);
      expect(await page.$$eval("script", (scripts) => scripts.length)).toBe(0);
      await page.close();
    });

    it(`${report}: no state box or edge label overlaps another`, async () => {
      const { page } = await open(report);
      const diagrams = await boxes(page);
      expect(diagrams.length).toBeGreaterThan(0);
      for (const diagram of diagrams) {
        expect(diagram.some((box) => box.kind === "state")).toBe(true);
        for (let i = 0; i < diagram.length; i++) {
          for (let j = i + 1; j < diagram.length; j++) {
            const [a, b] = [diagram[i]!, diagram[j]!];
            expect(overlaps(a, b), `${a.kind} ${a.id} overlaps ${b.kind} ${b.id}`).toBe(false);
          }
        }
      }
      await page.close();
    });

    it(`${report}: passes an axe-core accessibility check`, async () => {
      const { page } = await open(report);
      const require = createRequire(import.meta.url);
      await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
      const violations = await page.evaluate(async () => {
        const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe;
        const result = await axe.run();
        return result.violations.map((violation) => {
          const v = violation as { id: string; help: string; nodes: Array<{ target: unknown }> };
          return `${v.id}: ${v.help} (${v.nodes.length}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))})`;
        });
      });
      expect(violations).toEqual([]);
      await page.close();
    }, 90_000);
  }

  it("promotion.html: the Kontent.ai promotion's changes are drawn and marked by colour, line style and symbol", async () => {
    const { page } = await open("promotion.html");
    const section = page.locator('section.workflow[data-workflow="editorial_review"]');
    expect(await section.getAttribute("data-action")).toBe("update");
    // legal_review is new in dev: in the after picture only, marked added (green, thick, "+").
    const added = section.locator('svg[data-side="after"] g.wf-state[data-state="legal_review"]');
    expect(await added.getAttribute("data-change")).toBe("added");
    expect(await added.locator("text").first().textContent()).toMatch(/^\+ /);
    expect(
      await section.locator('svg[data-side="before"] g.wf-state[data-state="legal_review"]').count(),
    ).toBe(0);
    const addedStyle = await added.locator("rect").evaluate((rect) => {
      const style = (globalThis as unknown as { getComputedStyle(e: unknown): Styled }).getComputedStyle(
        rect,
      );
      return { stroke: style.stroke, width: style.strokeWidth, dash: style.strokeDasharray };
    });
    expect(addedStyle).toEqual({ stroke: "rgb(21, 128, 61)", width: "3px", dash: "none" });
    // copy_edit changed colour: changed in both pictures (amber, dotted, "~").
    for (const side of ["before", "after"]) {
      const changed = section.locator(`svg[data-side="${side}"] g.wf-state[data-state="copy_edit"]`);
      expect(await changed.getAttribute("data-change")).toBe("changed");
      expect(await changed.locator("text").first().textContent()).toMatch(/^~ /);
      expect(
        await changed
          .locator("rect")
          .evaluate(
            (rect) =>
              (globalThis as unknown as { getComputedStyle(e: unknown): Styled }).getComputedStyle(rect)
                .strokeDasharray,
          ),
      ).not.toBe("none");
    }
    // An unchanged state is plain in both pictures.
    const plain = section.locator('svg[data-side="after"] g.wf-state[data-state="draft"]');
    expect(await plain.getAttribute("data-change")).toBe("unchanged");
    // A new transition arrow and its label are marked added.
    expect(
      await section.locator('svg[data-side="after"] g.wf-transition[data-change="added"]').count(),
    ).toBeGreaterThan(0);
    // legacy_approval exists only in prod: with --prune it is deleted, drawn before only, all removed.
    const removed = page.locator('section.workflow[data-workflow="legacy_approval"]');
    expect(await removed.getAttribute("data-action")).toBe("delete");
    expect(await removed.locator('svg[data-side="after"]').count()).toBe(0);
    // The change table, requests, fingerprints and checksum are on the page.
    const text = (await page.textContent("body")) ?? "";
    expect(text).toContain("Plan checksum");
    expect(text).toContain("Target fingerprint when planned");
    expect(await section.locator("table.changes tr.row-added").count()).toBeGreaterThan(0);
    expect(await section.locator("ol.requests li").count()).toBeGreaterThan(0);
    await page.close();
  });

  it("contensis.html: events that stay in their state are listed in the state's box, not drawn as loops", async () => {
    const { page } = await open("contensis.html");
    const stays = await page.$$eval("svg.wf-diagram text.wf-stay", (items) => items.length);
    expect(stays).toBeGreaterThan(0);
    // No arrow starts and ends at the same state.
    const loops = await page.$$eval("svg.wf-diagram g.wf-transition", (edges) =>
      edges.filter((edge) => edge.getAttribute("data-from") === edge.getAttribute("data-to")),
    );
    expect(loops.length).toBe(0);
    await page.close();
  });

  it("migration.html: losses are grouped by rule with a count", async () => {
    const { page } = await open("migration.html");
    const rows = await page.$$eval("table.notes tbody tr", (trs) =>
      trs.map((tr) => Number(tr.querySelector("td.num")?.textContent ?? "0")),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((count) => count >= 1)).toBe(true);
    await page.close();
  });
});
