import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../src/commands/registry.ts";
import { createContext } from "../../src/context.ts";
import { openEnvironment } from "../../src/environments/resolve.ts";
import { WriteGate } from "../../src/write-gate.ts";
import { testCommand } from "../support/test-command.ts";
import { tempWorkspace } from "../support/workspace.ts";
import { configYaml, SECRET_ENV, type Servers, startServers, vendorEnvironments } from "./support.ts";

/*
 * Issue 9, item 6: every command that writes to an environment passes one gate. The test walks the
 * command registry: each command declared as writing has a scenario below that would write to a
 * protected environment (proven by running it confirmed, last), and is refused without
 * --confirm-env (exit 4), with --json and no --yes (exit 4, one JSON envelope) and at a prompt
 * answered "no" (exit 3), with zero writes in both simulators' request logs (read over HTTP from
 * their admin endpoints). A command that is not declared as writing cannot be approved at all, and
 * an environment refuses a write that the gate did not approve.
 */

let servers: Servers;
let ws: ReturnType<typeof tempWorkspace>;

const environments = () => {
  const base = vendorEnvironments(servers);
  return { ...base, "contensis-prod": { ...base["contensis-prod"], protected: true } };
};

beforeAll(async () => {
  servers = await startServers();
  ws = tempWorkspace({ "workflow-sync.config.yaml": configYaml(environments()) });
});
afterAll(async () => {
  await servers?.close();
  ws?.cleanup();
});

const run = (argv: string[], answers?: string[]) =>
  testCommand(argv, { cwd: ws.root, env: SECRET_ENV, ...(answers ? { answers } : {}) });

async function admin(url: string, method: string, path: string): Promise<unknown> {
  const response = await fetch(`${url}/__admin/${path}`, { method });
  expect(response.ok, `${method} ${url}/__admin/${path}`).toBe(true);
  return response.status === 204 ? undefined : response.json();
}

/** Write requests in both simulators' logs, read from their admin endpoints. */
async function loggedWrites(): Promise<Array<{ method: string; path: string }>> {
  const logs = await Promise.all(
    [servers.kontent.url, servers.contensis.url].map(
      (url) =>
        admin(url, "GET", "requests") as Promise<Array<{ method: string; path: string; write: boolean }>>,
    ),
  );
  return logs.flat().filter((entry) => entry.write);
}

const clearLogs = () =>
  Promise.all([servers.kontent.url, servers.contensis.url].map((url) => admin(url, "DELETE", "requests")));
const resetSimulators = () =>
  Promise.all([servers.kontent.url, servers.contensis.url].map((url) => admin(url, "POST", "reset")));

interface Scenario {
  /** The protected environment it writes to. */
  environment: string;
  /** Prepare the simulators and the workspace; returns the command line (without --yes / --confirm-env). */
  prepare(): Promise<string[]>;
}

/** One scenario per command declared as writing; a new writing command fails the walk until it has one. */
const scenarios: Record<string, Scenario[]> = {
  apply: [
    {
      environment: "kontent-prod",
      async prepare() {
        const plan = await run(["plan", "kontent-dev", "kontent-prod", "--out", "plans/k.json"]);
        expect(plan.exitCode, plan.stderr).toBe(0);
        return ["apply", "plans/k.json"];
      },
    },
  ],
  sync: [
    { environment: "kontent-prod", prepare: async () => ["sync", "kontent-dev", "kontent-prod"] },
    {
      environment: "contensis-prod",
      prepare: async () => ["sync", "contensis-dev", "contensis-prod", "--accept-loss"],
    },
  ],
  restore: [
    {
      environment: "kontent-prod",
      async prepare() {
        // A backup of kontent-prod as it was, then a change: restoring it writes.
        const sync = await run([
          "sync",
          "kontent-dev",
          "kontent-prod",
          "--yes",
          "--confirm-env",
          "kontent-prod",
        ]);
        expect(sync.exitCode, sync.stderr).toBe(0);
        const backup = readdirSync(ws.path(".workflow-sync/backups"))
          .filter((name) => name.startsWith("kontent-prod-"))
          .sort()
          .pop()!;
        return ["restore", `.workflow-sync/backups/${backup}`, "--to", "kontent-prod"];
      },
    },
  ],
  transition: [
    {
      environment: "contensis-prod",
      prepare: async () => [
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
      ],
    },
    {
      environment: "kontent-prod",
      prepare: async () => [
        "transition",
        "kontent-prod",
        "--item",
        "home",
        "--language",
        "en-US",
        "--event",
        "unpublish", // Home is published in the seed: this takes live content down
      ],
    },
  ],
};

