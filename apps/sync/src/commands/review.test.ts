import { existsSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { testCommand } from "../../test/support/test-command.ts";
import { smallWorkflow, tempWorkspace } from "../../test/support/workspace.ts";

/*
 * Reviewing and selecting: report, show, plan without --out, plan --detailed-exitcode, --workflow,
 * init and completion, on folders of workflow files (a `files` environment needs no server).
 */

const changed = smallWorkflow({
  states: [
    { key: "draft", name: { "en-GB": "Draft" }, kind: "initial", color: "blue" },
    { key: "review", name: { "en-GB": "Review" }, kind: "step", color: "yellow", roles: ["Reviewer"] },
    { key: "legal", name: { "en-GB": "Legal" }, kind: "step" },
    { key: "published", name: { "en-GB": "Published" }, kind: "published" },
  ],
  transitions: [
    { key: "submit", from: "draft", to: "review", name: { "en-GB": "Submit" } },
    { key: "save", from: "draft", to: null, name: { "en-GB": "Save" } },
    { key: "approve", from: "review", to: "legal", name: { "en-GB": "Approve" } },
    { key: "clear", from: "legal", to: "published", name: { "en-GB": "Clear" } },
  ],
});
const news = smallWorkflow({ key: "news", name: { "en-GB": "News" } });
const newsChanged = smallWorkflow({
  key: "news",
  name: { "en-GB": "News" },
  states: smallWorkflow().states.map((state) =>
    state.key === "draft" ? { ...state, color: "green" } : state,
  ),
});

describe("review and selection", () => {
  let workspace: ReturnType<typeof tempWorkspace>;
  afterEach(() => workspace?.cleanup());

  const setup = () => {
    workspace = tempWorkspace({
      "dev/article.json": changed,
      "dev/news.json": newsChanged,
      "prod/article.json": smallWorkflow(),
      "prod/news.json": news,
    });
    return workspace;
  };

  it("plan without --out prints the plan and writes no file; --detailed-exitcode exits 2 with changes, 0 without", async () => {
    setup();
    const planned = await testCommand(["plan", "dev", "prod", "--detailed-exitcode"], {
      cwd: workspace.root,
    });
    expect(planned.exitCode).toBe(2);
    expect(planned.stdout).toContain("~ workflow article");
    expect(planned.stdout).toContain("No plan file written");
    const same = await testCommand(["plan", "prod", "prod", "--detailed-exitcode"], { cwd: workspace.root });
    expect(same.exitCode).toBe(0);
    const plain = await testCommand(["plan", "dev", "prod"], { cwd: workspace.root });
    expect(plain.exitCode).toBe(0);
  });

  it("--workflow selects by key and glob on plan and diff, and a pattern that matches nothing is a usage error", async () => {
    setup();
    const planned = await testCommand(["plan", "dev", "prod", "--workflow", "art*", "--json"], {
      cwd: workspace.root,
    });
    expect(planned.exitCode).toBe(0);
    const targets = planned.json<{ result: { targets: Array<{ update: number }> } }>().result.targets;
    expect(targets[0]!.update).toBe(1);
    const diff = await testCommand(["diff", "dev", "prod", "--workflow", "news"], { cwd: workspace.root });
    expect(diff.stdout).toContain("~ workflow news");
    expect(diff.stdout).not.toContain("workflow article");
    const none = await testCommand(["diff", "dev", "prod", "--workflow", "nope*"], { cwd: workspace.root });
    expect(none.exitCode).toBe(64);
    expect(none.stderr).toContain('--workflow "nope*" matches no workflow');
    expect(none.stderr).toContain("article, news");
  });

  it("--workflow on export writes only the selected workflows", async () => {
    setup();
    const out = await testCommand(["export", "dev", "--out", "exported", "--workflow", "news"], {
      cwd: workspace.root,
    });
    expect(out.exitCode).toBe(0);
    expect(existsSync(workspace.path("exported/news.yaml"))).toBe(true);
    expect(existsSync(workspace.path("exported/article.yaml"))).toBe(false);
  });

  it("show prints a plan file as text, Markdown with Mermaid diagrams, or JSON; an edited plan is refused", async () => {
    setup();
    expect(
      (await testCommand(["plan", "dev", "prod", "--out", "plan.json"], { cwd: workspace.root })).exitCode,
    ).toBe(0);
    const text = await testCommand(["show", "plan.json"], { cwd: workspace.root });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain("+ state legal");
    const markdown = await testCommand(["show", "plan.json", "--format", "markdown"], {
      cwd: workspace.root,
    });
    expect(markdown.stdout).toContain("```mermaid");
    expect(markdown.stdout).toContain("class legal added");
    expect(markdown.stdout).toContain("draft : ↻ + Save");
    const json = await testCommand(["show", "plan.json", "--format", "json"], { cwd: workspace.root });
    expect(JSON.parse(json.stdout).checksum).toMatch(/^[0-9a-f]{64}$/);
    const plan = JSON.parse(readFileSync(workspace.path("plan.json"), "utf8"));
    plan.options.prune = true;
    workspace.write("plan.json", plan);
    const edited = await testCommand(["show", "plan.json"], { cwd: workspace.root });
    expect(edited.exitCode).not.toBe(0);
    expect(edited.stderr).toContain("checksum");
  });

  it("report writes one HTML page from a plan file or from two sources, with the before picture of an update", async () => {
    setup();
    await testCommand(["plan", "dev", "prod", "--out", "plan.json"], { cwd: workspace.root });
    const fromPlan = await testCommand(["report", "plan.json", "--out", "report.html"], {
      cwd: workspace.root,
    });
    expect(fromPlan.exitCode).toBe(0);
    const html = readFileSync(workspace.path("report.html"), "utf8");
    expect(html).toContain('data-workflow="article" data-action="update"');
    expect(html).toContain('data-side="before"');
    expect(html).toContain('data-side="after"');
    expect(html).toMatch(/data-change="added" data-state="legal"/);
    expect(html).not.toContain("<script");
    const direct = await testCommand(["report", "dev", "prod", "--workflow", "news"], {
      cwd: workspace.root,
    });
    expect(direct.exitCode).toBe(0);
    expect(direct.stdout).toContain('data-workflow="news"');
    expect(direct.stdout).not.toContain('data-workflow="article"');
    // The plan says what it covers, and workflows outside the selection are not listed as unchanged.
    expect(direct.stdout).toContain("only --workflow news");
    expect(direct.stdout).not.toContain("<code>article</code>");
  });

  it("init writes a commented config for the named vendors and a .gitignore line, and never overwrites", async () => {
    workspace = tempWorkspace({ ".gitignore": "node_modules" });
    const first = await testCommand(["init", "--vendor", "kontent", "--vendor", "files"], {
      cwd: workspace.root,
    });
    expect(first.exitCode).toBe(0);
    const config = readFileSync(workspace.path("workflow-sync.config.yaml"), "utf8");
    expect(config).toContain("vendor: kontent");
    expect(config).toContain("vendor: files");
    expect(config).not.toContain("vendor: contensis");
    expect(config).toMatch(/^# /);
    expect(readFileSync(workspace.path(".gitignore"), "utf8")).toBe(
      "node_modules\n# workflow-sync backups, journals and locks\n.workflow-sync/\n",
    );
    // The starter config is valid as it is (its secrets are only named).
    const listed = await testCommand(["validate", "repo"], { cwd: workspace.root });
    expect(listed.stderr).not.toContain("not valid");
    const again = await testCommand(["init"], { cwd: workspace.root });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain("never overwrites");
    expect(readFileSync(workspace.path("workflow-sync.config.yaml"), "utf8")).toBe(config);
  });

  it("completion prints a script for bash, zsh and fish naming every command", async () => {
    for (const shell of ["bash", "zsh", "fish"]) {
      const out = await testCommand(["completion", shell]);
      expect(out.exitCode).toBe(0);
      for (const command of ["validate", "report", "show", "init"]) expect(out.stdout).toContain(command);
    }
    expect((await testCommand(["completion", "bash"])).stdout).toContain(
      "complete -o filenames -F _workflow_sync",
    );
    expect((await testCommand(["completion", "tcsh"])).exitCode).toBe(64);
  });
});
