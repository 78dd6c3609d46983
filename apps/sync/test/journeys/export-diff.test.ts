import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ContensisSimulator, startContensisSimulator } from "@workflow-sync/contensis-simulator";
import { type KontentSimulator, startKontentSimulator } from "@workflow-sync/kontent-simulator";
import { demoSecrets, KONTENT_DEV } from "@workflow-sync/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configText, contensisEnvironments, kontentEnvironment } from "../support/demo-config.ts";
import { runCli } from "../support/run-cli.ts";
import { tempWorkspace } from "../support/workspace.ts";

/*
 * Issue 12, item 4: a CI drift check is green right after an export. For both vendors, `export E
 * --out repo` then `diff repo E --detailed-exitcode` exits 0 and `sync repo E` writes nothing
 * (system definitions, `format: null` versus absent, typed fields…).
 */

const env = demoSecrets("KONTENT_DEV_API_KEY", "CONTENSIS_CLIENT_ID", "CONTENSIS_CLIENT_SECRET");

describe("export, then diff and sync against the same environment: clean", () => {
  let kontent: KontentSimulator;
  let contensis: ContensisSimulator;
  let workspace: ReturnType<typeof tempWorkspace>;
  const cli = (args: string[]) => runCli(args, { cwd: workspace.root, env });

  beforeAll(async () => {
    kontent = await startKontentSimulator({ rateLimit: false });
    contensis = await startContensisSimulator();
    workspace = tempWorkspace({});
    writeFileSync(
      join(workspace.root, "workflow-sync.config.yaml"),
      configText(
        contensisEnvironments(contensis.url),
        kontentEnvironment("kontent-dev", KONTENT_DEV, "KONTENT_DEV_API_KEY", kontent.baseUrl),
      ),
    );
  });
  afterAll(async () => {
    await kontent?.close();
    await contensis?.close();
    workspace?.cleanup();
  });

  const writes = () =>
    contensis.requests().filter((entry) => entry.write).length +
    kontent.requests().filter((entry) => entry.write).length;

  // (website-dev holds a definition whose latest version is an unpublished draft: a sync publishes
  // it, as an unfinished write. website-prod is fully published.)
  it.each(["contensis-prod", "kontent-dev"])("%s", async (name) => {
    const exported = await cli(["export", name, "--out", `repo-${name}`]);
    // (read losses, e.g. role grants narrower than the neutral model says, are reported on stderr)
    expect(exported.exitCode).toBe(0);
    const diff = await cli(["diff", `repo-${name}`, name, "--detailed-exitcode"]);
    expect(diff.stdout).toContain("No changes");
    expect(diff.exitCode).toBe(0);
    const before = writes();
    const sync = await cli(["sync", `repo-${name}`, name, "--yes"]);
    expect(sync.exitCode).toBe(0);
    expect(writes()).toBe(before);
    const plan = await cli(["plan", `repo-${name}`, name, "--out", `plan-${name}.json`, "--json"]);
    expect(plan.exitCode).toBe(0);
    const operations = JSON.parse(readFileSync(join(workspace.root, `plan-${name}.json`), "utf8")).targets[0]
      .operations;
    expect(operations).toEqual([]);
  });

  it("contensis-dev (system definitions exported with the rest, format: null): diff exits 0", async () => {
    expect((await cli(["export", "contensis-dev", "--out", "repo-dev"])).exitCode).toBe(0);
    const diff = await cli(["diff", "repo-dev", "contensis-dev", "--detailed-exitcode"]);
    expect(diff.stdout).toContain("No changes");
    expect(diff.exitCode).toBe(0);
  });

  it("two workflows scoping one content type (different Kontent.ai collections) → Contensis: an error naming both, nothing written", async () => {
    const workflow = (key: string, collection: string) => ({
      key,
      name: { "en-US": key },
      scope: { contentTypes: ["blogPost"], collections: [collection] },
      initial: "draft",
      states: [
        { key: "draft", name: { "en-US": "Draft" }, kind: "initial" },
        { key: "published", name: { "en-US": "Published" }, kind: "published" },
      ],
      transitions: [{ key: "publish", from: "draft", to: "published", name: { "en-US": "Publish" } }],
    });
    workspace.write("overlap/a.json", workflow("blogMarketing", "marketing"));
    workspace.write("overlap/b.json", workflow("blogLegal", "legal"));
    const before = writes();
    const sync = await cli(["sync", "overlap", "contensis-prod", "--yes", "--accept-loss"]);
    expect(sync.exitCode).toBe(1);
    expect(sync.stderr).toMatch(/content type "blogPost" is in the scope of "blogMarketing" and "blogLegal"/);
    expect(writes()).toBe(before);
  });
});
