import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { smallWorkflow, tempWorkspace } from "../test-support/workspace.ts";

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
