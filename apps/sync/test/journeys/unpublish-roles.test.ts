import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type ContensisSeed,
  type ContensisSimulator,
  demoSeed,
  startContensisSimulator,
} from "@workflow-sync/contensis-simulator";
import { type KontentSimulator, startKontentSimulator } from "@workflow-sync/kontent-simulator";
import {
  CONTENSIS_TO_KONTENT,
  demoSecrets,
  KONTENT_PROD,
  KONTENT_TO_CONTENSIS,
  newsDeskDefinition,
} from "@workflow-sync/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";
import { tempWorkspace } from "../support/workspace.ts";

/*
 * Who may unpublish travels across vendors (docs/mapping-decisions.md, "Who may unpublish"):
 * Contensis `{workflowId}.sysUnpublish` grants become Kontent.ai `published_step.unpublish_role_ids`
 * and come back as `sysUnpublish` grants, never opened to every role. Built CLI against both
 * simulators over HTTP.
 */

const env = demoSecrets("KONTENT_PROD_API_KEY", "CONTENSIS_CLIENT_ID", "CONTENSIS_CLIENT_SECRET");

/** draft → review → published; only Editors-in-chief may unpublish. */
const NEWS_DESK = newsDeskDefinition();

function seed(): ContensisSeed {
  const value = demoSeed();
  const dev = value.projects["website-dev"]!;
  dev.workflows = [...(dev.workflows ?? []), NEWS_DESK as never];
  for (const role of dev.roles ?? []) {
    if (role.name === "Authors") role.permissions.entries![0]!.actions.push("newsDesk.draft.submit");
    if (role.name === "Approvers") role.permissions.entries![0]!.actions.push("newsDesk.review.approve");
    if (role.name === "Editors-in-chief") role.permissions.entries![0]!.actions.push("newsDesk.sysUnpublish");
  }
  return value;
}

describe("who may unpublish travels Contensis → Kontent.ai → Contensis (built CLI against the simulators)", () => {
  let kontent: KontentSimulator;
  let contensis: ContensisSimulator;
  let workspace: ReturnType<typeof tempWorkspace>;
  const cli = (args: string[]) => runCli(args, { cwd: workspace.root, env });

  beforeAll(async () => {
    kontent = await startKontentSimulator({ rateLimit: false });
    contensis = await startContensisSimulator({ seed: seed() });
    workspace = tempWorkspace({
      "to-kontent.yaml": CONTENSIS_TO_KONTENT,
      "to-contensis.yaml": KONTENT_TO_CONTENSIS,
    });
    const contensisEnv = (name: string, project: string) => [
      `  ${name}:`,
      "    vendor: contensis",
      `    rootUrl: ${contensis.url}`,
      `    projectId: ${project}`,
      "    clientId: { env: CONTENSIS_CLIENT_ID }",
      "    clientSecret: { env: CONTENSIS_CLIENT_SECRET }",
    ];
    writeFileSync(
      join(workspace.root, "workflow-sync.config.yaml"),
      [
        "environments:",
        ...contensisEnv("contensis-dev", "website-dev"),
        ...contensisEnv("contensis-prod", "website-prod"),
        "  kontent-prod:",
        "    vendor: kontent",
        `    environmentId: ${KONTENT_PROD}`,
        "    apiKey: { env: KONTENT_PROD_API_KEY }",
        `    baseUrl: ${kontent.baseUrl}`,
        "",
      ].join("\n"),
    );
  });
  afterAll(async () => {
    await kontent?.close();
    await contensis?.close();
    workspace?.cleanup();
  });

  it("sysUnpublish grants become unpublish_role_ids, converge, and come back as sysUnpublish grants", async () => {
    const toKontent = [
      "sync",
      "contensis-dev",
      "kontent-prod",
      "--map",
      "to-kontent.yaml",
      "--workflow",
      "newsDesk",
      "--yes",
      "--accept-loss",
    ];
    const synced = await cli(toKontent);
    expect(synced.stderr).not.toContain("error");
    expect(synced.exitCode).toBe(0);
    const state = kontent.state(KONTENT_PROD);
    const workflow = state.workflows.find((candidate) => candidate.name === "News desk")!;
    expect(workflow).toBeDefined();
    const roleId = (name: string) => state.roles.find((role) => role.name === name)!.id;
    // Editors-in-chief → Project manager (--map): only that role may unpublish, not every role ([]).
    expect(workflow.published_step.unpublish_role_ids).toEqual([roleId("Project manager")]);

    // A second sync writes nothing (the unpublish roles compare equal).
    const writes = () => kontent.requests().filter((entry) => entry.write).length;
    const before = writes();
    expect((await cli(toKontent)).exitCode).toBe(0);
    expect(writes()).toBe(before);

    // Back to Contensis: Project manager → Editors-in-chief holds `<id>.sysUnpublish`, nobody else.
    const toContensis = [
      "sync",
      "kontent-prod",
      "contensis-prod",
      "--map",
      "to-contensis.yaml",
      "--workflow",
      workflow.codename,
      "--yes",
      "--accept-loss",
    ];
    expect((await cli(toContensis)).exitCode).toBe(0);
    const contensisWrites = () =>
      contensis.requests().filter((entry) => entry.write && entry.projectId === "website-prod").length;
    const written = contensisWrites();
    expect(written).toBeGreaterThan(0);
    // And converges there too: a second sync writes nothing.
    expect((await cli(toContensis)).exitCode).toBe(0);
    expect(contensisWrites()).toBe(written);
    const prod = contensis.state("website-prod");
    const definition = prod.definitions.find((stored) =>
      Object.values(stored.latest.name).includes("News desk"),
    )!;
    expect(definition).toBeDefined();
    const unpublish = `${definition.latest.id}.sysUnpublish`;
    const holders = prod.roles
      .filter((role) => (role.permissions.entries ?? []).some((entry) => entry.actions.includes(unpublish)))
      .map((role) => role.name);
    expect(holders).toEqual(["Editors-in-chief"]);
  });
});
