import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { testCommand } from "../../test/support/test-command.ts";
import { smallWorkflow, tempWorkspace } from "../../test/support/workspace.ts";

/*
 * Plan, apply, journal, backup and restore on folders of workflow files (a `files` environment):
 * the same machinery as for the vendors, without a server.
 */

const config = [
  "environments:",
  "  dev:",
  "    vendor: files",
  "    path: ./dev",
  "  prod:",
  "    vendor: files",
  "    path: ./prod",
  "    protected: true",
  "",
].join("\n");

describe("export, plan, apply, restore on files environments", () => {
  let workspace: ReturnType<typeof tempWorkspace>;
  afterEach(() => workspace?.cleanup());
  const run = (...argv: string[]) => testCommand(argv, { cwd: workspace.root });

  const setup = () => {
    workspace = tempWorkspace({
      "workflow-sync.config.yaml": config,
      "dev/article.json": smallWorkflow(),
      "dev/news.json": smallWorkflow({ key: "news", name: { "en-GB": "News" } }),
      "prod/article.yaml": JSON.stringify(smallWorkflow({ name: { "en-GB": "Old article" } })),
      "prod/legacy.json": smallWorkflow({ key: "legacy" }),
    });
  };

  it("export writes canonical YAML; a re-export of an unchanged source changes no byte", async () => {
    setup();
    const first = await run("export", "dev", "--out", "out");
    expect(first.exitCode).toBe(0);
    expect(readdirSync(join(workspace.root, "out")).sort()).toEqual(["article.yaml", "news.yaml"]);
    const text = readFileSync(join(workspace.root, "out/article.yaml"), "utf8");
    expect(text.startsWith("key: article\nname:\n  en-GB: Article\n")).toBe(true);
    const modified = statSync(join(workspace.root, "out/article.yaml")).mtimeMs;
    const second = await run("export", "dev", "--out", "out", "--json");
    expect(second.json<{ result: { written: string[]; unchanged: string[] } }>().result).toMatchObject({
      written: [],
      unchanged: ["article.yaml", "news.yaml"],
    });
    expect(readFileSync(join(workspace.root, "out/article.yaml"), "utf8")).toBe(text);
    expect(statSync(join(workspace.root, "out/article.yaml")).mtimeMs).toBe(modified);
    // The export reads back as the same workflows.
    const diff = await run("diff", "dev", "out", "--detailed-exitcode");
    expect(diff.exitCode).toBe(0);
  });

  it("plan → apply: protected target needs --confirm-env; deletes only with --prune; backup, then restore puts it back", async () => {
    setup();
    const plan = await run("plan", "dev", "prod", "--out", "plan.json", "--prune");
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout).toMatch(/Plan: 1 to create, 1 to update, 1 to delete/);

    const json = await run("apply", "plan.json", "--json");
    expect(json.exitCode).toBe(4);
    expect(json.json()).toMatchObject({ ok: false, error: { code: "protected_environment" } });

    const noPrune = await run("apply", "plan.json", "--yes", "--confirm-env", "prod");
    expect(noPrune.exitCode).toBe(0); // the plan was made with --prune: it carries that decision
    expect(readdirSync(join(workspace.root, "prod")).sort()).toEqual(["article.yaml", "news.yaml"]);
    const backups = readdirSync(join(workspace.root, ".workflow-sync/backups"));
    expect(backups).toHaveLength(1);

    const diff = await run("diff", "dev", "prod", "--detailed-exitcode");
    expect(diff.exitCode).toBe(0);

    const restore = await run(
      "restore",
      join(".workflow-sync/backups", backups[0]!),
      "--to",
      "prod",
      "--yes",
      "--confirm-env",
      "prod",
      "--json",
    );
    expect(restore.exitCode).toBe(0);
    expect(readdirSync(join(workspace.root, "prod")).sort()).toEqual(["article.yaml", "legacy.yaml"]);
    const back = await run("diff", "dev", "prod", "--json");
    const changes = back.json<{ result: { changes: Array<{ kind: string; workflow: string }> } }>().result
      .changes;
    expect(changes.map((change) => `${change.kind}:${change.workflow}`)).toEqual(
      expect.arrayContaining(["workflow_added:news", "workflow_removed:legacy"]),
    );
  });

  it("a stale plan is refused (exit 4) and nothing is written", async () => {
    setup();
    await run("plan", "dev", "prod", "--out", "plan.json");
    workspace.write(
      "prod/article.yaml",
      JSON.stringify(smallWorkflow({ name: { "en-GB": "Changed meanwhile" } })),
    );
    const before = readFileSync(join(workspace.root, "prod/article.yaml"), "utf8");
    const apply = await run("apply", "plan.json", "--yes", "--confirm-env", "prod");
    expect(apply.exitCode).toBe(4);
    expect(apply.stderr).toMatch(/prod changed since the plan was made \(article\); nothing was written/);
    expect(readFileSync(join(workspace.root, "prod/article.yaml"), "utf8")).toBe(before);
    expect(readdirSync(join(workspace.root, "prod")).sort()).toEqual(["article.yaml", "legacy.json"]);
  });

  it("a plan edited by hand is refused", async () => {
    setup();
    await run("plan", "dev", "prod", "--out", "plan.json");
    const plan = JSON.parse(readFileSync(join(workspace.root, "plan.json"), "utf8"));
    plan.targets[0].operations[0].requests[0].body = "key: hacked\n";
    workspace.write("plan.json", plan);
    const apply = await run("apply", "plan.json", "--yes", "--confirm-env", "prod");
    expect(apply.exitCode).toBe(4); // refused, as docs/reliability.md says
    expect(apply.stderr).toContain("the plan was changed after it was made");
  });

  it("without --yes and without a terminal, apply refuses; at a prompt, only yes proceeds (else exit 3)", async () => {
    setup();
    await run("plan", "dev", "prod", "--out", "plan.json");
    const unattended = await run("apply", "plan.json", "--confirm-env", "prod");
    expect(unattended.exitCode).toBe(4);
    const aborted = await testCommand(["apply", "plan.json", "--confirm-env", "prod"], {
      cwd: workspace.root,
      answers: ["no"],
    });
    expect(aborted.exitCode).toBe(3);
    expect(readdirSync(join(workspace.root, "prod")).sort()).toEqual(["article.yaml", "legacy.json"]);
    const accepted = await testCommand(["apply", "plan.json", "--confirm-env", "prod"], {
      cwd: workspace.root,
      answers: ["yes"],
    });
    expect(accepted.exitCode).toBe(0);
  });

  it("several targets at once: planned and applied side by side, one summary", async () => {
    setup();
    const sync = await run("sync", "dev", "prod,./out-a", "--yes", "--confirm-env", "prod", "--json");
    expect(sync.exitCode).toBe(0);
    const targets = sync.json<{ result: { targets: Array<{ environment: string; status: string }> } }>()
      .result.targets;
    expect(targets.map((target) => target.environment).sort()).toEqual(["out-a", "prod"]);
    expect(readdirSync(join(workspace.root, "out-a")).sort()).toEqual(["article.yaml", "news.yaml"]);
  });
});
