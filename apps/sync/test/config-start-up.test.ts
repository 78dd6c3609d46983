import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/*
 * What loading the config costs at start-up (docs/performance.md, "Start-up"): a valid config is
 * read and checked without evaluating zod (config-check.ts); only a config with mistakes loads the
 * schemas, and its error is the one the schemas always gave. Each case runs in a fresh Node process
 * on the tsc build (built here; up to date, the build is a no-op), since a vitest worker may hold zod
 * already. zod 4 sets `globalThis.__zod_globalConfig` when its core is evaluated. In the unbundled
 * build any runtime import of @workflow-sync/core loads core's index and with it zod, so this also
 * proves that nothing on the way imports core.
 */

const root = new URL("../../../", import.meta.url).pathname;
const dist = join(root, "apps/sync/dist");
let work: string;

/** Runs `body` (an ES module's top level, `dist` bound to the build's URL) in a fresh process. */
function fresh(body: string): { zod: boolean; result: unknown } {
  const script = `const dist = ${JSON.stringify(pathToFileURL(dist).href)};
let result;
try { result = await (async () => { ${body} })(); }
catch (error) { result = { code: error.code, message: error.message, details: error.details }; }
console.log(JSON.stringify({ zod: globalThis.__zod_globalConfig !== undefined, result }));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: work,
    encoding: "utf8",
  });
  return JSON.parse(out) as { zod: boolean; result: unknown };
}

function project(name: string, config: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, ".git"), { recursive: true });
  writeFileSync(join(dir, "workflow-sync.config.yaml"), config);
  return dir;
}

const VALID = `# environments of every kind, with optional fields
$schema: ./config.schema.json
environments:
  kontent-dev:
    vendor: kontent
    environmentId: 00000000-0000-0000-0000-000000000000
    apiKey: { env: KONTENT_DEV_API_KEY }
    baseUrl: " https://manage.kontent.ai/v2 "
    rateLimit: { perMinute: 400, perSecond: 10, windows: [{ requests: 2000, seconds: 10 }] }
    concurrency: { writes: 4 }
    protected: true
  contensis-prod:
    timeoutMs: 20000
    vendor: contensis
    rootUrl: https://cms-example.cloud.contensis.com
    projectId: website
    clientId: { env: CONTENSIS_CLIENT_ID }
    clientSecret: { env: CONTENSIS_CLIENT_SECRET }
  folder:
    vendor: files
    path: ./workflows
    description: the workflows in the repository
`;

const INVALID = `environments:
  dev:
    vendor: kontent
    environmentId: ""
    apiKey: sk_live_not_a_reference
    rateLimit: { perSecond: 0 }
    surprise: 1
  -bad:
    vendor: files
    path: w
  prod:
    vendor: contensis
    rootUrl: not a url
    projectId: web
    clientId: { env: 1A }
    clientSecret: { env: B }
    roleGrants: sometimes
`;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "workflow-sync-config-start-up-"));
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b", "apps/sync"], {
    cwd: root,
    stdio: "pipe",
  });
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("loading the config at start-up", () => {
  it("loads a valid config without evaluating zod (nor importing core)", () => {
    const dir = project("valid", VALID);
    const { zod, result } = fresh(`
      const { loadConfig } = await import(dist + "/config.js");
      return (await loadConfig(${JSON.stringify(dir)}, undefined)).config;`);
    expect(result).toEqual({
      $schema: "./config.schema.json",
      environments: {
        "kontent-dev": {
          vendor: "kontent",
          environmentId: "00000000-0000-0000-0000-000000000000",
          apiKey: { env: "KONTENT_DEV_API_KEY" },
          baseUrl: "https://manage.kontent.ai/v2",
          rateLimit: { perSecond: 10, perMinute: 400, windows: [{ requests: 2000, seconds: 10 }] },
          concurrency: { writes: 4 },
          protected: true,
        },
        "contensis-prod": {
          vendor: "contensis",
          rootUrl: "https://cms-example.cloud.contensis.com",
          projectId: "website",
          clientId: { env: "CONTENSIS_CLIENT_ID" },
          clientSecret: { env: "CONTENSIS_CLIENT_SECRET" },
          roleGrants: "write",
          protected: false,
          timeoutMs: 20000,
        },
        folder: {
          vendor: "files",
          path: "./workflows",
          protected: false,
          description: "the workflows in the repository",
        },
      },
    });
    expect(zod).toBe(false);
  });

  it("reads a valid YAML document without evaluating zod", () => {
    const file = join(work, "workflow.yaml");
    writeFileSync(file, "key: review\nstates:\n  - key: draft\n");
    const { zod, result } = fresh(`
      const { readDocument, issueLines } = await import(dist + "/sources/documents.js");
      const document = await readDocument(${JSON.stringify(file)}, "workflow.yaml");
      return { value: document.value, at: document.locate(["states", 0, "key"]),
        lines: issueLines("workflow.yaml", [{ path: ["states", 0, "key"], message: "m" }], document) };`);
    expect(result).toEqual({
      value: { key: "review", states: [{ key: "draft" }] },
      at: { line: 3, column: 10 },
      lines: ["  workflow.yaml:3:10: states[0].key: m"],
    });
    expect(zod).toBe(false);
  });

  it("refuses a config with mistakes with the schemas' own error, loading zod for it", () => {
    const dir = project("invalid", INVALID);
    const { zod, result } = fresh(`
      const { loadConfig } = await import(dist + "/config.js");
      await loadConfig(${JSON.stringify(dir)}, undefined);
      return "loaded";`);
    const error = result as { code: string; message: string; details: { issues: unknown[] } };
    expect(error.code).toBe("invalid_config");
    // the text the schemas gave before the fast path existed, line for line
    expect(error.message).toBe(
      [
        "workflow-sync.config.yaml: the config is not valid:",
        "  workflow-sync.config.yaml:4:20: environments.dev.environmentId: Too small: expected string to have >=1 characters",
        "  workflow-sync.config.yaml:5:13: environments.dev.apiKey: secrets come from environment variables: write { env: VARIABLE_NAME }, never the secret itself",
        "  workflow-sync.config.yaml:6:29: environments.dev.rateLimit.perSecond: Too small: expected number to be >0",
        '  workflow-sync.config.yaml:7:15: environments.dev.surprise: unknown field "surprise"',
        '  workflow-sync.config.yaml:9:5: environments["-bad"]: an environment name holds letters, digits, _ . - and starts with a letter or digit (at most 64)',
        "  workflow-sync.config.yaml:13:14: environments.prod.rootUrl: Invalid URL",
        "  workflow-sync.config.yaml:15:22: environments.prod.clientId.env: the name of an environment variable (write { env: VARIABLE_NAME })",
        '  workflow-sync.config.yaml:17:17: environments.prod.roleGrants: Invalid option: expected one of "write"|"report"',
      ].join("\n"),
    );
    expect(error.details.issues).toContainEqual({
      code: "invalid_value",
      path: ["environments", "dev", "apiKey"],
      message:
        "secrets come from environment variables: write { env: VARIABLE_NAME }, never the secret itself",
      severity: "error",
      file: "workflow-sync.config.yaml",
      line: 5,
      column: 13,
    });
    expect(error.message).not.toContain("sk_live_not_a_reference");
    expect(zod).toBe(true);
  });
});
