import { execFile } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { demoSeed, type KontentSeed, type KontentSimulator } from "@workflow-sync/kontent-simulator";
import { type BundledEntry, bundlePackageEntry } from "@workflow-sync/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KontentEnvironment } from "./environment.ts";
import { clientFor, DEV, startSimulator } from "./test-support/sim.ts";

/*
 * The light entry (`@workflow-sync/adapter-kontent/open`, src/open.ts) as the CLI ships it: built by
 * tsc, bundled by rolldown (as scripts/bundle-cli.mjs bundles the CLI from its tsc build), and run
 * in a fresh process. Its first reads must go out before zod is evaluated (what a run pays before
 * its first request, docs/performance.md "Start-up"), and give what `KontentEnvironment` gives.
 */

let bundled: BundledEntry;
beforeAll(async () => {
  bundled = await bundlePackageEntry("packages/adapter-kontent", "open");
}, 120_000);
afterAll(() => bundled?.dispose());

describe("the light entry's bundle", () => {
  /** Modules that build zod schemas, or zod itself: none may load before the first request. */
  const heavy = (module: string) =>
    module.includes("node_modules/zod/") ||
    /^packages\/adapter-kontent\/dist\/(wire|file|environment|errors)\.js$/.test(module) ||
    module.startsWith("packages/adapter-kontent/dist/mapping/") ||
    module.startsWith("packages/core/");

  it("loads neither zod nor the schemas, the mapping or core statically; the implementation dynamically", () => {
    expect(bundled.entry.modules).toContain("packages/adapter-kontent/dist/open.js");
    const loaded = bundled.staticModules();
    expect(loaded).toContain("packages/adapter-kontent/dist/client.js");
    expect(loaded).toContain("packages/http/dist/transport.js");
    expect(loaded.filter(heavy)).toEqual([]);
    const later = bundled.reachableModules();
    expect(later).toContain("packages/adapter-kontent/dist/environment.js");
    expect(later).toContain("packages/adapter-kontent/dist/wire.js");
    expect(later.some((module) => module.includes("node_modules/zod/"))).toBe(true);
  });
});

/** The roles of this environment's key may not be listed (403); its content types come in pages. */
const NO_ROLES = { id: "7c9f0e4e-0000-0000-0000-0000000000d1", apiKey: "no-roles-secret-key" };

function seed(): KontentSeed {
  const base = demoSeed();
  const noRoles = structuredClone(base.environments[DEV.id]!);
  noRoles.apiKeys = [NO_ROLES.apiKey];
  noRoles.keysWithoutRoles = [NO_ROLES.apiKey];
  return { environments: { [DEV.id]: base.environments[DEV.id]!, [NO_ROLES.id]: noRoles } };
}

/**
 * Run in a fresh process on the bundle: each HTTP request records, when it is sent, whether zod was
 * evaluated (zod 4 sets `globalThis.__zod_globalConfig` when its core is). Then three reads: dev,
 * the environment without role listing, and dev with a wrong key (its error).
 */
const child = `
const http = process.getBuiltinModule("node:http");
const request = http.request;
const sent = [];
http.request = function (url, ...rest) {
  sent.push({ path: new URL(url).pathname, zod: globalThis.__zod_globalConfig !== undefined });
  return request.call(this, url, ...rest);
};
const { entry, baseUrl, environments } = JSON.parse(process.env.OPEN_TEST);
const { openKontentEnvironment } = await import(entry);
const open = ({ id, apiKey }) =>
  openKontentEnvironment({ environmentId: id, apiKey, baseUrl, retry: { baseDelayMs: 10, maxDelayMs: 50 } })
    .environment;
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
  let sim: KontentSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: seed(), pageSize: 2 });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it("sends the four reads before zod is evaluated, and reads what KontentEnvironment reads", async () => {
    const wrongKey = { id: DEV.id, apiKey: "not-a-key-of-dev" };
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
            baseUrl: sim.baseUrl,
            environments: [DEV, NO_ROLES, wrongKey],
          }),
        },
      },
    );
    const { sent, results } = JSON.parse(output) as {
      sent: Array<{ path: string; zod: boolean }>;
      results: Array<{ snapshot?: unknown; error?: Record<string, unknown> }>;
    };
    const prefix = `/v2/projects/${DEV.id}`;
    // The four lists went out before zod was evaluated; zod was evaluated later (the probe works).
    expect(
      sent
        .slice(0, 4)
        .map((request) => request.path.slice(prefix.length))
        .sort(),
    ).toEqual(["/collections", "/roles", "/types", "/workflows"]);
    expect(sent.slice(0, 4).map((request) => request.zod)).toEqual([false, false, false, false]);
    expect(sent.at(-1)!.zod).toBe(true);
    // More than one page of content types (continuation tokens followed).
    expect(sent.filter((request) => request.path === `${prefix}/types`).length).toBeGreaterThan(1);

    const direct = async (env: { id: string; apiKey: string }) => {
      try {
        const snapshot = await new KontentEnvironment({ client: clientFor(sim, env) }).read();
        return { snapshot: JSON.parse(JSON.stringify(snapshot)) as unknown };
      } catch (error) {
        const { name, code, status, message } = error as Error & { code: string; status: number };
        return { error: { name, code, status, message } };
      }
    };
    // Which of the four refused reads rejects first is a race: the request it names is left out,
    // and so is the request id the simulator gives each answer.
    const anyList = (result: { error?: Record<string, unknown> }) => {
      if (!result.error) return result;
      const message = String(result.error.message)
        .replace(/GET \/\w+/, "GET /…")
        .replace(/request id \w+/, "request id …");
      return { error: { ...result.error, message } };
    };
    const expected = [await direct(DEV), await direct(NO_ROLES), await direct(wrongKey)];
    expect(results.map(anyList)).toEqual(expected.map(anyList));
    const [dev, noRoles, wrong] = expected as [
      { snapshot: { workflows: unknown[] } },
      { snapshot: { native: { rolesUnavailable?: string } } },
      { error: { code: string; status: number } },
    ];
    expect(dev.snapshot.workflows.length).toBeGreaterThan(1);
    expect(noRoles.snapshot.native.rolesUnavailable).toContain("Manage custom roles");
    expect(wrong.error).toMatchObject({ code: "kontent_api", status: 401 });
  });
});
