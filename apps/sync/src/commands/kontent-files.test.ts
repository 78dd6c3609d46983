import {
  DOCS_ADD_REQUEST,
  DOCS_ADD_RESPONSE,
  DOCS_LIST_RESPONSE,
  DOCS_UPDATE_REQUEST,
  DOCS_WORKFLOW_OBJECT,
} from "@workflow-sync/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { testCommand } from "../../test/support/test-command.ts";
import { tempWorkspace } from "../../test/support/workspace.ts";

/*
 * Kontent.ai workflow files read offline (issue 12, item 1): the docs' own JSON examples in the
 * request shape and the response shape, and the CLI's own `convert --to kontent` output.
 */

describe("Kontent.ai workflow files, offline", () => {
  let workspace: ReturnType<typeof tempWorkspace>;
  afterEach(() => workspace?.cleanup());

  const files = {
    "object.json": DOCS_WORKFLOW_OBJECT,
    "list.json": DOCS_LIST_RESPONSE,
    "add-request.json": DOCS_ADD_REQUEST,
    "add-response.json": DOCS_ADD_RESPONSE,
    "update-request.json": DOCS_UPDATE_REQUEST,
  };

  it.each(Object.keys(files))("validate reads %s", async (name) => {
    workspace = tempWorkspace(files);
    const run = await testCommand(["validate", name], { cwd: workspace.root });
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("1 workflow valid");
    expect(run.exitCode).toBe(0);
  });

  it("convert --to neutral shows unresolved ids as typed references", async () => {
    workspace = tempWorkspace(files);
    const run = await testCommand(["convert", "object.json", "--to", "neutral"], { cwd: workspace.root });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('"id:1cdb6e21-3330-4f0f-88cd-171098950e4f"');
    expect(run.stderr).toContain("loss: my_workflow.roles: offline: role ids");
  });

  it("reads back its own convert --to kontent output, and diffs it clean against the source", async () => {
    workspace = tempWorkspace(files);
    for (const name of ["object.json", "add-request.json", "update-request.json"]) {
      const converted = await testCommand(["convert", name, "--to", "kontent"], { cwd: workspace.root });
      expect(converted.exitCode).toBe(0);
      workspace.write(`converted-${name}`, converted.stdout);
      const validate = await testCommand(["validate", `converted-${name}`], { cwd: workspace.root });
      expect(validate.exitCode).toBe(0);
      const diff = await testCommand(["diff", name, `converted-${name}`, "--detailed-exitcode"], {
        cwd: workspace.root,
      });
      expect(diff.stdout).toContain("No changes");
      expect(diff.exitCode).toBe(0);
    }
  });

  it("diff between the request and the response of the same Add is about the ids only", async () => {
    workspace = tempWorkspace(files);
    const run = await testCommand(["diff", "add-request.json", "add-response.json", "--format", "json"], {
      cwd: workspace.root,
    });
    expect(run.exitCode).toBe(0);
    // same scope ids, same steps and transitions: only the role ids (typed in both) match too
    expect(JSON.parse(run.stdout).changes).toEqual([]);
  });

  it("an invalid workflow in either shape gets the semantic rules' message, not a parse error", async () => {
    const request = JSON.parse(JSON.stringify(DOCS_ADD_REQUEST)) as {
      steps: Array<{ transitions_to: unknown[] }>;
    };
    request.steps[1]!.transitions_to = [{ step: { codename: "first_step" } }];
    const response = JSON.parse(JSON.stringify(DOCS_ADD_RESPONSE)) as {
      steps: Array<{ transitions_to: unknown[] }>;
    };
    response.steps[1]!.transitions_to = [{ step: { id: "2044477d-36aa-4ad5-91de-eaa2927ab173" } }];
    workspace = tempWorkspace({ "request.json": request, "response.json": response });
    for (const name of ["request.json", "response.json"]) {
      const run = await testCommand(["validate", name], { cwd: workspace.root });
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toMatch(/no state of kind "published" can be reached from state "first_step"/);
      expect(run.stdout).toContain("(cannot_reach_published)");
      expect(run.stderr).not.toContain("does not fit");
    }
  });
});