const writing = commands.filter((command) => command.writes === "environments");

describe("the registry declares which commands write", () => {
  it("each writing command takes --yes and --confirm-env and has a scenario here", () => {
    expect(writing.map((command) => command.name).sort()).toEqual(
      expect.arrayContaining(["apply", "restore", "sync", "transition"]),
    );
    expect(writing.map((command) => command.name)).toEqual(expect.arrayContaining(Object.keys(scenarios)));
    for (const command of writing) {
      expect(Object.keys(command.flags), command.name).toEqual(
        expect.arrayContaining(["yes", "confirm-env"]),
      );
      expect(scenarios[command.name]?.length ?? 0, `a gate scenario for ${command.name}`).toBeGreaterThan(0);
    }
  });

  it("a command not declared as writing to environments cannot pass the gate", async () => {
    for (const command of commands.filter((entry) => entry.writes !== "environments")) {
      const gate = new WriteGate({
        command: command.name,
        kind: command.writes,
        yes: true,
        confirmEnv: ["x"],
        json: false,
        prompt: undefined,
      });
      const environment = { name: "x", protected: false };
      await expect(gate.approve([{ environment, writes: 1 }], "write"), command.name).rejects.toMatchObject({
        code: "write_not_declared",
      });
      expect(() => gate.assertApproved(environment)).toThrow(/without passing the write gate/);
    }
  });

  it("an environment refuses a write the gate did not approve (no request is sent)", async () => {
    await clearLogs();
    for (const name of ["kontent-dev", "contensis-dev"]) {
      const ctx = createContext(
        { stdout: { write: () => true }, stderr: { write: () => true }, env: SECRET_ENV, cwd: ws.root },
        {
          command: "apply",
          json: true,
          verbose: false,
          color: false,
          configPath: undefined,
          gate: new WriteGate({
            command: "apply",
            kind: "environments",
            yes: true,
            confirmEnv: [],
            json: true,
            prompt: undefined,
          }),
        },
      );
      const environment = await openEnvironment(ctx, name);
      await expect(
        environment.execute({ method: "DELETE", path: "workflows/x", description: "delete x" }),
      ).rejects.toMatchObject({ code: "write_not_approved" });
    }
    expect(await loggedWrites()).toEqual([]);
  });
});

