import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FilesEnvironment } from "../../src/environments/files.ts";
import { WriteGate } from "../../src/write-gate.ts";
import { testCommand } from "../support/test-command.ts";
import { smallWorkflow, tempWorkspace } from "../support/workspace.ts";
import {
  configYaml,
  fileTree,
  type Rewrite,
  SECRET_ENV,
  type Servers,
  startServers,
  vendorEnvironments,
} from "./support.ts";

/*
 * Nothing is written where it should not be: workflow keys, environment names and vendor answers
 * cannot name a file outside the target folder, and workflow-sync never follows a link out of it
 * (nor out of its state folder). Every case keeps a sentinel folder "outside" next to the
 * workspace and checks that it is untouched.
 */

let servers: Servers;
let ws: ReturnType<typeof tempWorkspace>;
let outside: string;
let outsideBefore: string[];

beforeAll(async () => {
  servers = await startServers();
});
afterAll(async () => {
  await servers?.close();
});
beforeEach(() => {
  ws = tempWorkspace({
    "workflow-sync.config.yaml": configYaml(vendorEnvironments(servers)),
    "wf/article.json": smallWorkflow(),
    "wf/news.json": smallWorkflow({ key: "news" }),
  });
  outside = mkdtempSync(join(tmpdir(), "workflow-sync-outside-"));
  writeFileSync(join(outside, "victim.yaml"), "do not touch\n");
  outsideBefore = fileTree(outside, { dirs: true });
});
afterEach(() => {
  try {
    expect(fileTree(outside, { dirs: true }), "something was written outside the target").toEqual(
      outsideBefore,
    );
  } finally {
    servers.kontentProxy.rewrite = undefined;
    servers.contensisProxy.rewrite = undefined;
    ws.cleanup();
    rmSync(outside, { recursive: true, force: true });
  }
});

const run = (...argv: string[]) => testCommand(argv, { cwd: ws.root, env: SECRET_ENV });
const SAFE_FILE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\.yaml$/;

describe("keys cannot name a file outside the target folder", () => {
  const keys = [
    "../x",
    "../../outside/victim",
    "/etc/passwd",
    "a/b",
    "a\\b",
    "..",
    ".hidden",
    "x.yaml",
    "c:x",
    "évil",
    "a b",
    "",
  ];
  for (const key of keys) {
    it(`a workflow key ${JSON.stringify(key)} in a source file is refused before anything is written`, async () => {
      ws.write("bad/w.json", smallWorkflow({ key }));
      mkdirSync(ws.path("target"));
      for (const argv of [
        ["export", "bad", "--out", "target"],
        ["sync", "bad", "target", "--yes"],
      ]) {
        const outcome = await run(...argv);
        expect(outcome.exitCode, outcome.stderr).toBe(1);
        expect(outcome.stderr).toMatch(/bad\/w\.json:\d+:\d+: error key: a key/);
      }
      expect(readdirSync(ws.path("target"))).toEqual([]);
    });
  }

  it("a files environment writes only plain file names inside its folder (second line of defence)", async () => {
    const gate = new WriteGate({
      command: "test",
      kind: "output",
      yes: true,
      confirmEnv: [],
      json: false,
      prompt: undefined,
    });
    const target = new FilesEnvironment({ name: "target", folder: "target", cwd: ws.root, gate });
    gate.approveOutput(target);
    for (const path of [
      "../x.yaml",
      `${outside}/victim.yaml`,
      "/tmp/x.yaml",
      "sub/x.yaml",
      "..\\x.yaml",
      ".x.yaml",
      "x.sh",
      "x.yaml/..",
      "",
    ]) {
      for (const method of ["PUT", "DELETE"] as const) {
        await expect(
          target.execute({ method, path, body: "key: x\n", description: "test" }),
        ).rejects.toMatchObject({
          code: "unsafe_path",
        });
      }
    }
    expect(fileTree(ws.root).filter((line) => line.startsWith("target"))).toEqual([]);
  });

  const evilIds = [
    "../../evil",
    "/tmp/evil",
    "..\\..\\evil",
    "x%2F..%2Fevil",
    "CON",
    "évil",
    ".env",
    "a".repeat(300),
  ];
  it(`Contensis ids that are paths or odd (${evilIds.length}) are exported inside the folder, under safe names`, async () => {
    let next = 0;
    const rewrite: Rewrite = ({ method, path }) =>
      method === "GET" && path.endsWith("/workflow/definitions")
        ? (upstream) => ({
            status: 200,
            body: upstream.body.replace(
              /"id":"(CustomEntryApproval|legalReview)"/g,
              () => `"id":${JSON.stringify(evilIds[next++ % evilIds.length])}`,
            ),
          })
        : undefined;
    for (let round = 0; round < evilIds.length / 2; round++) {
      servers.contensisProxy.rewrite = rewrite;
      const exported = await run("export", "contensis-dev", "--out", `out${round}`);
      servers.contensisProxy.rewrite = undefined;
      if (exported.exitCode === 0) {
        for (const name of readdirSync(ws.path(`out${round}`))) expect(name).toMatch(SAFE_FILE);
      } else {
        expect(exported.stderr).toMatch(/^error: contensis-dev: /m);
      }
    }
    expect(next).toBeGreaterThanOrEqual(evilIds.length);
    expect(fileTree(ws.root).every((line) => !line.includes(".."))).toBe(true);
  });

  it("a Kontent.ai codename that is a path is refused naming the environment; nothing is written", async () => {
    servers.kontentProxy.rewrite = ({ method, path }) =>
      method === "GET" && path.endsWith("/workflows")
        ? (upstream) => ({
            status: 200,
            body: upstream.body.replace('"codename":"my_workflow"', '"codename":"../../outside/victim"'),
          })
        : undefined;
    const before = fileTree(ws.root);
    const exported = await run("export", "kontent-dev", "--out", "out");
    expect(exported.exitCode).toBe(1);
    expect(exported.stderr).toMatch(/kontent-dev: .*"\.\.\/\.\.\/outside\/victim".*key: a key holds letters/);
    expect(fileTree(ws.root)).toEqual(before);
  });
});

