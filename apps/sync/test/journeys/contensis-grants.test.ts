import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type ContensisSeed,
  type ContensisSimulator,
  demoSeed,
  type Role,
  startContensisSimulator,
} from "@workflow-sync/contensis-simulator";
import { demoSecrets, newsDeskDefinition } from "@workflow-sync/test-utils";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";
import { tempWorkspace } from "../support/workspace.ts";

/*
 * Contensis workflow permissions travel with the workflow: a new workflow promoted from
 * website-dev to website-prod gets its role grants written (only its own action strings change),
 * the plan shows each role write, the backup holds the roles, restore puts them back, a role that
 * changed since the plan is refused (exit 4), missing roles are listed at once, and `roleGrants:
 * report` writes no role. Built CLI against the Contensis simulator over HTTP.
 */

const env = demoSecrets("CONTENSIS_CLIENT_ID", "CONTENSIS_CLIENT_SECRET");

/** A new workflow in dev: draft → review → published, back to draft. */
const NEWS_DESK = newsDeskDefinition("sysWorkflow", [
  { id: "reject", name: { "en-GB": "Reject" }, transitionTo: "draft", groupId: "main", parameters: [] },
]);

function withNewsDesk(extraDevRole?: Role): ContensisSeed {
  const seed = demoSeed();
  const dev = seed.projects["website-dev"]!;
  dev.workflows = [...(dev.workflows ?? []), NEWS_DESK as never];
  for (const role of dev.roles ?? []) {
    if (role.name === "Authors") {
      role.permissions.entries = [
        ...(role.permissions.entries ?? []),
        {
          id: "pressRelease",
          languages: ["en-GB"],
          actions: ["newsDesk.sysCreate", "newsDesk.draft.submit"],
        },
      ];
    }
    if (role.name === "Approvers") role.permissions.entries![0]!.actions.push("newsDesk.review.*");
    if (role.name === "Editors-in-chief") role.permissions.entries![0]!.actions.push("newsDesk.sysUnpublish");
  }
  if (extraDevRole) dev.roles = [...(dev.roles ?? []), extraDevRole];
  return seed;
}

/** A role without this workflow's action strings (what must stay exactly as it was). */
function withoutNewsDesk(role: Role): unknown {
  return {
    ...role,
    permissions: {
      ...role.permissions,
      entries: (role.permissions.entries ?? [])
        .map((entry) => ({
          ...entry,
          actions: entry.actions.filter((action) => !action.startsWith("newsDesk.")),
        }))
        .filter((entry) => entry.actions.length > 0),
    },
  };
}

