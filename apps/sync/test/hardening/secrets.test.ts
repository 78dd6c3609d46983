import { readdirSync } from "node:fs";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";
import { testCommand } from "../support/test-command.ts";
import { smallWorkflow, tempWorkspace } from "../support/workspace.ts";
import {
  allFiles,
  configYaml,
  SECRET_ENV,
  SECRET_VALUES,
  type Servers,
  startServers,
  vendorEnvironments,
} from "./support.ts";

/*
 * Secrets never leak. Every command runs with --verbose (some with --json as well) against both
 * simulators, then against servers that fail and recover (5xx, dropped connections before and
 * after a write, an expired token), then against servers that keep failing (5xx, dropped
 * connections, 401, a closed port). Afterwards stdout, stderr, plan files, backups, journals and
 * exported files are searched for every API key, the client secret, the wrong keys tried, and
 * every OAuth access token that Contensis issued (captured by the proxy in front of it).
 */

const WRONG = { kontent: "wrong-kontent-key-5f2a91", contensis: "wrong-contensis-secret-7c3b" };

let servers: Servers;
let ws: ReturnType<typeof tempWorkspace>;
const outputs: Array<{ argv: string[]; exitCode: number; text: string }> = [];

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  servers = await startServers();
  const environments = vendorEnvironments(servers);
  ws = tempWorkspace({
    "workflow-sync.config.yaml": configYaml({
      ...environments,
      gone: { ...environments["kontent-dev"], baseUrl: `http://127.0.0.1:${await closedPort()}/v2` },
    }),
    "wf/article.json": smallWorkflow({
      states: smallWorkflow().states.map((state) => ({ ...state, roles: [] })),
    }),
    "wf2/news.json": smallWorkflow({
      key: "news",
      states: smallWorkflow().states.map((state) => ({ ...state, roles: [] })),
    }),
  });
});
afterAll(async () => {
  await servers?.close();
  ws?.cleanup();
});

async function run(argv: string[], env: Record<string, string | undefined> = SECRET_ENV) {
  const outcome = await testCommand([...argv, "--verbose"], { cwd: ws.root, env });
  outputs.push({ argv, exitCode: outcome.exitCode, text: outcome.stdout + outcome.stderr });
  return outcome;
}
const backup = (environment: string) => {
  const name = readdirSync(ws.path(".workflow-sync/backups")).find((file) =>
    file.startsWith(`${environment}-`),
  );
  expect(name, `a backup of ${environment}`).toBeDefined();
  return `.workflow-sync/backups/${name}`;
};