// Every scenario runs, whether or not its command is (still) declared as writing: a command that
// lost its declaration fails here too, not only in the walk above.
const names = [...new Set([...writing.map((command) => command.name), ...Object.keys(scenarios)])];
describe.each(names.flatMap((name) => (scenarios[name] ?? []).map((scenario) => ({ name, scenario }))))(
  "$name to a protected environment",
  ({ name, scenario }) => {
    let argv: string[];
    beforeAll(async () => {
      await resetSimulators();
      argv = await scenario.prepare();
      expect(argv[0]).toBe(name);
    });

    it("without --confirm-env: exit 4, nothing written (also with --yes, also with --json)", async () => {
      for (const extra of [[], ["--yes"], ["--yes", "--json"], ["--confirm-env", "kontent-dev", "--yes"]]) {
        await clearLogs();
        const outcome = await run([...argv, ...extra]);
        expect(outcome.exitCode, `${extra.join(" ")}: ${outcome.stderr}`).toBe(4);
        if (extra.includes("--json")) {
          expect(outcome.json()).toMatchObject({
            ok: false,
            command: name,
            exitCode: 4,
            error: { code: "protected_environment" },
          });
        } else {
          expect(outcome.stderr).toContain(
            `${scenario.environment} is protected: confirm with --confirm-env ${scenario.environment}`,
          );
        }
        expect(await loggedWrites()).toEqual([]);
      }
    });

    it("with --json and without --yes: refused (exit 4) in one JSON envelope, nothing written", async () => {
      await clearLogs();
      const outcome = await run([...argv, "--confirm-env", scenario.environment, "--json"], ["yes"]);
      expect(outcome.exitCode, outcome.stdout).toBe(4);
      expect(outcome.json()).toMatchObject({
        ok: false,
        command: name,
        exitCode: 4,
        error: { code: "confirmation_required" },
      });
      expect(
        outcome.stdout
          .trim()
          .split("\n")
          .filter((line) => line === "{").length,
      ).toBe(1);
      expect(await loggedWrites()).toEqual([]);
    });

    it("without --yes: asks; no terminal refuses (exit 4), any answer but yes aborts (exit 3), nothing written", async () => {
      await clearLogs();
      const unattended = await run([...argv, "--confirm-env", scenario.environment]);
      expect(unattended.exitCode, unattended.stderr).toBe(4);
      expect(unattended.stderr).toContain("no terminal to ask for confirmation: add --yes");
      const declined = await run([...argv, "--confirm-env", scenario.environment], ["no"]);
      expect(declined.exitCode, declined.stderr).toBe(3);
      expect(declined.stderr).toContain("aborted at the prompt; nothing was written");
      expect(await loggedWrites()).toEqual([]);
    });

    it("confirmed (--confirm-env and --yes): it writes (so the refusals above held back real writes)", async () => {
      await clearLogs();
      const outcome = await run([...argv, "--confirm-env", scenario.environment, "--yes"]);
      expect(outcome.exitCode, outcome.stderr).toBe(0);
      expect((await loggedWrites()).length).toBeGreaterThan(0);
    });
  },
);

describe("a protected files environment is protected however its folder is named", () => {
  let files: ReturnType<typeof tempWorkspace>;
  afterAll(() => files?.cleanup());
  const inFiles = (...argv: string[]) => testCommand(argv, { cwd: files.root });

  it("sync to its folder as a bare path, and export into it, are refused (exit 4); nothing written", async () => {
    files = tempWorkspace({
      "workflow-sync.config.yaml":
        "environments:\n  prod: { vendor: files, path: ./prod, protected: true }\n",
      "dev/article.json": JSON.stringify({
        key: "article",
        name: { "en-GB": "Article" },
        initial: "draft",
        states: [
          { key: "draft", name: { "en-GB": "Draft" }, kind: "initial" },
          { key: "published", name: { "en-GB": "Published" }, kind: "published" },
        ],
        transitions: [{ key: "publish", from: "draft", to: "published", name: { "en-GB": "Publish" } }],
      }),
      "prod/.keep": "",
    });
    for (const spelled of ["./prod", "prod/", files.path("prod")]) {
      const sync = await inFiles("sync", "dev", spelled, "--yes");
      expect(sync.exitCode, `${spelled}: ${sync.stderr}`).toBe(4);
      expect(sync.stderr).toContain("prod is protected: confirm with --confirm-env prod");
      const exported = await inFiles("export", "dev", "--out", spelled);
      expect(exported.exitCode, exported.stderr).toBe(4);
      expect(exported.stderr).toContain("the folder of prod, a protected environment");
    }
    expect(readdirSync(files.path("prod"))).toEqual([".keep"]);
    const confirmed = await inFiles("sync", "dev", "./prod", "--yes", "--confirm-env", "prod");
    expect(confirmed.exitCode, confirmed.stderr).toBe(0);
    expect(readdirSync(files.path("prod")).sort()).toEqual([".keep", "article.yaml"]);
  });
});
