import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ContensisSimulator, startContensisSimulator } from "@workflow-sync/contensis-simulator";
import { type KontentSimulator, startKontentSimulator } from "@workflow-sync/kontent-simulator";
import {
  CONTENSIS_TO_KONTENT,
  DEMO_SECRETS,
  KONTENT_PROD,
  KONTENT_TO_CONTENSIS,
} from "@workflow-sync/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configText, contensisEnvironments, kontentEnvironments } from "../support/demo-config.ts";
import { runCli } from "../support/run-cli.ts";
import { tempWorkspace } from "../support/workspace.ts";

/*
 * The two journeys of the product, end to end through the built CLI against both simulators:
 * promotion dev → prod on Contensis, and migration Contensis → Kontent.ai and Kontent.ai →
 * Contensis with the loss report. (The Kontent.ai promotion is kontent-promotion.test.ts.)
 */

const env = DEMO_SECRETS;

describe("journeys across Contensis and Kontent.ai (built CLI against the simulators)", () => {
  let kontent: KontentSimulator;
  let contensis: ContensisSimulator;
  let workspace: ReturnType<typeof tempWorkspace>;
  const cli = (args: string[]) => runCli(args, { cwd: workspace.root, env });

  beforeAll(async () => {
    kontent = await startKontentSimulator({ rateLimit: false });
    contensis = await startContensisSimulator();
    workspace = tempWorkspace({
      "to-kontent.yaml": CONTENSIS_TO_KONTENT,
      "to-contensis.yaml": KONTENT_TO_CONTENSIS,
    });
    writeFileSync(
      join(workspace.root, "workflow-sync.config.yaml"),
      configText(contensisEnvironments(contensis.url), kontentEnvironments(kontent.baseUrl)),
    );
  });
  afterAll(async () => {
    await kontent?.close();
    await contensis?.close();
    workspace?.cleanup();
  });

  const contensisWrites = (project: string) =>
    contensis.requests().filter((entry) => entry.write && entry.projectId === project).length;
  const kontentWrites = (environmentId: string) =>
    kontent.requests().filter((entry) => entry.write && entry.environmentId === environmentId).length;

  it("promotion on Contensis: website-dev → website-prod; then diff is empty and a second sync writes nothing", async () => {
    const before = await cli(["diff", "contensis-dev", "contensis-prod", "--detailed-exitcode"]);
    expect(before.exitCode).toBe(2);
    const sync = await cli(["sync", "contensis-dev", "contensis-prod", "--yes", "--json"]);
    expect(sync.stderr).toBe("");
    expect(sync.exitCode).toBe(0);
    expect(contensisWrites("website-prod")).toBeGreaterThan(0);
    expect(contensisWrites("website-dev")).toBe(0);
    const after = await cli(["diff", "contensis-dev", "contensis-prod", "--detailed-exitcode"]);
    expect(after.stdout).toContain("No changes");
    expect(after.exitCode).toBe(0);
    const writes = contensisWrites("website-prod");
    const again = await cli(["sync", "contensis-dev", "contensis-prod", "--yes"]);
    expect(again.exitCode).toBe(0);
    expect(contensisWrites("website-prod")).toBe(writes);
    // Every definition written is published, so content types can use it (nothing half-written).
    for (const stored of contensis.state("website-prod").definitions) {
      if (stored.isSystem) continue;
      expect(stored.published?.version?.versionNo, stored.latest.id).toBe(stored.latest.version?.versionNo);
    }
  });

  it("migration Contensis → Kontent.ai: refused without --accept-loss, then applied; the read-back differs only by the reported losses", async () => {
    const plan = await cli([
      "plan",
      "contensis-dev",
      "kontent-prod",
      "--map",
      "to-kontent.yaml",
      "--out",
      "migrate.json",
    ]);
    expect(plan.exitCode).toBe(0);
    // Losses by rule, with a count and an example each; --verbose lists every one.
    expect(plan.stdout).toMatch(/^ {4}\w+ ×\d+, e\.g\. loss: /m);
    const all = await cli(["show", "migrate.json", "--verbose"]);
    expect(all.stdout).toMatch(/loss: legalReview\.transitions\[\d+\]\.parameters: .*no parameters/);
    const refused = await cli(["apply", "migrate.json", "--yes"]);
    expect(refused.exitCode).toBe(4);
    expect(refused.stderr).toContain("--accept-loss");
    expect(kontentWrites(KONTENT_PROD)).toBe(0);
    const applied = await cli(["apply", "migrate.json", "--yes", "--accept-loss"]);
    expect(applied.exitCode).toBe(0);
    expect(kontentWrites(KONTENT_PROD)).toBe(2);
    // The diff puts the source in Kontent.ai's terms: after the migration nothing is left to change
    // for the migrated workflows, and what could not be carried is listed as losses.
    const diff = await cli(["diff", "contensis-dev", "kontent-prod", "--map", "to-kontent.yaml", "--json"]);
    const result = diff.json<{
      result: { changes: Array<{ kind: string; workflow: string }>; losses: unknown[] };
    }>().result;
    expect(result.changes.filter((change) => change.kind !== "workflow_removed")).toEqual([]);
    expect(result.losses.length).toBeGreaterThan(20);
    const writes = kontentWrites(KONTENT_PROD);
    const again = await cli([
      "sync",
      "contensis-dev",
      "kontent-prod",
      "--map",
      "to-kontent.yaml",
      "--yes",
      "--accept-loss",
    ]);
    expect(again.exitCode).toBe(0);
    expect(kontentWrites(KONTENT_PROD)).toBe(writes);
  });

  it("migration Kontent.ai → Contensis converges the same way", async () => {
    const sync = await cli([
      "sync",
      "kontent-dev",
      "contensis-prod",
      "--map",
      "to-contensis.yaml",
      "--yes",
      "--accept-loss",
      "--json",
    ]);
    expect(sync.exitCode).toBe(0);
    const summary = sync.json<{ result: { plan: Array<{ create: number; losses: number }> } }>().result
      .plan[0]!;
    expect(summary.create).toBeGreaterThan(0);
    expect(summary.losses).toBeGreaterThan(0);
    const diff = await cli(["diff", "kontent-dev", "contensis-prod", "--map", "to-contensis.yaml", "--json"]);
    const changes = diff.json<{ result: { changes: Array<{ kind: string }> } }>().result.changes;
    expect(changes.filter((change) => change.kind !== "workflow_removed")).toEqual([]);
    const writes = contensisWrites("website-prod");
    const again = await cli([
      "sync",
      "kontent-dev",
      "contensis-prod",
      "--map",
      "to-contensis.yaml",
      "--yes",
      "--accept-loss",
    ]);
    expect(again.exitCode).toBe(0);
    expect(contensisWrites("website-prod")).toBe(writes);
  });

  it("transition: checked locally first (nothing sent when refused), then sent", async () => {
    const entry = "7c2a9e10-5b3d-4e8f-a1c2-3d4e5f000003"; // CustomEntryApproval, awaitingApproval
    const writes = contensisWrites("website-prod");
    const refused = await cli([
      "transition",
      "contensis-prod",
      "--item",
      entry,
      "--language",
      "en-GB",
      "--event",
      "awaitingApproval.decline",
      "--yes",
    ]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("The decline reason is required");
    expect(contensisWrites("website-prod")).toBe(writes);
    const declined = await cli([
      "transition",
      "contensis-prod",
      "--item",
      entry,
      "--language",
      "en-GB",
      "--event",
      "awaitingApproval.decline",
      "--data",
      "message=Needs a source",
      "--yes",
    ]);
    expect(declined.stderr).toBe("");
    expect(declined.stdout).toContain("awaitingApproval → declined");
    expect(contensisWrites("website-prod")).toBe(writes + 1);
  });

  it("convert: a neutral file to both vendors' forms and back, offline, with the losses on stderr", async () => {
    workspace.write(
      "neutral.yaml",
      [
        "key: article",
        "name: { en-GB: Article }",
        "initial: draft",
        "states:",
        "  - { key: draft, name: { en-GB: Draft }, kind: initial, color: red }",
        "  - { key: review, name: { en-GB: Review }, kind: step, color: yellow }",
        "  - { key: published, name: { en-GB: Published }, kind: published }",
        "transitions:",
        "  - { key: submit, from: draft, to: review, name: { en-GB: Submit } }",
        "  - { key: approve, from: review, to: published, name: { en-GB: Approve }, guard: { all: [{ field: x, equals: true }] } }",
        "",
      ].join("\n"),
    );
    const toKontentForm = await cli(["convert", "neutral.yaml", "--to", "kontent"]);
    expect(toKontentForm.exitCode).toBe(0);
    const body = JSON.parse(toKontentForm.stdout) as { codename: string; steps: Array<{ codename: string }> };
    expect(body.codename).toBe("article");
    expect(body.steps.map((step) => step.codename)).toEqual(["draft", "review"]);
    expect(toKontentForm.stderr).toMatch(/^loss: article\.transitions\[1\]\.guard: /m);
    const toContensisForm = await cli(["convert", "neutral.yaml", "--to", "contensis"]);
    expect(toContensisForm.exitCode).toBe(0);
    workspace.write("contensis.json", toContensisForm.stdout);
    const back = await cli(["convert", "contensis.json", "--to", "neutral", "--json"]);
    const neutral = back.json<{ ok: boolean; result: { document: { key: string; initial: string } } }>();
    expect(neutral.ok).toBe(true);
    expect(neutral.result.document).toMatchObject({ key: "article", initial: "draft" });
  });
});
