import { afterEach, describe, expect, it } from "vitest";
import { testCommand } from "../../test/support/test-command.ts";
import { smallWorkflow, tempWorkspace } from "../../test/support/workspace.ts";

describe("diff", () => {
  let workspace: ReturnType<typeof tempWorkspace>;
  afterEach(() => workspace?.cleanup());

  const changed = smallWorkflow({
    states: [
      { key: "draft", name: { "en-GB": "Draft" }, kind: "initial", color: "blue" },
      { key: "review", name: { "en-GB": "Review" }, kind: "step", color: "yellow", roles: ["Reviewer"] },
      { key: "legal", name: { "en-GB": "Legal" }, kind: "step" },
      { key: "published", name: { "en-GB": "Published" }, kind: "published" },
    ],
    transitions: [
      { key: "submit", from: "draft", to: "review", name: { "en-GB": "Submit" } },
      { key: "approve", from: "review", to: "legal", name: { "en-GB": "Approve" } },
      { key: "clear", from: "legal", to: "published", name: { "en-GB": "Clear" } },
    ],
  });

  it("equal sources: no changes, exit 0 even with --detailed-exitcode", async () => {
    workspace = tempWorkspace({
      "a/article.json": smallWorkflow(),
      "b/article.yaml": JSON.stringify(smallWorkflow()),
    });
    const outcome = await testCommand(["diff", "a", "b", "--detailed-exitcode"], { cwd: workspace.root });
    expect(outcome.exitCode).toBe(0);
  });

  it("reordered arrays and keys are not changes", async () => {
    const reordered = smallWorkflow();
    reordered.states = [...reordered.states].reverse();
    reordered.transitions = [...(reordered.transitions ?? [])].reverse();
    workspace = tempWorkspace({ "a/x.json": smallWorkflow(), "b/x.json": reordered });
    const outcome = await testCommand(["diff", "a", "b", "--detailed-exitcode", "--json"], {
      cwd: workspace.root,
    });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.json<{ result: { changes: unknown[] } }>().result.changes).toEqual([]);
  });

  it("changes: text with + ~ -, exit 2 only with --detailed-exitcode", async () => {
    workspace = tempWorkspace({ "dev/article.json": changed, "prod/article.json": smallWorkflow() });
    const plain = await testCommand(["diff", "dev", "prod"], { cwd: workspace.root });
    expect(plain.exitCode).toBe(0);
    expect(plain.stdout).toMatch(/^\s*\+.*legal/m);
    expect(plain.stdout).toMatch(/^\s*~.*draft/m);
    expect(plain.stdout).toMatch(/^\s*-.*reject/m);
    expect(plain.stdout).not.toContain("\u001b[");
    const detailed = await testCommand(["diff", "dev", "prod", "--detailed-exitcode"], {
      cwd: workspace.root,
    });
    expect(detailed.exitCode).toBe(2);
  });

  it("colour only on a terminal, and never with NO_COLOR", async () => {
    workspace = tempWorkspace({ "dev/article.json": changed, "prod/article.json": smallWorkflow() });
    const tty = await testCommand(["diff", "dev", "prod"], { cwd: workspace.root, isTTY: true });
    expect(tty.stdout).toContain("\u001b[");
    const noColor = await testCommand(["diff", "dev", "prod"], {
      cwd: workspace.root,
      isTTY: true,
      env: { NO_COLOR: "1" },
    });
    expect(noColor.stdout).not.toContain("\u001b[");
  });

  it("--format json carries formatVersion and keyed changes; --json wraps it in the envelope", async () => {
    workspace = tempWorkspace({ "dev/article.json": changed, "prod/article.json": smallWorkflow() });
    const formatted = await testCommand(["diff", "dev", "prod", "--format", "json"], { cwd: workspace.root });
    const document = JSON.parse(formatted.stdout) as {
      formatVersion: number;
      changes: Array<{ kind: string; path: string[]; before: unknown; after: unknown }>;
    };
    expect(document.formatVersion).toBe(1);
    const color = document.changes.find((change) => change.path.join(".") === "article.states.draft.color");
    expect(color).toMatchObject({ kind: "state_changed", before: "red", after: "blue" });
    const enveloped = await testCommand(["diff", "dev", "prod", "--json", "--detailed-exitcode"], {
      cwd: workspace.root,
    });
    expect(enveloped.exitCode).toBe(2);
    expect(enveloped.json()).toMatchObject({ ok: true, command: "diff", result: { formatVersion: 1 } });
  });

  it("--format markdown is a pull-request comment", async () => {
    workspace = tempWorkspace({ "dev/article.json": changed, "prod/article.json": smallWorkflow() });
    const outcome = await testCommand(["diff", "dev", "prod", "--format", "markdown"], {
      cwd: workspace.root,
    });
    expect(outcome.stdout).toMatch(/^#+ /m);
    expect(outcome.stdout).toContain("|");
  });

  it("an unknown format is a usage error", async () => {
    workspace = tempWorkspace({ "a/x.json": smallWorkflow() });
    const outcome = await testCommand(["diff", "a", "a", "--format", "yaml"], { cwd: workspace.root });
    expect(outcome.exitCode).toBe(64);
  });

  it("an invalid side fails with its issues (exit 1)", async () => {
    workspace = tempWorkspace({ "a/x.json": smallWorkflow(), "b/x.json": "{" });
    const outcome = await testCommand(["diff", "a", "b"], { cwd: workspace.root });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toMatch(/b\/x\.json:1:\d+: invalid JSON/);
  });
});