describe("links are never followed out of the target folder", () => {
  it("an export folder that is a link to elsewhere is refused", async () => {
    symlinkSync(outside, ws.path("out"));
    const outcome = await run("export", "wf", "--out", "out");
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain("out: a files environment must be a folder");
  });

  it("a sync target folder that is a link to elsewhere is refused", async () => {
    symlinkSync(outside, ws.path("target"));
    const outcome = await run("sync", "wf", "target", "--yes");
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toMatch(
      /a files environment must be a folder|a target is an environment of the config or a folder/,
    );
  });

  for (const [what, link] of [
    ["a link to an existing file outside", () => join(outside, "victim.yaml")],
    ["a dangling link to outside", () => join(outside, "new.yaml")],
    ["a link to the outside folder", () => outside],
  ] as const) {
    it(`${what} inside the target folder: export and sync refuse`, async () => {
      mkdirSync(ws.path("target"));
      symlinkSync(link(), ws.path("target/article.yaml"));
      for (const argv of [
        ["export", "wf", "--out", "target"],
        ["sync", "wf", "target", "--yes"],
      ]) {
        const outcome = await run(...argv);
        expect(outcome.exitCode, outcome.stdout).toBe(1);
        expect(outcome.stderr).toMatch(
          /target\/article\.yaml: a link that leads outside .*target; workflow-sync never follows it/,
        );
      }
    });
  }

  it("a link in a source folder leading outside is refused", async () => {
    symlinkSync(join(outside, "victim.yaml"), ws.path("wf/victim.yaml"));
    const outcome = await run("validate", "wf");
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toMatch(
      /wf\/victim\.yaml: a link that leads outside .*wf; workflow-sync never follows it/,
    );
  });

  it("a link planted at a temporary file's name (pid) neither redirects nor blocks the write", async () => {
    mkdirSync(ws.path("target"));
    symlinkSync(join(outside, "victim.yaml"), ws.path(`target/article.yaml.${process.pid}.tmp`));
    const outcome = await run("export", "wf", "--out", "target");
    expect(outcome.exitCode, outcome.stderr).toBe(0);
    expect(lstatSync(ws.path("target/article.yaml")).isFile()).toBe(true);
  });

  for (const [what, plant] of [
    ["the state folder .workflow-sync", () => symlinkSync(outside, ws.path(".workflow-sync"))],
    [
      "its backups folder",
      () => {
        mkdirSync(ws.path(".workflow-sync"));
        symlinkSync(outside, ws.path(".workflow-sync/backups"));
      },
    ],
    [
      "its journals folder",
      () => {
        mkdirSync(ws.path(".workflow-sync"));
        symlinkSync(outside, ws.path(".workflow-sync/journals"));
      },
    ],
  ] as const) {
    it(`${what} as a link: apply refuses before the first write (no backup, journal or target file)`, async () => {
      plant();
      mkdirSync(ws.path("target"));
      const writes = servers.writes();
      const synced = await run("sync", "wf", "target", "--yes");
      expect(synced.exitCode, synced.stdout).toBe(1);
      expect(synced.stderr).toMatch(/a link; workflow-sync never writes its state through a link/);
      expect(readdirSync(ws.path("target"))).toEqual([]);
      const vendor = await run("sync", "wf", "kontent-dev", "--yes", "--accept-loss");
      expect(vendor.exitCode).toBe(1);
      expect(servers.writes()).toBe(writes);
    });
  }
});

describe("environment names cannot name a file outside the state folder", () => {
  it("a target folder with odd characters gets a safe state-file name", async () => {
    const odd = "we!rd $(folder) name";
    mkdirSync(ws.path(odd));
    const outcome = await run("sync", "wf", odd, "--yes");
    expect(outcome.exitCode, outcome.stderr).toBe(0);
    const state = fileTree(ws.path(".workflow-sync")).map((line) => line.split(" ")[0]!);
    expect(state.length).toBeGreaterThan(0);
    for (const path of state) expect(path).toMatch(/^(backups|journals)\/[A-Za-z0-9][A-Za-z0-9_.-]*\.json$/);
  });

  it("an environment name with a path in it is refused by the config", async () => {
    writeFileSync(
      ws.path("workflow-sync.config.yaml"),
      configYaml({ "../../outside/x": { vendor: "files", path: "target" } }),
    );
    const outcome = await run("sync", "wf", "../../outside/x", "--yes");
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toMatch(/environments\["\.\.\/\.\.\/outside\/x"\]: an environment name holds/);
  });
});
