import { execFile } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { type BundledEntry, bundlePackageEntry } from "@workflow-sync/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContensisEnvironment } from "./environment.ts";
import {
  ADMIN,
  type ContensisSimulator,
  clientFor,
  DEV,
  startContensisSimulator,
} from "./test-support/sim.ts";

/*
 * The light entry (`@workflow-sync/adapter-contensis/open`, src/open.ts) as the CLI ships it: built
 * by tsc, bundled by rolldown (as scripts/bundle-cli.mjs bundles the CLI from its tsc build), and
 * run in a fresh process. Its token request and first reads must go out before zod is evaluated
 * (what a run pays before its first request, docs/performance.md "Start-up"), and give what
 * `ContensisEnvironment` gives.
 */

let bundled: BundledEntry;
beforeAll(async () => {
  bundled = await bundlePackageEntry("packages/adapter-contensis", "open");
}, 120_000);
afterAll(() => bundled?.dispose());

describe("the light entry's bundle", () => {
  /** Modules that build zod schemas, or zod itself: none may load before the first request. */
  const heavy = (module: string) =>
    module.includes("node_modules/zod/") ||
    /^packages\/adapter-contensis\/dist\/(wire|file|environment|errors|rules|plan-writes|write|grants|content|content-types)\.js$/.test(
      module,
    ) ||
    module.startsWith("packages/adapter-contensis/dist/mapping/") ||
    module.startsWith("packages/core/");

  it("loads neither zod nor the schemas, the mapping or core statically; the implementation dynamically", () => {
    expect(bundled.entry.modules).toContain("packages/adapter-contensis/dist/open.js");
    const loaded = bundled.staticModules();
    expect(loaded).toContain("packages/adapter-contensis/dist/client.js");
    expect(loaded).toContain("packages/adapter-contensis/dist/read.js");
    expect(loaded).toContain("packages/http/dist/transport.js");
    expect(loaded.filter(heavy)).toEqual([]);
    const later = bundled.reachableModules();
    expect(later).toContain("packages/adapter-contensis/dist/environment.js");
    expect(later).toContain("packages/adapter-contensis/dist/wire.js");
    expect(later).toContain("packages/adapter-contensis/dist/mapping/to-neutral.js");
    expect(later.some((module) => module.includes("node_modules/zod/"))).toBe(true);
  });
});

/**
 * Run in a fresh process on the bundle: each HTTP request records, when it is sent, whether zod was
 * evaluated (zod 4 sets `globalThis.__zod_globalConfig` when its core is). Then one read per
 * environment given, one after the other: what it read, or its error.
 */
const child = `
const http = process.getBuiltinModule("node:http");
const request = http.request;
const sent = [];
http.request = function (url, ...rest) {
  sent.push({ method: rest[0]?.method ?? "GET", path: new URL(url).pathname, zod: globalThis.__zod_globalConfig !== undefined });
  return request.call(this, url, ...rest);
};
const { entry, rootUrl, environments } = JSON.parse(process.env.OPEN_TEST);
const { openContensisEnvironment } = await import(entry);
const open = ({ projectId, clientId, clientSecret }) =>
  openContensisEnvironment({
    rootUrl,
    projectId,
    clientId,
    clientSecret,
    pageSize: 2,
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
  }).environment;
const results = [];
for (const env of environments) {
  try {
    results.push({ snapshot: await open(env).read() });
  } catch (error) {
    results.push({ error: { name: error.name, code: error.code, status: error.status, message: error.message } });
  }
}
console.log(JSON.stringify({ sent, results }));
`;

describe("the light entry in a fresh process, against the simulator", () => {
  let sim: ContensisSimulator;
  beforeAll(async () => {
    sim = await startContensisSimulator();
  });
  afterAll(async () => {
    await sim?.close();
  });

  it("sends the token request and the four reads before zod is evaluated, and reads what ContensisEnvironment reads", async () => {
    const dev = { projectId: DEV, ...ADMIN };
    const wrongSecret = { projectId: DEV, clientId: ADMIN.clientId, clientSecret: "not-the-secret-of-admin" };
    const unknownProject = { projectId: "no-such-project", ...ADMIN };
    const environments = [dev, wrongSecret, unknownProject];
    // Asynchronously: the simulator answers from this process.
    const { stdout: output } = await promisify(execFile)(
      process.execPath,
      ["--input-type=module", "-e", child],
      {
        encoding: "utf8",
        env: {
          ...process.env,
          OPEN_TEST: JSON.stringify({
            entry: pathToFileURL(join(bundled.dir, "open.js")).href,
            rootUrl: sim.url,
            environments,
          }),
        },
      },
    );
    const { sent, results } = JSON.parse(output) as {
      sent: Array<{ method: string; path: string; zod: boolean }>;
      results: Array<{ snapshot?: unknown; error?: Record<string, unknown> }>;
    };
    const prefix = `/api/management/projects/${DEV}`;
    // The token first, then the four reads: all before zod was evaluated; zod later (the probe works).
    expect(sent[0]).toEqual({ method: "POST", path: "/authenticate/connect/token", zod: false });
    expect(
      sent
        .slice(1, 5)
        .map((request) => request.path.slice(prefix.length))
        .sort(),
    ).toEqual(["/contenttypes", "/security/roles", "/workflow/definitions", "/workflow/definitions"]);
    expect(sent.slice(1, 5).map((request) => request.zod)).toEqual([false, false, false, false]);
    expect(sent.at(-1)!.zod).toBe(true);
    // More than one page of definitions (the pages after the first, read with the schemas loaded).
    expect(
      sent.filter((request) => request.path === `${prefix}/workflow/definitions`).length,
    ).toBeGreaterThan(2);

    const direct = async (env: (typeof environments)[number]) => {
      try {
        const client = clientFor(sim, env.projectId, { ...env, pageSize: 2 });
        const snapshot = await new ContensisEnvironment({ client }).read();
        return { snapshot: JSON.parse(JSON.stringify(snapshot)) as unknown };
      } catch (error) {
        const { name, code, status, message } = error as Error & { code: string; status: number };
        return { error: { name, code, status, message } };
      }
    };
    // Which of the four refused reads rejects first is a race: the request it names is left out,
    // and so is the log id the simulator gives each answer.
    const anyRead = (result: { error?: Record<string, unknown> }) => {
      if (!result.error) return result;
      const message = String(result.error.message)
        .replace(/GET \/api\/management\/projects\/[^:]+:/, "GET …:")
        .replace(/logId [0-9a-f-]+/, "logId …");
      return { error: { ...result.error, message } };
    };
    const expected = await Promise.all(environments.map(direct));
    expect(results.map(anyRead)).toEqual(expected.map(anyRead));
    const [read, refused, unknown] = expected as [
      { snapshot: { workflows: unknown[] } },
      { error: { code: string; status: number } },
      { error: { code: string; status: number } },
    ];
    expect(read.snapshot.workflows.length).toBeGreaterThan(1);
    expect(refused.error).toMatchObject({ code: "contensis_auth_failed", status: 400 });
    expect(unknown.error).toMatchObject({ code: "contensis_api_error", status: 404 });
  });
});
