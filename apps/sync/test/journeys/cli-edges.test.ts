import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { testCommand } from "../support/test-command.ts";
import { smallWorkflow, tempWorkspace } from "../support/workspace.ts";

/* Rough edges a new user meets first, through the built CLI as a shell runs it. */

const bin = new URL("../../bin/workflow-sync.js", import.meta.url).pathname;

/** `workflow-sync ARGS | head -c 20`: the CLI's exit code and what it printed on stderr. */
function pipedToHead(args: string[], cwd: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const quoted = args.map((arg) => `'${arg}'`).join(" ");
    const child = spawn(
      "bash",
      [
        "-c",
        `"${process.execPath}" "${bin}" ${quoted} 2>stderr.txt | head -c 20 >/dev/null; echo "\${PIPESTATUS[0]}"; cat stderr.txt`,
      ],
      { cwd, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" } },
    );
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", () => {
      const [code, ...rest] = out.split("\n");
      resolve({ code: Number(code), stderr: rest.join("\n") });
    });
  });
}

describe("output into a pipe that closes early", () => {
  let workspace: ReturnType<typeof tempWorkspace>;
  afterEach(() => workspace?.cleanup());

  it("graph | head exits quietly (no EPIPE stack trace)", async () => {
    const files: Record<string, object> = {};
    // Enough output to fill the pipe's buffer after head has gone.
    for (let i = 0; i < 300; i++) files[`wf/w${i}.json`] = smallWorkflow({ key: `w${i}` });
    workspace = tempWorkspace(files);
    const result = await pipedToHead(["graph", "wf"], workspace.root);
    expect(result.stderr).not.toContain("EPIPE");
    expect(result.stderr.trim()).toBe("");
    expect(result.code).toBe(0);
  }, 60_000);
});

describe("the config file", () => {
  let workspace: ReturnType<typeof tempWorkspace>;
  afterEach(() => workspace?.cleanup());
  const config = "environments:\n  repo:\n    vendor: files\n    path: ./workflows\n";

  it("is found in a folder above, up to the repository root, and --verbose says which file", async () => {
    workspace = tempWorkspace({
      "project/.git/HEAD": "ref: refs/heads/main\n",
      "project/workflow-sync.config.yaml": config,
      "project/workflows/article.json": smallWorkflow(),
      "project/deep/er/.keep": "",
    });
    const outcome = await testCommand(["validate", "repo", "--verbose"], {
      cwd: workspace.path("project/deep/er"),
    });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toContain("1 workflow valid");
    expect(outcome.stderr).toContain(
      `[verbose] config: ${workspace.path("project/workflow-sync.config.yaml")}`,
    );
  });

  it("is not looked for above the repository root", async () => {
    workspace = tempWorkspace({
      "workflow-sync.config.yaml": config,
      "workflows/article.json": smallWorkflow(),
      "project/.git/HEAD": "ref: refs/heads/main\n",
    });
    const outcome = await testCommand(["validate", "repo"], { cwd: workspace.path("project") });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).not.toContain("1 workflow valid");
  });

  it("an empty config file says it is an empty config", async () => {
    workspace = tempWorkspace({ "workflow-sync.config.yaml": "# nothing yet\n\n" });
    const outcome = await testCommand(["validate", "repo"], { cwd: workspace.root });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain("workflow-sync.config.yaml: the config file is empty");
  });
});

describe("validate", () => {
  let workspace: ReturnType<typeof tempWorkspace>;
  afterEach(() => workspace?.cleanup());

  it("an empty folder is 0 workflows and exit 1, not success", async () => {
    workspace = tempWorkspace({ "wf/.keep": "" });
    const outcome = await testCommand(["validate", "wf"], { cwd: workspace.root });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain("wf: 0 workflows");
  });

  it("checks portability to both vendors when --vendor is not given, as its help says", async () => {
    const both = smallWorkflow({
      transitions: [
        { key: "submit", from: "draft", to: "review", name: { "en-GB": "Submit" }, roles: ["Author"] },
        { key: "approve", from: "review", to: "published", name: { "en-GB": "Approve" } },
      ],
    });
    workspace = tempWorkspace({ "wf/article.json": both });
    const outcome = await testCommand(["validate", "wf"], { cwd: workspace.root });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toContain("[kontent]");
    expect(outcome.stdout).toContain("[contensis]");
    const one = await testCommand(["validate", "wf", "--vendor", "kontent"], { cwd: workspace.root });
    expect(one.stdout).not.toContain("[contensis]");
  });

  it("--strict fails on warnings and counts each problem once", async () => {
    workspace = tempWorkspace({ "wf/article.json": smallWorkflow() });
    const plain = await testCommand(["validate", "wf", "--vendor", "contensis", "--json"], {
      cwd: workspace.root,
    });
    const warnings = plain.json<{ result: { issues: unknown[] } }>().result.issues.length;
    expect(warnings).toBeGreaterThan(0);
    const strict = await testCommand(["validate", "wf", "--vendor", "contensis", "--strict"], {
      cwd: workspace.root,
    });
    expect(strict.exitCode).toBe(1);
    expect(strict.stderr).toContain(
      `wf: 0 errors, ${warnings} warning${warnings === 1 ? "" : "s"} (--strict: warnings fail)`,
    );
  });
});

describe("writing into a files environment", () => {
  let workspace: ReturnType<typeof tempWorkspace>;
  afterEach(() => workspace?.cleanup());

  it("keeps each file's $schema line and comments, and changes only what changed", async () => {
    const prodText = [
      "$schema: ../node_modules/@workflow-sync/core/schema/workflow.schema.json",
      "# The article workflow: owned by the web team.",
      "key: article",
      "name:",
      "  en-GB: Article",
      "initial: draft",
      "states:",
      "  - key: draft # where every article starts",
      "    name:",
      "      en-GB: Draft",
      "    kind: initial",
      "    color: red",
      "  - key: review",
      "    name:",
      "      en-GB: Review",
      "    kind: step",
      "    color: yellow",
      "    roles:",
      "      - Reviewer",
      "  - key: published",
      "    name:",
      "      en-GB: Published",
      "    kind: published",
      "transitions:",
      "  # Authors submit; reviewers approve or reject.",
      "  - key: submit",
      "    from: draft",
      "    to: review",
      "    name:",
      "      en-GB: Submit",
      "  - key: approve",
      "    from: review",
      "    to: published",
      "    name:",
      "      en-GB: Approve",
      "  - key: reject",
      "    from: review",
      "    to: draft",
      "    name:",
      "      en-GB: Reject",
      "",
    ].join("\n");
    const dev = smallWorkflow();
    dev.states = dev.states.map((state) => (state.key === "draft" ? { ...state, color: "blue" } : state));
    workspace = tempWorkspace({
      "workflow-sync.config.yaml": "environments:\n  prod:\n    vendor: files\n    path: ./prod\n",
      "dev/article.json": dev,
      "prod/article.yaml": prodText,
    });
    const synced = await testCommand(["sync", "dev", "prod", "--yes"], { cwd: workspace.root });
    expect(synced.exitCode, synced.stderr).toBe(0);
    const after = readFileSync(workspace.path("prod/article.yaml"), "utf8");
    expect(after).toBe(prodText.replace("    color: red", "    color: blue"));
    // And it reads back as the source: nothing left to do.
    const again = await testCommand(["diff", "dev", "prod", "--detailed-exitcode"], { cwd: workspace.root });
    expect(again.exitCode).toBe(0);
  });
});
