import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCommand } from "../support/test-command.ts";
import { smallWorkflow, tempWorkspace } from "../support/workspace.ts";
import {
  configYaml,
  KONTENT_DEV,
  KONTENT_PROD,
  SECRET_ENV,
  type Servers,
  startServers,
  vendorEnvironments,
} from "./support.ts";

/*
 * Least privilege, read from both simulators' request logs: read-only commands send no write
 * request to any environment; a sync, apply or restore writes only to the environment(s) it was
 * asked to write to, never to its source.
 */

let servers: Servers;
let ws: ReturnType<typeof tempWorkspace>;

beforeAll(async () => {
  servers = await startServers();
  ws = tempWorkspace({
    "workflow-sync.config.yaml": configYaml(vendorEnvironments(servers)),
    "wf/article.json": smallWorkflow({
      states: smallWorkflow().states.map((state) => ({ ...state, roles: [] })),
    }),
    // Role grants travel with the workflows: the Contensis role names are mapped too.
    "to-kontent.yaml":
      "roles:\n  Authors: Contributor\n  Approvers: Reviewer\n  Legal reviewers: Legal\n  Editors-in-chief: Project manager\n" +
      "contentTypes:\n  blogPost: article\n  newsArticle: news\n  pressRelease: product\n  legalNotice: landing_page\n",
  });
});
afterAll(async () => {
  await servers?.close();
  ws?.cleanup();
});

const run = (...argv: string[]) => testCommand(argv, { cwd: ws.root, env: SECRET_ENV });

/** Write requests per environment (Kontent.ai environment id, Contensis project id) since `mark`. */
function writesSince(mark: { kontent: number; contensis: number }) {
  const kontent = servers.kontent
    .requests()
    .slice(mark.kontent)
    .filter((entry) => entry.write);
  const contensis = servers.contensis
    .requests()
    .slice(mark.contensis)
    .filter((entry) => entry.write);
  const count = (
    list: Array<{ environmentId?: string; projectId?: string }>,
    key: "environmentId" | "projectId",
  ) =>
    list.reduce<Record<string, number>>((acc, entry) => {
      const id = entry[key] ?? "(none)";
      acc[id] = (acc[id] ?? 0) + 1;
      return acc;
    }, {});
  return { ...count(kontent, "environmentId"), ...count(contensis, "projectId") };
}
const mark = () => ({
  kontent: servers.kontent.requests().length,
  contensis: servers.contensis.requests().length,
});

describe("read-only commands send no write request", () => {
  const readOnly: string[][] = [
    ["validate", "kontent-dev", "--vendor", "contensis"],
    ["validate", "contensis-prod", "--verbose"],
    ["diff", "kontent-dev", "kontent-prod", "--format", "json"],
    ["diff", "contensis-dev", "contensis-prod", "--detailed-exitcode"],
    ["diff", "kontent-dev", "contensis-dev", "--map", "to-kontent.yaml"],
    ["diff", "wf", "kontent-prod", "--json"],
    ["plan", "kontent-dev", "kontent-prod", "--out", "plans/k.json", "--prune"],
    ["plan", "contensis-dev", "contensis-prod", "--out", "plans/c.json", "--prune", "--accept-loss"],
    ["plan", "wf", "kontent-prod,contensis-prod", "--out", "plans/both.json", "--prune", "--accept-loss"],
    [
      "plan",
      "contensis-dev",
      "kontent-dev",
      "--out",
      "plans/x.json",
      "--map",
      "to-kontent.yaml",
      "--accept-loss",
    ],
    ["export", "kontent-prod", "--out", "exported/k"],
    ["export", "contensis-prod", "--out", "exported/c"],
    ["graph", "kontent-dev"],
    ["graph", "contensis-dev", "--json"],
  ];
  for (const argv of readOnly) {
    it(argv.join(" "), async () => {
      const before = mark();
      const outcome = await run(...argv);
      expect([0, 2], outcome.stderr).toContain(outcome.exitCode);
      expect(writesSince(before)).toEqual({});
      // Both vendors were actually asked (the logs are not empty because nothing ran).
      expect(servers.kontent.requests().length + servers.contensis.requests().length).toBeGreaterThan(
        before.kontent + before.contensis,
      );
    });
  }

  it("convert is offline: no request at all", async () => {
    const before = mark();
    const outcome = await run("convert", "exported/k/editorial_review.yaml", "--to", "contensis");
    expect(outcome.exitCode, outcome.stderr).toBe(0);
    expect(mark()).toEqual(before);
  });

  it("a refused apply (protected target, no confirmation) sends no write", async () => {
    const before = mark();
    const outcome = await run("apply", "plans/k.json", "--yes");
    expect(outcome.exitCode).toBe(4);
    expect(writesSince(before)).toEqual({});
  });
});

describe("writes go only where they were asked to go", () => {
  it("apply of a dev → prod plan writes to prod only", async () => {
    const before = mark();
    const outcome = await run("apply", "plans/k.json", "--yes", "--confirm-env", "kontent-prod");
    expect(outcome.exitCode, outcome.stderr).toBe(0);
    const writes = writesSince(before);
    expect(Object.keys(writes)).toEqual([KONTENT_PROD]);
  });

  it("sync contensis-dev → contensis-prod writes to website-prod only", async () => {
    const before = mark();
    const outcome = await run("sync", "contensis-dev", "contensis-prod", "--yes", "--prune", "--accept-loss");
    expect(outcome.exitCode, outcome.stderr).toBe(0);
    expect(Object.keys(writesSince(before))).toEqual(["website-prod"]);
  });

  it("sync kontent-dev → contensis-dev (across vendors) writes to website-dev only, nothing to Kontent.ai", async () => {
    const before = mark();
    const outcome = await run("sync", "kontent-dev", "contensis-dev", "--yes", "--accept-loss");
    expect([0, 1]).toContain(outcome.exitCode);
    const writes = writesSince(before);
    expect(Object.keys(writes).filter((id) => id !== "website-dev")).toEqual([]);
  });

  it("sync of a folder to two targets writes to those two only", async () => {
    const before = mark();
    const outcome = await run("sync", "wf", "kontent-dev,contensis-prod", "--yes", "--accept-loss");
    expect(outcome.exitCode, outcome.stderr).toBe(0);
    expect(Object.keys(writesSince(before)).sort()).toEqual([KONTENT_DEV, "website-prod"].sort());
  });

  it("restore of a prod backup writes to prod only", async () => {
    const backups = readdirSync(ws.path(".workflow-sync/backups")).filter((name) =>
      name.startsWith("kontent-prod-"),
    );
    expect(backups.length).toBeGreaterThan(0);
    const before = mark();
    const outcome = await run(
      "restore",
      `.workflow-sync/backups/${backups[0]}`,
      "--to",
      "kontent-prod",
      "--yes",
      "--confirm-env",
      "kontent-prod",
    );
    expect(outcome.exitCode, outcome.stderr).toBe(0);
    expect(Object.keys(writesSince(before))).toEqual([KONTENT_PROD]);
  });

  it("a transition on website-prod writes to website-prod only", async () => {
    const before = mark();
    const outcome = await run(
      "transition",
      "contensis-prod",
      "--item",
      "7c2a9e10-5b3d-4e8f-a1c2-3d4e5f000003",
      "--language",
      "en-GB",
      "--event",
      "awaitingApproval.decline",
      "--data",
      "message=Needs a source",
      "--yes",
    );
    expect(outcome.exitCode, outcome.stderr).toBe(0);
    expect(writesSince(before)).toEqual({ "website-prod": 1 });
  });
});
