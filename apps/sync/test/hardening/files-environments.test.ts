import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { planChecksum } from "../../src/sync/plan-format.ts";
import { testCommand } from "../support/test-command.ts";
import { smallWorkflow, tempWorkspace } from "../support/workspace.ts";
import {
  configYaml,
  fileTree,
  KONTENT_PROD,
  SECRET_ENV,
  type Servers,
  startServers,
  vendorEnvironments,
} from "./support.ts";

/*
 * Issue 9, items 1, 8 and 9: where a files environment lives comes from the config (an absolute
 * path is absolute, a relative one is relative to the config file), a folder that does not exist
 * is an error and never an empty environment, an empty source with --prune is refused, a plan
 * cannot carry a write outside the configured folder, and a file is replaced only when it holds
 * the workflow being written.
 */

let servers: Servers;
let ws: ReturnType<typeof tempWorkspace>;
let outside: string;

beforeAll(async () => {
  servers = await startServers();
});
afterAll(async () => {
  await servers?.close();
});
beforeEach(() => {
  outside = mkdtempSync(join(tmpdir(), "workflow-sync-outside-"));
});
afterEach(() => {
  ws?.cleanup();
  rmSync(outside, { recursive: true, force: true });
});

const run = (...argv: string[]) => testCommand(argv, { cwd: ws.root, env: SECRET_ENV });

async function kontentWrites(): Promise<Array<{ method: string; path: string; environmentId?: string }>> {
  const response = await fetch(`${servers.kontent.url}/__admin/requests`);
  const log = (await response.json()) as Array<{ method: string; path: string; write: boolean }>;
  return log.filter((entry) => entry.write);
}
const reset = async () => {
  for (const url of [servers.kontent.url, servers.contensis.url]) {
    await fetch(`${url}/__admin/reset`, { method: "POST" });
    await fetch(`${url}/__admin/requests`, { method: "DELETE" });
  }
};
const prodWorkflows = () =>
  servers.kontent
    .state(KONTENT_PROD)
    .workflows.map((workflow) => workflow.codename)
    .sort();

/** A config in `config/` (not the working folder) with `repo` at `path` and kontent-prod unprotected. */
function workspaceWith(path: string, files: Record<string, string | object> = {}) {
  const vendors = vendorEnvironments(servers);
  ws = tempWorkspace({
    "config/workflow-sync.config.yaml": configYaml({
      "kontent-dev": vendors["kontent-dev"],
      "kontent-prod": { ...vendors["kontent-prod"], protected: false },
      repo: { vendor: "files", path },
    }),
    ...files,
  });
}
const withConfig = (...argv: string[]) => run("--config", "config/workflow-sync.config.yaml", ...argv);

