import { type KontentSimulator, startKontentSimulator } from "@workflow-sync/kontent-simulator";
import { demoSecrets, KONTENT_DEV } from "@workflow-sync/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configText, kontentEnvironment } from "../support/demo-config.ts";
import { testCommand } from "../support/test-command.ts";
import { smallWorkflow, tempWorkspace } from "../support/workspace.ts";

/* Names the target lacks: every kind listed at once, by diff and plan alike, with the --map lines. */

describe("names the target lacks", () => {
  let kontent: KontentSimulator;
  let workspace: ReturnType<typeof tempWorkspace>;
  const env = demoSecrets("KONTENT_DEV_API_KEY");

  beforeAll(async () => {
    kontent = await startKontentSimulator({ rateLimit: false });
    const ghostly = smallWorkflow({
      key: "ghostly",
      scope: { contentTypes: ["ghost_type"], collections: [] },
      states: [
        { key: "draft", name: { "en-GB": "Draft" }, kind: "initial", roles: ["Ghost writer"] },
        { key: "review", name: { "en-GB": "Review" }, kind: "step", roles: ["Phantom"] },
        { key: "published", name: { "en-GB": "Published" }, kind: "published" },
      ],
    });
    workspace = tempWorkspace({
      "wf/ghostly.json": ghostly,
      "workflow-sync.config.yaml": configText(
        kontentEnvironment("kontent-dev", KONTENT_DEV, "KONTENT_DEV_API_KEY", kontent.baseUrl),
      ),
    });
  });
  afterAll(async () => {
    await kontent?.close();
    workspace?.cleanup();
  });

  it("diff and plan list every missing role and content type in one error, the same way", async () => {
    const plan = await testCommand(["plan", "wf", "kontent-dev"], { cwd: workspace.root, env });
    const diff = await testCommand(["diff", "wf", "kontent-dev"], { cwd: workspace.root, env });
    for (const outcome of [plan, diff]) {
      expect(outcome.exitCode).toBe(1);
      expect(outcome.stderr).toContain("kontent-dev: names that do not exist there");
      expect(outcome.stderr).toContain("role: Ghost writer, Phantom");
      expect(outcome.stderr).toContain("contentType: ghost_type");
      expect(outcome.stderr).toContain('"Ghost writer": <the role in kontent-dev>');
    }
    expect(diff.stderr).toBe(plan.stderr);
  });
});