describe("Contensis role grants are written with the workflow (built CLI against the simulator)", () => {
  let contensis: ContensisSimulator;
  let workspace: ReturnType<typeof tempWorkspace>;
  const cli = (args: string[]) => runCli(args, { cwd: workspace.root, env });
  const roleWrites = () =>
    contensis
      .requests()
      .filter(
        (entry) => entry.write && entry.projectId === "website-prod" && /security\/roles/i.test(entry.path),
      );
  const prodRoles = () => contensis.state("website-prod").roles;
  const config = (prodMode?: "report") =>
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
            ...(name === "contensis-prod" && prodMode ? [`    roleGrants: ${prodMode}`] : []),
          ];
        }),
        "",
      ].join("\n"),
    );

  beforeAll(async () => {
    contensis = await startContensisSimulator({ seed: withNewsDesk() });
  });
  beforeEach(() => {
    contensis.reset(withNewsDesk());
    workspace?.cleanup();
    workspace = tempWorkspace();
    config();
  });
  afterAll(async () => {
    await contensis?.close();
    workspace?.cleanup();
  });

  it("promotes a new workflow with its grants: plan shows each role write, nothing else in a role changes, diff is then empty, a second sync writes nothing, restore puts the roles back", async () => {
    const original = prodRoles();
    expect((await cli(["diff", "contensis-dev", "contensis-prod", "--detailed-exitcode"])).exitCode).toBe(2);

    const plan = await cli(["plan", "contensis-dev", "contensis-prod", "--out", "plan.json"]);
    expect(plan.exitCode).toBe(0);
    // Not a lossy plan: the grants are written, not lost.
    expect(plan.stdout).not.toContain("role_granularity");
    expect(plan.stdout).toMatch(
      /~ update role "Approvers": grant newsDesk\.review\.approve, newsDesk\.review\.reject/,
    );
    expect(plan.stdout).toMatch(
      /~ update role "Authors": grant newsDesk\.draft\.submit \[content types pressRelease; languages en-GB\], newsDesk\.sysCreate \[content types pressRelease; languages en-GB\]/,
    );
    expect(plan.stdout).toContain("3 role(s) to update");
    const planned = JSON.parse(readFileSync(join(workspace.root, "plan.json"), "utf8"));
    const permissions = planned.targets[0].operations.find(
      (op: { action: string }) => op.action === "permissions",
    );
    expect(permissions.requests).toHaveLength(3);
    for (const request of permissions.requests) {
      expect(request.method).toBe("PUT");
      expect(request.path).toMatch(/^\/security\/roles\//);
      // before: the role as read; after (body): the same role with only newsDesk actions added
      expect(original).toContainEqual(request.before);
      expect(withoutNewsDesk(request.body)).toEqual(withoutNewsDesk(request.before));
    }

    const applied = await cli(["apply", "plan.json", "--yes"]);
    expect(applied.stderr).toContain("permissions (roles)");
    expect(applied.exitCode).toBe(0);
    expect(roleWrites()).toHaveLength(3);
    const after = prodRoles();
    // Every other permission of every role is as it was.
    expect(after.map(withoutNewsDesk)).toEqual(original.map(withoutNewsDesk));
    const authors = after.find((role) => role.name === "Authors")!;
    expect(authors.permissions.entries).toContainEqual({
      id: "pressRelease",
      languages: ["en-GB"],
      actions: ["newsDesk.draft.submit", "newsDesk.sysCreate"],
    });

    const diff = await cli(["diff", "contensis-dev", "contensis-prod", "--detailed-exitcode"]);
    expect(diff.stdout).toContain("No changes");
    expect(diff.exitCode).toBe(0);
    const again = await cli(["sync", "contensis-dev", "contensis-prod", "--yes"]);
    expect(again.exitCode).toBe(0);
    expect(roleWrites()).toHaveLength(3);

    // The backup holds the roles; restore gives them back exactly.
    const folder = join(workspace.root, ".workflow-sync", "backups");
    const file = readdirSync(folder, { recursive: true, encoding: "utf8" }).find((name) =>
      name.endsWith(".json"),
    )!;
    const backup = JSON.parse(readFileSync(join(folder, file), "utf8"));
    expect(backup.native.roles).toEqual(original);
    const restored = await cli(["restore", join(folder, file), "--to", "contensis-prod", "--yes"]);
    expect(restored.stderr).toContain("permissions (roles)");
    expect(restored.exitCode).toBe(0);
    expect(prodRoles()).toEqual(original);
  });

  it("refuses a role write when the role changed since the plan (exit 4), without writing it", async () => {
    expect((await cli(["plan", "contensis-dev", "contensis-prod", "--out", "plan.json"])).exitCode).toBe(0);
    // Someone edits Approvers in prod (outside any workflow: the workflows' fingerprints stay the same).
    const token = await fetch(`${contensis.url}/authenticate/connect/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: env.CONTENSIS_CLIENT_ID,
        client_secret: env.CONTENSIS_CLIENT_SECRET,
        scope: "Security_Administrator",
      }),
    }).then((response) => response.json() as Promise<{ access_token: string }>);
    const approvers = prodRoles().find((role) => role.name === "Approvers")!;
    const put = await fetch(
      `${contensis.url}/api/management/projects/website-prod/security/roles/${approvers.id}`,
      {
        method: "PUT",
        headers: { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" },
        body: JSON.stringify({ ...approvers, description: "edited by hand" }),
      },
    );
    expect(put.status).toBe(200);

    const applied = await cli(["apply", "plan.json", "--yes"]);
    expect(applied.exitCode).toBe(4);
    expect(applied.stderr).toContain('role "Approvers"');
    expect(applied.stderr).toContain("changed since the plan was made");
    // Only the hand edit reached Approvers: the planned PUT was not sent.
    expect(roleWrites().filter((entry) => entry.path.endsWith(approvers.id))).toHaveLength(1);
    expect(prodRoles().find((role) => role.id === approvers.id)?.description).toBe("edited by hand");
    expect(
      prodRoles()
        .find((role) => role.id === approvers.id)
        ?.permissions.entries?.flatMap((entry) => entry.actions)
        .some((action) => action.startsWith("newsDesk.")),
    ).toBe(false);
  });

  it("lists every role missing in the target at once, and writes nothing", async () => {
    const extra = (id: string, name: string): Role => ({
      id,
      name,
      enabled: true,
      permissions: { entries: [{ id: "*", languages: ["*"], actions: ["newsDesk.review.approve"] }] },
      assignments: {},
    });
    const seed = withNewsDesk(extra("9d7e0000-0000-4000-8000-000000000001", "Night editors"));
    seed.projects["website-dev"]!.roles!.push(extra("9d7e0000-0000-4000-8000-000000000002", "Fact checkers"));
    contensis.reset(seed);
    const plan = await cli(["plan", "contensis-dev", "contensis-prod", "--out", "plan.json"]);
    expect(plan.exitCode).toBe(1);
    expect(plan.stderr).toContain("role: Fact checkers, Night editors");
    expect(contensis.requests().filter((entry) => entry.write)).toHaveLength(0);
  });

  it("roleGrants: report writes no role, reports the differences as warnings (not losses) and needs no --accept-loss", async () => {
    config("report");
    const original = prodRoles();
    const sync = await cli(["sync", "contensis-dev", "contensis-prod", "--yes"]);
    expect(sync.exitCode, sync.stderr).toBe(0);
    expect(sync.stdout).toMatch(
      /warning: \(roles\)\.roles\.Approvers: role "Approvers" is not written \(roleGrants: report\)/,
    );
    expect(sync.stdout).not.toContain("loss");
    expect(roleWrites()).toHaveLength(0);
    expect(prodRoles()).toEqual(original);
    expect(
      contensis.state("website-prod").definitions.some((stored) => stored.latest.id === "newsDesk"),
    ).toBe(true);
  });
});
