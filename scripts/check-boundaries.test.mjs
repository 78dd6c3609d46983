/*
 * The boundary check on a small monorepo written to a temporary folder: one with a deliberate
 * violation of every rule, one clean. Run by `npm test` (`node --test`) before the check itself.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { checkBoundaries } from "./check-boundaries.mjs";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "check-boundaries.mjs");
const TSCONFIG = JSON.stringify({
  include: ["src"],
  exclude: ["src/**/*.test.ts", "src/test-support"],
});

/** Writes `files` (path → text, or an object written as JSON) under a new temporary folder. */
function repo(files) {
  const root = mkdtempSync(join(tmpdir(), "boundaries-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === "string" ? content : JSON.stringify(content));
  }
  return root;
}

const pkg = (name, dependencies = {}, extra = {}) => ({
  name,
  type: "module",
  exports: { ".": "./src/index.ts" },
  dependencies,
  ...extra,
});

/** A clean monorepo in our layout; `violations` adds or replaces files. */
function layout(violations = {}) {
  return repo({
    "package.json": {
      private: true,
      workspaces: ["packages/*", "apps/*", "tools/*"],
      devDependencies: { vitest: "5.1.1" },
    },
    "vitest.shared.ts": "export const shared = {};\n",
    "packages/core/package.json": pkg("@workflow-sync/core", { zod: "^4" }),
    "packages/core/tsconfig.json": TSCONFIG,
    "packages/core/src/index.ts": [
      'import { createHash } from "node:crypto";',
      'import { z } from "zod";',
      "export const id = (text: string) => createHash('sha256').update(text).digest('hex');",
      "export const Key = z.string();",
      '// a comment may say import x from "node:fs" and [REF]',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text of a fixture
      'export const message = (state: string) => `moves from "${state}" [to the next state]`;',
      "",
    ].join("\n"),
    "packages/core/src/index.test.ts":
      'import { readFileSync } from "node:fs";\nimport { it } from "vitest";\n',
    "packages/core/vitest.config.ts":
      'import { shared } from "../../vitest.shared.ts";\nexport default shared;\n',
    "packages/http/package.json": pkg("@workflow-sync/http", { got: "^16" }),
    "packages/http/tsconfig.json": TSCONFIG,
    "packages/http/src/index.ts": 'import got from "got";\nimport { request } from "node:http";\n',
    "packages/adapter-kontent/package.json": pkg("@workflow-sync/adapter-kontent", {
      "@workflow-sync/core": "0.1.0",
      "@workflow-sync/http": "0.1.0",
    }),
    "packages/adapter-kontent/tsconfig.json": TSCONFIG,
    "packages/adapter-kontent/src/index.ts":
      'import { Key } from "@workflow-sync/core";\nimport { fetch } from "@workflow-sync/http";\nexport * from "./profile.ts";\n',
    "packages/adapter-kontent/src/profile.ts": 'export const source = "https://kontent.ai/learn";\n',
    "packages/adapter-contensis/package.json": pkg("@workflow-sync/adapter-contensis", {
      "@workflow-sync/core": "0.1.0",
    }),
    "packages/adapter-contensis/tsconfig.json": TSCONFIG,
    "packages/adapter-contensis/src/index.ts": 'import { Key } from "@workflow-sync/core";\n',
    "apps/sync/package.json": pkg("@workflow-sync/cli", {
      "@workflow-sync/core": "0.1.0",
      "@workflow-sync/adapter-kontent": "0.1.0",
    }),
    "apps/sync/tsconfig.json": TSCONFIG,
    "apps/sync/src/main.ts":
      'const adapter = await import("@workflow-sync/adapter-kontent");\nimport { Key } from "@workflow-sync/core";\n',
    "tools/kontent-simulator/package.json": pkg("@workflow-sync/kontent-simulator"),
    "tools/kontent-simulator/tsconfig.json": TSCONFIG,
    "tools/kontent-simulator/src/server.ts": 'import { createServer } from "node:http";\n',
    ...violations,
  });
}

const roots = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});
const made = (violations) => {
  const root = layout(violations);
  roots.push(root);
  return root;
};
const run = (root) => spawnSync(process.execPath, [SCRIPT, "--root", root], { encoding: "utf8" });

