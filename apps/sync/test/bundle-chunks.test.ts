import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startKontentSimulator } from "@workflow-sync/kontent-simulator";
import { demoSecrets, KONTENT_DEV, KONTENT_PROD } from "@workflow-sync/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempWorkspace } from "./support/workspace.ts";

/*
 * What a run loads before its first request is paid on every run (docs/performance.md, "Start-up").
 * The bundle (scripts/bundle-cli.mjs, made here from the tsc build into a scratch folder) keeps what a
 * `sync` does not need before its reads out of the chunks the sync command imports statically: the
 * planner and the apply code come through a dynamic import once the reads are sent, the graph
 * renderers (with dagre) only with the commands that draw, each adapter only when its vendor is used.
 */

const root = new URL("../../../", import.meta.url).pathname;
let bundle: string;

interface Chunk {
  file: string;
  /** The source modules in the chunk. */
  modules: string[];
  /** Chunks it imports statically. */
  staticImports: string[];
  dynamicImports: string[];
  /** Node built-ins it imports as ES modules (`import … from "node:…"`). */
  builtins: string[];
}

/** The bundler's own account of the chunks (scripts/bundle-cli.mjs --manifest). */
function readChunks(): Map<string, Chunk> {
  const manifest = JSON.parse(readFileSync(join(bundle, "chunks.json"), "utf8")) as Array<{
    file: string;
    modules: string[];
    imports: string[];
    dynamicImports: string[];
  }>;
  return new Map(
    manifest.map((chunk) => [
      chunk.file,
      {
        file: chunk.file,
        modules: chunk.modules,
        staticImports: chunk.imports.filter((name) => !name.startsWith("node:")),
        dynamicImports: chunk.dynamicImports,
        builtins: chunk.imports.filter((name) => name.startsWith("node:")),
      },
    ]),
  );
}

function chunkOf(chunks: Map<string, Chunk>, module: string): Chunk {
  const found = [...chunks.values()].find((chunk) => chunk.modules.includes(module));
  if (!found) throw new Error(`no chunk of the bundle holds ${module}`);
  return found;
}

/** Every chunk a chunk loads before its code runs: itself and its static imports, transitively. */
function staticChunks(chunks: Map<string, Chunk>, start: Chunk): Chunk[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of chunks.get(file)?.staticImports ?? []) visit(next);
  };
  visit(start.file);
  return [...seen].flatMap((file) => chunks.get(file) ?? []);
}

/** Every module a chunk loads before its code runs: its own and those of its static imports. */
function staticModules(chunks: Map<string, Chunk>, start: Chunk): string[] {
  return staticChunks(chunks, start).flatMap((chunk) => chunk.modules);
}

describe("the CLI's bundle: what a sync loads before its first request", () => {
  let chunks: Map<string, Chunk>;
  beforeAll(() => {
    bundle = mkdtempSync(join(tmpdir(), "workflow-sync-bundle-"));
    execFileSync(process.execPath, [join(root, "scripts/bundle-cli.mjs"), bundle, "--manifest"], {
      stdio: "pipe",
    });
    chunks = readChunks();
  }, 60_000);
  afterAll(() => rmSync(bundle, { recursive: true, force: true }));
  const notBeforeReads = [
    "apps/sync/dist/sync/planner.js",
    "apps/sync/dist/sync/apply.js",
    "apps/sync/dist/sync/plan-format.js",
    "apps/sync/dist/sync/orchestrate.js",
    "apps/sync/dist/sync/render-plan.js",
    "packages/core/dist/render/svg.js",
    "node_modules/@dagrejs/dagre/dist/dagre.esm.js",
  ];

  it("the sync command statically loads the reads, not the planner, the apply code or the graph renderers", () => {
    const sync = chunkOf(chunks, "apps/sync/dist/commands/sync.js");
    const loaded = staticModules(chunks, sync);
    expect(loaded).toContain("apps/sync/dist/sync/plan-reads.js");
    expect(loaded).toContain("apps/sync/dist/environments/resolve.js");
    expect(loaded.filter((module) => notBeforeReads.includes(module))).toEqual([]);
    expect(loaded.filter((module) => /^packages\/adapter-/.test(module))).toEqual([]);
    // Nor zod: the config is checked without it when valid (config-check.ts), and the source's
    // files, core's schemas and the adapters' mapping load through dynamic imports.
    expect(loaded.filter((module) => module.startsWith("node_modules/zod/"))).toEqual([]);
    // The planner comes later, through the dynamic import in commands/sync.ts.
    expect(sync.dynamicImports).toContain(chunkOf(chunks, "apps/sync/dist/sync/orchestrate.js").file);
  });

  it("the Kontent.ai adapter loads neither the Contensis adapter nor the planner nor the graph renderers", () => {
    const kontent = chunkOf(chunks, "packages/adapter-kontent/dist/environment.js");
    const loaded = staticModules(chunks, kontent);
    expect(loaded).toContain("packages/http/dist/transport.js");
    expect(loaded.filter((module) => module.startsWith("packages/adapter-contensis/"))).toEqual([]);
    expect(loaded.filter((module) => notBeforeReads.includes(module))).toEqual([]);
  });

  it("opening a Kontent.ai environment and sending its reads loads neither zod nor the mapping", () => {
    const open = chunkOf(chunks, "packages/adapter-kontent/dist/open.js");
    const loaded = staticModules(chunks, open);
    expect(loaded).toContain("packages/http/dist/transport.js");
    expect(loaded.filter((module) => module.startsWith("node_modules/zod/"))).toEqual([]);
    expect(
      loaded.filter((module) => /adapter-kontent\/dist\/(wire|mapping\/|environment)/.test(module)),
    ).toEqual([]);
  });

  it("takes Node's built-ins without their ES module facade (node:module aside)", () => {
    // An ESM import of node:fs or node:util reads every export, loading modules a run never uses.
    const sync = chunkOf(chunks, "apps/sync/dist/commands/sync.js");
    const kontent = chunkOf(chunks, "packages/adapter-kontent/dist/environment.js");
    const imported = [...staticChunks(chunks, sync), ...staticChunks(chunks, kontent)].flatMap(
      (chunk) => chunk.builtins,
    );
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.filter((builtin) => builtin !== "node:module")).toEqual([]);
  });

  it("the commands that draw still reach the graph renderers", () => {
    const graph = chunkOf(chunks, "apps/sync/dist/commands/graph.js");
    expect(staticModules(chunks, graph)).toContain("packages/core/dist/render/svg.js");
  });
});

