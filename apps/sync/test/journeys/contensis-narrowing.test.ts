import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type ContensisSeed,
  type ContensisSimulator,
  demoSeed,
  startContensisSimulator,
} from "@workflow-sync/contensis-simulator";
import { demoSecrets, newsDeskDefinition } from "@workflow-sync/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";
import { tempWorkspace } from "../support/workspace.ts";

/*
 * A Contensis update that reuses an event id for another move: prod's `review.approve` publishes
 * and Authors may fire it; dev's `review.approve` sends content back to draft and only Approvers
 * may. The grant Authors hold must be taken back BEFORE the new definition is written (else, between
 * the writes, Authors could fire the new `approve`, which neither prod before nor dev allows), and
 * Approvers are granted after it (narrowing.ts). Built CLI against the simulator over HTTP.
 */

const env = demoSecrets("CONTENSIS_CLIENT_ID", "CONTENSIS_CLIENT_SECRET");

function seed(): ContensisSeed {
  const value = demoSeed();
  const grant = (project: string, grants: Record<string, string[]>) => {
    for (const role of value.projects[project]!.roles ?? []) {
      role.permissions.entries![0]!.actions.push(...(grants[role.name as string] ?? []));
    }
  };
  // prod: approve publishes; Authors may approve.
  value.projects["website-prod"]!.workflows = [
    ...(value.projects["website-prod"]!.workflows ?? []),
    newsDeskDefinition("sysWorkflow") as never,
  ];
  grant("website-prod", { Authors: ["newsDesk.draft.submit", "newsDesk.review.approve"] });
  // dev: approve goes back to draft (publish is a new event); only Approvers may approve or publish.
  value.projects["website-dev"]!.workflows = [
    ...(value.projects["website-dev"]!.workflows ?? []),
    newsDeskDefinition("draft", [
      {
        id: "publish",
        name: { "en-GB": "Publish" },
        transitionTo: "sysWorkflow",
        groupId: "main",
        parameters: [],
      },
    ]) as never,
  ];
  grant("website-dev", {
    Authors: ["newsDesk.draft.submit"],
    Approvers: ["newsDesk.review.approve", "newsDesk.review.publish"],
  });
  return value;
}

describe("Contensis: grants taken back before a definition reuses an event id (built CLI against the simulator)", () => {
  let contensis: ContensisSimulator;
  let workspace: ReturnType<typeof tempWorkspace>;
  const cli = (args: string[]) => runCli(args, { cwd: workspace.root, env });

  beforeAll(async () => {
    contensis = await startContensisSimulator({ seed: seed() });
    workspace = tempWorkspace();
    writeFileSync(
      join(workspace.root, "workflow-sync.config.yaml"),
      [
        "environments:",
        ...["contensis-dev:website-dev", "contensis-prod:website-prod"].flatMap((pair) => {
          const [name, project] = pair.split(":");
          return [
            `  ${name}:`,
            "    vendor: contensis",
            `    rootUrl: ${contensis.url}`,
            `    projectId: ${project}`,
            "    clientId: { env: CONTENSIS_CLIENT_ID }",
            "    clientSecret: { env: CONTENSIS_CLIENT_SECRET }",
          ];
        }),
        "",
      ].join("\n"),
    );
  });
  afterAll(async () => {
    await contensis?.close();
    workspace?.cleanup();
  });

  it("takes Authors' approve back before the definition PUT, grants Approvers after it, and converges", async () => {
    const roleId = (name: string) =>
      contensis.state("website-prod").roles.find((role) => role.name === name)!.id;
    const authors = roleId("Authors");
    const approvers = roleId("Approvers");
    const sync = await cli(["sync", "contensis-dev", "contensis-prod", "--workflow", "newsDesk", "--yes"]);
    expect(sync.stderr).not.toMatch(/error/i);
    expect(sync.exitCode).toBe(0);
    const writes = contensis
      .requests()
      .filter((entry) => entry.write && entry.projectId === "website-prod")
      .map((entry) => `${entry.method} ${decodeURIComponent(entry.path)}`);
    const at = (pattern: RegExp) => writes.findIndex((write) => pattern.test(write));
    const definitionPut = at(/^PUT .*\/workflow\/definitions\/newsDesk$/);
    const authorsPut = at(new RegExp(`^PUT .*/security/roles/${authors}$`));
    const approversPut = at(new RegExp(`^PUT .*/security/roles/${approvers}$`));
    expect(definitionPut).toBeGreaterThanOrEqual(0);
    expect(authorsPut).toBeGreaterThanOrEqual(0);
    expect(authorsPut).toBeLessThan(definitionPut);
    expect(approversPut).toBeGreaterThan(definitionPut);
    const holders = (action: string) =>
      contensis
        .state("website-prod")
        .roles.filter((role) =>
          (role.permissions.entries ?? []).some((entry) => entry.actions.includes(action)),
        )
        .map((role) => role.name);
    expect(holders("newsDesk.review.approve")).toEqual(["Approvers"]);
    expect(holders("newsDesk.draft.submit")).toEqual(["Authors"]);

    const diff = await cli([
      "diff",
      "contensis-dev",
      "contensis-prod",
      "--workflow",
      "newsDesk",
      "--detailed-exitcode",
    ]);
    expect(diff.exitCode).toBe(0);
    const count = writes.length;
    expect(
      (await cli(["sync", "contensis-dev", "contensis-prod", "--workflow", "newsDesk", "--yes"])).exitCode,
    ).toBe(0);
    expect(
      contensis.requests().filter((entry) => entry.write && entry.projectId === "website-prod"),
    ).toHaveLength(count);
  });
});
