import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/*
 * Library consumption: every published package is packed with `npm pack`, installed into a fresh
 * project outside the workspace, imported there and type-checked against its shipped types, so a
 * user who installs only one package gets a working package. Runs on the built dist (`npm test`
 * builds first).
 */

const root = new URL("../../../", import.meta.url).pathname;
const tsc = join(root, "node_modules/.bin/tsc");
const packages = {
  core: "packages/core",
  http: "packages/http",
  kontent: "packages/adapter-kontent",
  contensis: "packages/adapter-contensis",
  cli: "apps/sync",
} as const;

let work: string;
const tarballs: Record<string, string> = {};

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, npm_config_loglevel: "error" },
  });
}

function project(name: string, dependencies: string[], source: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "es2023",
        module: "nodenext",
        moduleResolution: "nodenext",
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: [],
      },
      include: ["index.ts"],
    }),
  );
  writeFileSync(join(dir, "index.ts"), source);
  npm(
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      ...dependencies.map((dep) => tarballs[dep]!),
    ],
    dir,
  );
  return dir;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "workflow-sync-pack-"));
  const packs = join(work, "packs");
  mkdirSync(packs);
  for (const [name, dir] of Object.entries(packages)) {
    const before = new Set(readdirSync(packs));
    npm(["pack", "--pack-destination", packs, "--ignore-scripts"], join(root, dir));
    const created = readdirSync(packs).find((file) => !before.has(file));
    tarballs[name] = join(packs, created!);
  }
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("packages as a user installs them", () => {
  it("@workflow-sync/core alone: imports, types check, parses and diffs", () => {
    const dir = project(
      "uses-core",
      ["core"],
      `import { diffWorkflows, parseWorkflow, type Workflow } from "@workflow-sync/core";
const input = { key: "w", name: { en: "W" }, initial: "a", states: [
  { key: "a", name: { en: "A" }, kind: "initial" }, { key: "p", name: { en: "P" }, kind: "published" }],
  transitions: [{ key: "go", from: "a", to: "p", name: { en: "Go" } }] };
const parsed = parseWorkflow(input);
if (!parsed.ok) throw new Error("not parsed");
const changed: Workflow = { ...parsed.value, name: { en: "W2" } };
console.log(JSON.stringify(diffWorkflows([parsed.value], [changed]).changes.map((c) => c.kind)));
`,
    );
    execFileSync(tsc, ["-p", "."], { cwd: dir });
    execFileSync(tsc, ["-p", ".", "--noEmit", "false", "--outDir", "out"], { cwd: dir });
    const output = execFileSync(process.execPath, ["out/index.js"], { cwd: dir, encoding: "utf8" });
    expect(JSON.parse(output)).toEqual(["workflow_changed"]);
    const schema = execFileSync(
      process.execPath,
      [
        "-e",
        "import('@workflow-sync/core/workflow.schema.json', { with: { type: 'json' } }).then(m => console.log(m.default.title))",
      ],
      { cwd: dir, encoding: "utf8" },
    );
    expect(schema.trim()).toBe("workflow-sync workflow");
  }, 120_000);

  it("@workflow-sync/adapter-kontent (with its dependencies): imports and types check", () => {
    const dir = project(
      "uses-kontent",
      ["kontent", "core", "http"],
      `import * as kontent from "@workflow-sync/adapter-kontent";
const names: string[] = Object.keys(kontent);
console.log(JSON.stringify(names.length > 0));
`,
    );
    execFileSync(tsc, ["-p", "."], { cwd: dir });
    const output = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        "import * as m from '@workflow-sync/adapter-kontent'; console.log(typeof m.toNeutral)",
      ],
      { cwd: dir, encoding: "utf8" },
    );
    expect(output.trim()).toBe("function");
  }, 120_000);

  it("@workflow-sync/adapter-contensis (with its dependencies): imports and types check", () => {
    const dir = project(
      "uses-contensis",
      ["contensis", "core", "http"],
      `import * as contensis from "@workflow-sync/adapter-contensis";
console.log(Object.keys(contensis).length);
`,
    );
    execFileSync(tsc, ["-p", "."], { cwd: dir });
    const output = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        "import * as m from '@workflow-sync/adapter-contensis'; console.log(typeof m.toNeutral)",
      ],
      { cwd: dir, encoding: "utf8" },
    );
    expect(output.trim()).toBe("function");
  }, 120_000);

  it("@workflow-sync/cli: the workflow-sync bin runs", () => {
    const dir = project("uses-cli", ["cli", "core", "http", "kontent", "contensis"], "export {};\n");
    const output = execFileSync(
      process.execPath,
      [join(dir, "node_modules/@workflow-sync/cli/bin/workflow-sync.js"), "--help"],
      { cwd: dir, encoding: "utf8" },
    );
    expect(output).toContain("Usage: workflow-sync <command>");
    const bin = execFileSync(join(dir, "node_modules/.bin/workflow-sync"), ["validate", "--help"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, PATH: `${join(root, "node_modules/.bin")}:${process.env.PATH}` },
    });
    expect(bin).toContain("Usage: workflow-sync validate");
  }, 120_000);
});
