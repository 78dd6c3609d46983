import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type KontentSimulator, startKontentSimulator } from "@workflow-sync/kontent-simulator";
import { demoSecrets, KONTENT_DEV, KONTENT_PROD } from "@workflow-sync/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";
import { tempWorkspace } from "../support/workspace.ts";

const DEV = KONTENT_DEV;
const PROD = KONTENT_PROD;
const env = demoSecrets("KONTENT_DEV_API_KEY", "KONTENT_PROD_API_KEY");

describe("journey: promotion dev → prod on Kontent.ai (built CLI against the simulator)", () => {
  let sim: KontentSimulator;
  let workspace: ReturnType<typeof tempWorkspace>;

  beforeAll(async () => {
    sim = await startKontentSimulator({ rateLimit: { perSecond: 50, perMinute: 3000 } });
    workspace = tempWorkspace();
    writeFileSync(
      join(workspace.root, "workflow-sync.config.yaml"),
      [
        "environments:",
        "  kontent-dev:",
        "    vendor: kontent",
        `    environmentId: ${DEV}`,
        "    apiKey: { env: KONTENT_DEV_API_KEY }",
        `    baseUrl: ${sim.baseUrl}`,
        "    rateLimit: { perSecond: 40, perMinute: 2400 }",
        "  kontent-prod:",
        "    vendor: kontent",
        `    environmentId: ${PROD}`,
        "    apiKey: { env: KONTENT_PROD_API_KEY }",
        `    baseUrl: ${sim.baseUrl}`,
        "    rateLimit: { perSecond: 40, perMinute: 2400 }",
        "    protected: true",
        "",
      ].join("\n"),
    );
  });
  afterAll(async () => {
    await sim?.close();
    workspace?.cleanup();
  });

  const writesTo = (environmentId: string) =>
    sim.requests().filter((entry) => entry.write && entry.environmentId === environmentId);

  it("diff and plan show the differences and write nothing", async () => {
    const diff = await runCli(["diff", "kontent-dev", "kontent-prod", "--detailed-exitcode"], {
      cwd: workspace.root,
      env,
    });
    expect(diff.stderr).toBe("");
    expect(diff.exitCode).toBe(2);
    const plan = await runCli(
      ["plan", "kontent-dev", "kontent-prod", "--out", "plan.json", "--prune", "--json"],
      {
        cwd: workspace.root,
        env,
      },
    );
    expect(plan.stderr).toBe("");
    expect(plan.exitCode).toBe(0);
    const result = plan.json<{
      ok: boolean;
      result: { targets: Array<{ create: number; update: number; delete: number }> };
    }>();
    expect(result.ok).toBe(true);
    expect(result.result.targets[0]!.create + result.result.targets[0]!.update).toBeGreaterThan(0);
    expect(writesTo(PROD)).toEqual([]);
    expect(writesTo(DEV)).toEqual([]);
  });

  it("apply refuses a protected target without --confirm-env (exit 4, nothing written)", async () => {
    const refused = await runCli(["apply", "plan.json", "--yes"], { cwd: workspace.root, env });
    expect(refused.exitCode).toBe(4);
    expect(refused.stderr).toContain("--confirm-env kontent-prod");
    expect(writesTo(PROD)).toEqual([]);
  });

  it("apply promotes; afterwards diff is empty and a second sync sends no write", async () => {
    const applied = await runCli(
      ["apply", "plan.json", "--yes", "--prune", "--confirm-env", "kontent-prod"],
      {
        cwd: workspace.root,
        env,
      },
    );
    expect(applied.stderr).toMatch(/backup written to .*\.workflow-sync\/backups\/kontent-prod-/);
    expect(applied.exitCode).toBe(0);
    expect(writesTo(PROD).length).toBeGreaterThan(0);
    expect(writesTo(DEV)).toEqual([]);

    const diff = await runCli(["diff", "kontent-dev", "kontent-prod", "--detailed-exitcode"], {
      cwd: workspace.root,
      env,
    });
    expect(diff.stdout).toContain("No changes");
    expect(diff.exitCode).toBe(0);

    const before = writesTo(PROD).length;
    const again = await runCli(
      ["sync", "kontent-dev", "kontent-prod", "--prune", "--yes", "--confirm-env", "kontent-prod", "--json"],
      {
        cwd: workspace.root,
        env,
      },
    );
    expect(again.exitCode).toBe(0);
    expect(writesTo(PROD).length).toBe(before);
  });

  it("applying the same plan again converges without writing (journal)", async () => {
    const before = writesTo(PROD).length;
    const rerun = await runCli(["apply", "plan.json", "--yes", "--prune", "--confirm-env", "kontent-prod"], {
      cwd: workspace.root,
      env,
    });
    expect(rerun.exitCode).toBe(0);
    expect(rerun.stdout).toContain("already applied");
    expect(writesTo(PROD).length).toBe(before);
  });

  it("the secrets appear nowhere in output, plans or backups", () => {
    const files = [join(workspace.root, "plan.json")];
    const backups = join(workspace.root, ".workflow-sync", "backups");
    for (const name of readdirSync(backups)) files.push(join(backups, name));
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const secret of Object.values(env)) expect(text).not.toContain(secret);
    }
  });
});