/**
 * The bundle run as a user runs it: a `sync` between two Kontent.ai environments of the simulator,
 * in a fresh process that notes, as each request is handed to node:http, whether zod has been
 * evaluated yet (zod sets `globalThis.__zod_globalConfig` when its core runs). The reads of both
 * environments go out before: zod, and everything built with it (wire schemas, mapping, core's
 * schemas), loads while their answers are on their way.
 */
describe("the CLI's bundle: the reads go out before the schema library is evaluated", () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), "workflow-sync-probe-"));
    execFileSync(process.execPath, [join(root, "scripts/bundle-cli.mjs"), folder], { stdio: "pipe" });
    writeFileSync(
      join(folder, "probe.mjs"),
      [
        'const http = process.getBuiltinModule("node:http");',
        "const send = http.request;",
        "const sent = [];",
        "http.request = function (...args) {",
        "  const options = typeof args[0] === 'object' && !(args[0] instanceof URL) ? args[0] : args[1] ?? {};",
        "  sent.push({ method: options.method ?? 'GET', path: String(options.path ?? args[0]), zod: globalThis.__zod_globalConfig !== undefined });",
        "  return send.apply(this, args);",
        "};",
        'const { main } = await import("./main.js");',
        "process.exitCode = await main(process.argv.slice(2));",
        "const zodAtExit = globalThis.__zod_globalConfig !== undefined;",
        "process.stderr.write('\\n@@sent ' + JSON.stringify({ sent, zodAtExit }) + '\\n');",
        "",
      ].join("\n"),
    );
  }, 60_000);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("a sync sends the reads of its source and its target, then loads zod", async () => {
    const sim = await startKontentSimulator();
    const workspace = tempWorkspace({
      "workflow-sync.config.yaml": [
        "environments:",
        ...[
          ["dev", KONTENT_DEV, "KONTENT_DEV_API_KEY"],
          ["prod", KONTENT_PROD, "KONTENT_PROD_API_KEY"],
        ].flatMap(([name, id, key]) => [
          `  ${name}:`,
          "    vendor: kontent",
          `    environmentId: ${id}`,
          `    apiKey: { env: ${key} }`,
          `    baseUrl: ${sim.baseUrl}`,
        ]),
        "",
      ].join("\n"),
    });
    try {
      const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>(
        (resolve, reject) => {
          const child = spawn(
            process.execPath,
            [join(folder, "probe.mjs"), "sync", "dev", "prod", "--json"],
            {
              cwd: workspace.root,
              env: {
                PATH: process.env.PATH ?? "",
                NO_COLOR: "1",
                ...demoSecrets("KONTENT_DEV_API_KEY", "KONTENT_PROD_API_KEY"),
              },
              stdio: ["ignore", "ignore", "pipe"],
            },
          );
          let stderr = "";
          child.stderr.on("data", (chunk) => (stderr += chunk));
          child.on("error", reject);
          child.on("close", (code) => resolve({ code, stderr }));
        },
      );
      const line = /@@sent (.*)/.exec(stderr)?.[1];
      expect(line, stderr).toBeDefined();
      const { sent, zodAtExit } = JSON.parse(line!) as {
        sent: Array<{ method: string; path: string; zod: boolean }>;
        zodAtExit: boolean;
      };
      // Without --yes and unattended (--json), sync stops after its plan: reads only.
      expect(code, stderr).not.toBe(1);
      const reads = sent.filter((request) => request.method === "GET");
      expect(
        reads.map((request) => request.path.replace(/^.*\/projects\/[^/]+\//, "").replace(/\?.*/, "")).sort(),
      ).toEqual(["collections", "collections", "roles", "roles", "types", "types", "workflows", "workflows"]);
      expect(sent.slice(0, 8).map((request) => request.zod)).toEqual(Array(8).fill(false));
      // The probe does see zod: mapping the answers and planning load it, after the reads.
      expect(zodAtExit).toBe(true);
    } finally {
      await sim.close();
      workspace.cleanup();
    }
  }, 60_000);
});