describe("item 1: a files environment's folder", () => {
  beforeEach(reset);

  it("an absolute path is used as it is (not joined onto the config folder)", async () => {
    writeFileSync(join(outside, "article.json"), JSON.stringify(smallWorkflow()));
    workspaceWith(outside);
    const outcome = await withConfig("validate", "repo", "--json");
    expect(outcome.exitCode, outcome.stdout).toBe(0);
    expect(JSON.stringify(outcome.json())).toContain("article");
  });

  it("a relative path is relative to the config file, not to the working folder", async () => {
    workspaceWith("../wf", { "wf/article.json": smallWorkflow() });
    const outcome = await withConfig("validate", "repo", "--json");
    expect(outcome.exitCode, outcome.stdout).toBe(0);
    expect(JSON.stringify(outcome.json())).toContain("article");
  });

  it("sync repo kontent-prod --yes --prune with a missing folder: exit 1 naming the resolved path, nothing written", async () => {
    const missing = join(outside, "no-such-folder");
    workspaceWith(missing);
    const before = prodWorkflows();
    const outcome = await withConfig("sync", "repo", "kontent-prod", "--yes", "--prune");
    expect(outcome.exitCode, outcome.stderr).toBe(1);
    expect(outcome.stderr).toContain(`the folder ${missing} does not exist`);
    expect(await kontentWrites()).toEqual([]);
    expect(prodWorkflows()).toEqual(before);
    // A mistyped relative path: the same, naming where it was looked for.
    workspaceWith("./workflowz");
    const typo = await withConfig("sync", "repo", "kontent-prod", "--yes", "--prune");
    expect(typo.exitCode).toBe(1);
    expect(typo.stderr).toContain(`the folder ${resolve(ws.root, "config/workflowz")} does not exist`);
    expect(await kontentWrites()).toEqual([]);
  });

  it("an absolute stateDir is used as it is too (backups, journals and locks land there)", async () => {
    const state = join(outside, "state");
    ws = tempWorkspace({
      "config/workflow-sync.config.yaml": configYaml(
        { repo: { vendor: "files", path: "../prod" } },
        { stateDir: state },
      ),
      "dev/article.json": smallWorkflow(),
      "prod/.keep": "",
    });
    const outcome = await withConfig("sync", "dev", "repo", "--yes");
    expect(outcome.exitCode, outcome.stderr).toBe(0);
    expect(readdirSync(join(state, "backups"))).toHaveLength(1);
    expect(existsSync(ws.path("config/.workflow-sync"))).toBe(false);
  });

  it("a missing folder as a target is an error too (never an empty environment)", async () => {
    workspaceWith("./nowhere");
    const outcome = await withConfig("plan", "kontent-dev", "repo", "--out", "plan.json", "--json");
    expect(outcome.exitCode).toBe(1);
    expect(outcome.json()).toMatchObject({ ok: false, error: { code: "folder_not_found" } });
    expect(existsSync(ws.path("plan.json"))).toBe(false);
  });

  it("a bare path that does not exist as a source names the resolved path", async () => {
    workspaceWith("./wf");
    const outcome = await withConfig("sync", "./missing/wf", "kontent-prod", "--yes", "--prune");
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain(resolve(ws.root, "missing/wf"));
    expect(await kontentWrites()).toEqual([]);
  });

  it("an empty source with --prune is refused (exit 4, plan and sync) unless --allow-empty-source", async () => {
    workspaceWith("./empty", { "config/empty/README.md": "no workflows here\n" });
    const before = prodWorkflows();
    const sync = await withConfig("sync", "repo", "kontent-prod", "--yes", "--prune");
    expect(sync.exitCode, sync.stderr).toBe(4);
    expect(sync.stderr).toContain(
      "holds no workflow: with --prune this would delete every workflow of kontent-prod",
    );
    const plan = await withConfig("plan", "repo", "kontent-prod", "--prune", "--out", "plan.json", "--json");
    expect(plan.exitCode).toBe(4);
    expect(plan.json()).toMatchObject({ ok: false, error: { code: "empty_source" } });
    expect(existsSync(ws.path("plan.json"))).toBe(false);
    // A bare empty folder as the source: the same.
    const bare = await withConfig("sync", "config/empty", "kontent-prod", "--yes", "--prune");
    expect(bare.exitCode).toBe(4);
    expect(await kontentWrites()).toEqual([]);
    expect(prodWorkflows()).toEqual(before);
    // Without --prune an empty source deletes nothing: no refusal.
    const noPrune = await withConfig("sync", "repo", "kontent-prod", "--yes");
    expect(noPrune.exitCode, noPrune.stderr).toBe(0);
    // Said explicitly, it proceeds (and deletes what it may).
    const allowed = await withConfig(
      "sync",
      "repo",
      "kontent-prod",
      "--yes",
      "--prune",
      "--allow-empty-source",
    );
    expect(allowed.stderr).not.toContain("holds no workflow");
    // Said explicitly, it proceeds: the deletes are planned and the target backed up before writing
    // (the seed's workflows that content is in are then refused by the in-use check, which is not this test's).
    expect(allowed.stdout).toMatch(/Plan: 0 to create, 0 to update, 3 to delete/);
    expect(allowed.stderr).toMatch(/kontent-prod: backup written to /);
  });
});

