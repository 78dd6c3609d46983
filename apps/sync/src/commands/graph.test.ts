import { afterEach, describe, expect, it } from "vitest";
import { testCommand } from "../../test/support/test-command.ts";
import { smallWorkflow, tempWorkspace } from "../../test/support/workspace.ts";

describe("graph", () => {
  let workspace: ReturnType<typeof tempWorkspace>;
  afterEach(() => workspace?.cleanup());

  it("prints a Mermaid stateDiagram-v2 with the initial state and transitions", async () => {
    workspace = tempWorkspace({
      "wf/article.json": smallWorkflow(),
      "wf/news.json": smallWorkflow({ key: "news" }),
    });
    const outcome = await testCommand(["graph", "wf", "--workflow", "article"], { cwd: workspace.root });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toContain("stateDiagram-v2");
    expect(outcome.stdout).toMatch(/\[\*\] --> draft/);
    expect(outcome.stdout).toMatch(/draft --> review/);
    expect(outcome.stdout).not.toContain("%% news");
  });

  it("an unknown --workflow names the keys there (exit 1)", async () => {
    workspace = tempWorkspace({ "wf/article.json": smallWorkflow() });
    const outcome = await testCommand(["graph", "wf", "--workflow", "nope"], { cwd: workspace.root });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain('no workflow with key "nope"');
    expect(outcome.stderr).toContain("article");
  });
});