describe("secrets appear nowhere", () => {
  it("every command, with --verbose, against both simulators", async () => {
    const ok = async (argv: string[]) => {
      const outcome = await run(argv);
      expect([0, 2], `${argv.join(" ")}: ${outcome.stderr}`).toContain(outcome.exitCode);
    };
    await ok(["validate", "kontent-dev"]);
    await ok(["validate", "contensis-dev", "--json"]);
    await ok(["export", "kontent-dev", "--out", "exported/k"]);
    await ok(["export", "contensis-dev", "--out", "exported/c"]);
    await ok(["convert", "exported/k/editorial_review.yaml", "--to", "contensis"]);
    await ok(["convert", "wf/article.json", "--to", "kontent", "--json"]);
    await ok(["diff", "kontent-dev", "kontent-prod"]);
    await ok(["diff", "contensis-dev", "contensis-prod", "--format", "markdown"]);
    await ok(["diff", "kontent-dev", "contensis-prod", "--json"]);
    await ok(["graph", "kontent-dev"]);
    await ok(["graph", "contensis-dev", "--json"]);
    await ok(["plan", "kontent-dev", "kontent-prod", "--out", "plans/k.json", "--prune"]);
    await ok([
      "plan",
      "contensis-dev",
      "contensis-prod",
      "--out",
      "plans/c.json",
      "--prune",
      "--accept-loss",
    ]);
    await ok(["apply", "plans/k.json", "--yes", "--confirm-env", "kontent-prod"]);
    await ok(["apply", "plans/c.json", "--yes", "--json"]);
    await ok(["sync", "wf", "kontent-dev,contensis-dev", "--yes", "--accept-loss"]);
    await ok([
      "restore",
      backup("kontent-prod"),
      "--to",
      "kontent-prod",
      "--yes",
      "--confirm-env",
      "kontent-prod",
    ]);
    await ok(["restore", backup("contensis-prod"), "--to", "contensis-prod", "--yes", "--json"]);
    // prettier-ignore
    await ok([
      "transition",
      "contensis-prod",
      "--item",
      "7c2a9e10-5b3d-4e8f-a1c2-3d4e5f000003",
      "--language",
      "en-GB",
      "--event",
      "awaitingApproval.decline",
      "--data",
      "message=Needs a source",
      "--yes",
    ]);
    await run([
      "transition",
      "kontent-dev",
      "--item",
      "home",
      "--language",
      "en-US",
      "--event",
      "review",
      "--yes",
    ]);
  });

  it("against servers that fail and recover (5xx, dropped connections before and after a write, an expired token)", async () => {
    servers.kontent.setFaults({
      script: [
        { method: "GET", path: "/workflows$", kind: "5xx", times: 2 },
        { method: "GET", path: "/roles$", kind: "drop-before", times: 1 },
        { method: "POST", path: "/workflows$", kind: "drop-after", times: 1 },
      ],
    });
    servers.contensis.setFaults({
      script: [
        { method: "POST", path: "/connect/token$", kind: "5xx", times: 1 },
        { method: "GET", path: "/workflow/definitions$", kind: "token-expiry", times: 1 },
        { method: "GET", path: "/contenttypes$", kind: "drop-before", times: 1 },
        { method: "POST", path: "/workflow/definitions$", kind: "drop-after", times: 1 },
      ],
    });
    try {
      await run(["sync", "wf2", "kontent-dev", "--yes", "--accept-loss"]);
      await run(["sync", "wf2", "contensis-dev", "--yes", "--accept-loss", "--json"]);
      await run(["diff", "kontent-dev", "contensis-dev"]);
    } finally {
      servers.kontent.setFaults(undefined);
      servers.contensis.setFaults(undefined);
    }
    const faulted = [...servers.kontent.requests(), ...servers.contensis.requests()].filter(
      (entry) => entry.fault,
    );
    expect(faulted.length).toBeGreaterThanOrEqual(5);
  });

  it("against servers that keep failing (5xx, dropped connections, 401, a closed port)", async () => {
    servers.kontent.setFaults({ script: [{ method: "GET", kind: "5xx", times: 1000 }] });
    servers.contensis.setFaults({ script: [{ method: "GET", kind: "drop-before", times: 1000 }] });
    try {
      const failed = await Promise.all([
        run(["diff", "kontent-dev", "wf"]),
        run(["plan", "wf", "contensis-dev", "--out", "plans/never.json", "--json"]),
        run(["validate", "gone"]),
      ]);
      for (const outcome of failed) expect(outcome.exitCode).toBe(1);
    } finally {
      servers.kontent.setFaults(undefined);
      servers.contensis.setFaults(undefined);
    }
    const refused = await Promise.all([
      run(["diff", "wf", "kontent-prod"], { ...SECRET_ENV, KONTENT_PROD_API_KEY: WRONG.kontent }),
      run(["export", "contensis-prod", "--out", "never", "--json"], {
        ...SECRET_ENV,
        CONTENSIS_CLIENT_SECRET: WRONG.contensis,
      }),
    ]);
    expect(refused[0].exitCode).toBe(1);
    expect(refused[0].stderr).toMatch(/kontent-prod: .*401/);
    expect(refused[1].exitCode).toBe(1);
    expect(refused[1].stdout).toMatch(/invalid_client/);
  }, 30_000);

  it("the built CLI as a child process (what a user runs), succeeding and failing", async () => {
    const cli = async (argv: string[], env: Record<string, string> = SECRET_ENV) => {
      const outcome = await runCli([...argv, "--verbose"], { cwd: ws.root, env });
      outputs.push({
        argv: ["(bin)", ...argv],
        exitCode: outcome.exitCode,
        text: outcome.stdout + outcome.stderr,
      });
      return outcome;
    };
    expect((await cli(["validate", "contensis-dev"])).exitCode).toBe(0);
    expect((await cli(["sync", "wf", "contensis-prod", "--yes", "--accept-loss", "--json"])).exitCode).toBe(
      0,
    );
    const refused = await cli(["diff", "wf", "kontent-dev"], {
      ...SECRET_ENV,
      KONTENT_DEV_API_KEY: WRONG.kontent,
    });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/kontent-dev: .*401/);
  });

  it("zero hits: no API key, client secret or access token in output, plans, backups, journals or exports", () => {
    const tokens = [...new Set(servers.contensisProxy.tokens)];
    expect(tokens.length, "access tokens captured").toBeGreaterThanOrEqual(10);
    const secrets = [...SECRET_VALUES, WRONG.kontent, WRONG.contensis, ...tokens];
    const files = allFiles(ws.root);
    // Every kind of file was produced and is searched.
    for (const kind of [
      /^plans\//,
      /^\.workflow-sync\/backups\//,
      /^\.workflow-sync\/journals\//,
      /^exported\/k\//,
      /^exported\/c\//,
    ]) {
      expect(
        files.some((file) => kind.test(file.path)),
        String(kind),
      ).toBe(true);
    }
    expect(outputs.some((output) => output.text.includes("[verbose]"))).toBe(true);
    const hits: string[] = [];
    for (const secret of secrets) {
      for (const output of outputs)
        if (output.text.includes(secret)) hits.push(`output of ${output.argv.join(" ")}`);
      for (const file of files) if (file.text.includes(secret)) hits.push(file.path);
    }
    expect(hits).toEqual([]);
  });
});