describe("check-boundaries", () => {
  it("passes a clean layout (comments, templates and test files are not imports)", () => {
    const result = run(made());
    assert.equal(result.stderr, "");
    assert.match(result.stdout, /check-boundaries: 6 packages, \d+ files, no violation/);
    assert.equal(result.status, 0);
  });

  it("fails on each rule, naming the file, the line, the import and the rule", () => {
    const root = made({
      "packages/core/src/io.ts": 'import { readFile } from "node:fs/promises";\nimport got from "got";\n',
      "packages/core/src/vendor.ts": 'export { kontentProfile } from "@workflow-sync/adapter-kontent";\n',
      "packages/http/src/vendor.ts": 'import { Key } from "@workflow-sync/core";\n',
      "packages/adapter-kontent/src/other.ts":
        'import { x } from "@workflow-sync/adapter-contensis";\nimport { run } from "@workflow-sync/cli";\n',
      "packages/adapter-kontent/src/deps.ts": 'import pad from "left-pad";\nimport { it } from "vitest";\n',
      "packages/adapter-kontent/src/reach.ts": 'import { y } from "../../adapter-contensis/src/index.ts";\n',
      "packages/adapter-kontent/src/message.ts":
        // biome-ignore lint/suspicious/noTemplateCurlyInString: source text of a fixture
        'export const m = (k: string) => `${k}: codenames are lowercase ([REF] rules)`;\nexport const n = "see [Q:…/add-a-workflow]";\n',
      "apps/sync/src/deep.ts": 'import { toNeutral } from "@workflow-sync/adapter-kontent/src/mapping.ts";\n',
      "tools/kontent-simulator/src/model.ts": 'import type { Workflow } from "@workflow-sync/core";\n',
      "tools/kontent-simulator/src/model.test.ts": 'import { Key } from "@workflow-sync/core";\n',
      // Built from parts, so that this file does not point outside the repository itself.
      "CONTRIBUTING.md": `Read \`${".."}/shared/vendors/kontent.md\` first.\n`,
      "packages/core/src/model.ts": `/** Sources: ${"/work"}/shared/seeds/x.txt */\nexport const a = 1;\n`,
    });
    const found = checkBoundaries(root).violations.map((v) => `${v.file}:${v.line} ${v.specifier} ${v.rule}`);
    assert.deepEqual(found.sort(), [
      `CONTRIBUTING.md:1 ${".."}/shared/ outside-pointer`,
      "apps/sync/src/deep.ts:1 @workflow-sync/adapter-kontent/src/mapping.ts cli-entry-point",
      "packages/adapter-kontent/src/deps.ts:1 left-pad undeclared-dependency",
      "packages/adapter-kontent/src/deps.ts:2 vitest undeclared-dependency",
      "packages/adapter-kontent/src/message.ts:1 [REF] citation-key",
      "packages/adapter-kontent/src/message.ts:2 [Q:…/add-a-workflow] citation-key",
      "packages/adapter-kontent/src/other.ts:1 @workflow-sync/adapter-contensis adapter-isolation",
      "packages/adapter-kontent/src/other.ts:2 @workflow-sync/cli adapter-isolation",
      "packages/adapter-kontent/src/reach.ts:1 ../../adapter-contensis/src/index.ts package-boundary",
      "packages/core/src/io.ts:1 node:fs/promises core-pure",
      "packages/core/src/io.ts:2 got core-pure",
      `packages/core/src/model.ts:1 ${"/work"}/ outside-pointer`,
      "packages/core/src/vendor.ts:1 @workflow-sync/adapter-kontent core-pure",
      "packages/http/src/vendor.ts:1 @workflow-sync/core http-standalone",
      "tools/kontent-simulator/src/model.test.ts:1 @workflow-sync/core simulator-standalone",
      "tools/kontent-simulator/src/model.ts:1 @workflow-sync/core simulator-standalone",
    ]);

    const result = run(root);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^check-boundaries: 16 violations$/m);
    assert.match(
      result.stderr,
      /^packages\/core\/src\/io\.ts:1: "node:fs\/promises": core-pure: core does no I\/O/m,
    );
    assert.match(
      result.stderr,
      /^packages\/adapter-kontent\/src\/other\.ts:1: "@workflow-sync\/adapter-contensis": adapter-isolation: /m,
    );
    assert.match(
      result.stderr,
      /^apps\/sync\/src\/deep\.ts:1: "@workflow-sync\/adapter-kontent\/src\/mapping\.ts": cli-entry-point: \.\/src\/mapping\.ts is not an entry point/m,
    );
    assert.match(
      result.stderr,
      /^packages\/adapter-kontent\/src\/deps\.ts:2: "vitest": undeclared-dependency: vitest is not declared in packages\/adapter-kontent\/package\.json dependencies$/m,
    );
  });

  it("lets tests use devDependencies and the root's, but not shipped code", () => {
    const root = made({
      "packages/adapter-contensis/package.json": pkg(
        "@workflow-sync/adapter-contensis",
        { "@workflow-sync/core": "0.1.0" },
        { devDependencies: { "contensis-management-api": "2.4.0" } },
      ),
      "packages/adapter-contensis/src/contract.test.ts":
        'import { Client } from "contensis-management-api";\nimport { it } from "vitest";\n',
      "packages/adapter-contensis/src/client.ts": 'import { Client } from "contensis-management-api";\n',
    });
    const found = checkBoundaries(root).violations.map((v) => [v.file, v.rule, v.message]);
    assert.deepEqual(found, [
      [
        "packages/adapter-contensis/src/client.ts",
        "undeclared-dependency",
        "contensis-management-api is only a devDependency of packages/adapter-contensis/package.json, but shipped code imports it",
      ],
    ]);
  });
});