describe("item 8: a plan cannot carry a write outside the configured folder", () => {
  /** Rewrite a plan as an attacker would: change it, then recompute its checksum. */
  function forge(
    file: string,
    edit: (plan: Record<string, unknown> & { targets: Array<Record<string, unknown>> }) => void,
  ) {
    const plan = JSON.parse(readFileSync(ws.path(file), "utf8"));
    edit(plan);
    plan.checksum = planChecksum(plan);
    writeFileSync(ws.path(file), JSON.stringify(plan, null, 2));
  }

  for (const [what, label] of [
    ["a ../ label", () => relative(ws.root, join(outside, "target"))],
    ["an absolute label", () => join(outside, "target")],
  ] as const) {
    it(`${what} on a target that is not in the config: refused, nothing written anywhere`, async () => {
      workspaceWith("../prod", {
        "dev/article.json": smallWorkflow(),
        "prod/.keep": "",
        "target/.keep": "",
      });
      const plan = await run(
        "--config",
        "config/workflow-sync.config.yaml",
        "plan",
        "dev",
        "target",
        "--out",
        "plan.json",
      );
      expect(plan.exitCode, plan.stderr).toBe(0);
      mkdirSync(join(outside, "target"));
      forge("plan.json", (forged) => {
        forged.targets[0]!.label = label();
        forged.targets[0]!.environment = "outside";
      });
      const before = fileTree(outside, { dirs: true });
      const outcome = await withConfig("apply", "plan.json", "--yes");
      expect(outcome.exitCode, outcome.stderr).toBe(4);
      expect(outcome.stderr).toContain("is not an environment of the config");
      expect(fileTree(outside, { dirs: true })).toEqual(before);
      expect(readdirSync(ws.path("target"))).toEqual([".keep"]);
    });

    it(`${what} on a configured target: refused; the folder comes from the config`, async () => {
      workspaceWith("../prod", { "dev/article.json": smallWorkflow(), "prod/.keep": "" });
      const plan = await withConfig("plan", "dev", "repo", "--out", "plan.json");
      expect(plan.exitCode, plan.stderr).toBe(0);
      forge("plan.json", (forged) => {
        forged.targets[0]!.label = label();
      });
      const before = fileTree(outside, { dirs: true });
      const outcome = await withConfig("apply", "plan.json", "--yes");
      expect(outcome.exitCode).toBe(4);
      expect(fileTree(outside, { dirs: true })).toEqual(before);
      expect(readdirSync(ws.path("prod"))).toEqual([".keep"]);
    });
  }

  it("apply prints the resolved folder it writes to", async () => {
    workspaceWith(join(outside, "prod"), { "dev/article.json": smallWorkflow() });
    mkdirSync(join(outside, "prod"));
    const plan = await withConfig("plan", "dev", "repo", "--out", "plan.json");
    expect(plan.exitCode, plan.stderr).toBe(0);
    const outcome = await withConfig("apply", "plan.json", "--yes");
    expect(outcome.exitCode, outcome.stderr).toBe(0);
    expect(outcome.stderr).toContain(`repo: writing files in ${join(outside, "prod")}`);
    expect(readdirSync(join(outside, "prod"))).toEqual(["article.yaml"]);
  });
});

describe("item 9: a file is replaced only when it holds the same workflow", () => {
  const news = () => JSON.stringify(smallWorkflow({ key: "news", name: { "en-GB": "News" } }));

  it("export refuses (exit 1) to replace a file that holds another workflow, naming the file and both keys", async () => {
    workspaceWith("./wf", { "src/article.json": smallWorkflow(), "out/article.yaml": news() });
    const outcome = await run("export", "src", "--out", "out");
    expect(outcome.exitCode, outcome.stderr).toBe(1);
    expect(outcome.stderr).toContain(
      `refusing to replace ${ws.path("out/article.yaml")}: it holds workflow "news", not "article"`,
    );
    expect(outcome.stderr).not.toContain("left in place");
    expect(readFileSync(ws.path("out/article.yaml"), "utf8")).toBe(news());
  });

  it("nothing is written when one of several files would be clobbered (checked before the first write)", async () => {
    workspaceWith("./wf", {
      "src/a.json": smallWorkflow({ key: "aaa" }),
      "src/article.json": smallWorkflow(),
      "out/article.yaml": news(),
    });
    const outcome = await run("export", "src", "--out", "out", "--json");
    expect(outcome.exitCode).toBe(1);
    expect(outcome.json()).toMatchObject({
      ok: false,
      error: { code: "file_holds_another_workflow", key: "article", holds: ["news"] },
    });
    expect(readdirSync(ws.path("out"))).toEqual(["article.yaml"]);
  });

  it("sync into a folder refuses the same way; plan names both keys", async () => {
    workspaceWith("./wf", { "src/article.json": smallWorkflow(), "target/article.yaml": news() });
    const outcome = await run("sync", "src", "target", "--yes");
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toMatch(
      /refusing to replace .*target\/article\.yaml: it holds workflow "news", not "article"/,
    );
    expect(readFileSync(ws.path("target/article.yaml"), "utf8")).toBe(news());
  });

  it("a stale workflow's file is reported as left in place only when it is", async () => {
    workspaceWith("./wf", { "src/article.json": smallWorkflow(), "out/news.yaml": news() });
    const outcome = await run("export", "src", "--out", "out");
    expect(outcome.exitCode, outcome.stderr).toBe(0);
    expect(outcome.stderr).toContain("news is not in src any more; its file news.yaml was left in place");
    expect(readFileSync(ws.path("out/news.yaml"), "utf8")).toBe(news());
  });
});
