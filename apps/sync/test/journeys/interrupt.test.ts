import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type KontentSimulator, startKontentSimulator } from "@workflow-sync/kontent-simulator";
import { demoSecrets } from "@workflow-sync/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configText, kontentEnvironments } from "../support/demo-config.ts";
import { runCli } from "../support/run-cli.ts";
import { tempWorkspace } from "../support/workspace.ts";

/* Ctrl-C during an apply (the built CLI, a real SIGINT) says what was written and how to resume. */

const bin = new URL("../../bin/workflow-sync.js", import.meta.url).pathname;
const env = demoSecrets("KONTENT_DEV_API_KEY", "KONTENT_PROD_API_KEY");

describe("Ctrl-C during apply", () => {
  let kontent: KontentSimulator;
  let workspace: ReturnType<typeof tempWorkspace>;

  beforeAll(async () => {
    kontent = await startKontentSimulator({ rateLimit: false });
    workspace = tempWorkspace();
    // Paced to 2 requests a second, so the apply is still running when the signal comes.
    writeFileSync(
      join(workspace.root, "workflow-sync.config.yaml"),
      configText(
        kontentEnvironments(kontent.baseUrl, { prod: ["rateLimit: { perSecond: 2, perMinute: 400 }"] }),
      ),
    );
  });
  afterAll(async () => {
    await kontent?.close();
    workspace?.cleanup();
  });

  it("prints the operations written, the backup and the command that resumes; the resume finishes", async () => {
    const planned = await runCli(["plan", "kontent-dev", "kontent-prod", "--prune", "--out", "plan.json"], {
      cwd: workspace.root,
      env,
    });
    expect(planned.exitCode, planned.stderr).toBe(0);
    const child = spawn(process.execPath, [bin, "apply", "plan.json", "--yes", "--prune"], {
      cwd: workspace.root,
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env },
    });
    let stderr = "";
    let sent = false;
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      // After the first finished operation: the apply is under way and not done.
      if (!sent && /\(1\/\d+\)/.test(stderr)) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(sent).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toContain("interrupted: stopping now. What was written:");
    expect(stderr).toMatch(/kontent-prod: [1-9]\d* of \d+ operation\(s\) written \((create|update|delete) /);
    expect(stderr).toMatch(/backup: .*kontent-prod.*\.json \(restore with: workflow-sync restore /);
    expect(stderr).toContain(
      "To finish, resume (the journal skips what is done): workflow-sync apply plan.json --yes --prune",
    );
    const resumed = await runCli(["apply", "plan.json", "--yes", "--prune"], { cwd: workspace.root, env });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const diff = await runCli(["diff", "kontent-dev", "kontent-prod", "--detailed-exitcode"], {
      cwd: workspace.root,
      env,
    });
    expect(diff.exitCode).toBe(0);
  }, 120_000);
});
