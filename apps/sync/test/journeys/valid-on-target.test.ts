import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ContensisSimulator, startContensisSimulator } from "@workflow-sync/contensis-simulator";
import { demoSecrets } from "@workflow-sync/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";
import { tempWorkspace } from "../support/workspace.ts";

/*
 * A plan checks every workflow as the target would hold it: one that would be invalid there is
 * refused before anything is written, naming the state and the rule. Kontent.ai's
 * archive-then-restore path has a Contensis form (an event back to the first state, granted to the
 * roles that may both archive and restore), so such a workflow is valid there.
 */

const env = demoSecrets("CONTENSIS_CLIENT_ID", "CONTENSIS_CLIENT_SECRET");

/** Kontent.ai-shaped: "hold" leaves only to Archived; restoring brings content back to draft. */
const ON_HOLD = `key: holdable
name: { en-GB: Holdable }
initial: draft
states:
  - { key: draft, name: { en-GB: Draft }, kind: initial, roles: [Authors, Approvers] }
  - { key: hold, name: { en-GB: On hold }, kind: step, roles: [Approvers, Editors-in-chief] }
  - { key: published, name: { en-GB: Published }, kind: published }
  - { key: archived, name: { en-GB: Archived }, kind: archived }
transitions:
  - { key: published, from: draft, to: published, name: { en-GB: Published } }
  - { key: hold, from: draft, to: hold, name: { en-GB: On hold } }
  - { key: archived, from: hold, to: archived, name: { en-GB: Archived } }
  - { key: unpublish, from: published, to: archived, name: { en-GB: Unpublish }, roles: [Editors-in-chief] }
  - { key: restore, from: archived, to: draft, name: { en-GB: Restore }, roles: [Approvers] }
`;

/** Valid in neutral form, but Contensis has no scheduled state: "draft" would be stuck there. */
const SCHEDULED_ONLY = `key: scheduledOnly
name: { en-GB: Scheduled only }
initial: draft
states:
  - { key: draft, name: { en-GB: Draft }, kind: initial, roles: [Authors] }
  - { key: scheduled, name: { en-GB: Scheduled }, kind: scheduled }
  - { key: published, name: { en-GB: Published }, kind: published }
transitions:
  - { key: schedule, from: draft, to: scheduled, name: { en-GB: Schedule } }
  - { key: go_live, from: scheduled, to: published, name: { en-GB: Go live } }
`;

describe("valid on the target before anything is written (built CLI against the Contensis simulator)", () => {
  let contensis: ContensisSimulator;
  let workspace: ReturnType<typeof tempWorkspace>;
  const cli = (args: string[]) => runCli(args, { cwd: workspace.root, env });
  const writes = () => contensis.requests().filter((entry) => entry.write).length;

  beforeAll(async () => {
    contensis = await startContensisSimulator();
    workspace = tempWorkspace({ "hold/holdable.yaml": ON_HOLD, "scheduled/scheduled.yaml": SCHEDULED_ONLY });
    writeFileSync(
      join(workspace.root, "workflow-sync.config.yaml"),
      [
        "environments:",
        "  contensis-prod:",
        "    vendor: contensis",
        `    rootUrl: ${contensis.url}`,
        "    projectId: website-prod",
        "    clientId: { env: CONTENSIS_CLIENT_ID }",
        "    clientSecret: { env: CONTENSIS_CLIENT_SECRET }",
        "",
      ].join("\n"),
    );
  });
  afterAll(async () => {
    await contensis?.close();
    workspace?.cleanup();
  });

  it("refuses a workflow whose Contensis form would leave a state stuck: exit 1, the state and the rule named, nothing written", async () => {
    const plan = await cli(["plan", "scheduled", "contensis-prod", "--out", "plan.json", "--accept-loss"]);
    expect(plan.exitCode).toBe(1);
    expect(plan.stderr).toContain("would not be valid");
    expect(plan.stderr).toMatch(
      /scheduledOnly\.states: no state has kind "published".*\(no_published_state\)/,
    );
    expect(writes()).toBe(0);
  });

  it("writes Kontent.ai's archive-then-restore path as an event back to the first state, granted to who may both archive and restore", async () => {
    const sync = await cli(["sync", "hold", "contensis-prod", "--yes", "--accept-loss", "--json"]);
    expect(sync.exitCode).toBe(0);
    const stored = contensis
      .state("website-prod")
      .definitions.find((definition) => definition.latest.id === "holdable")!;
    const onHold = stored.latest.states.find((state) => state.id === "hold")!;
    expect(onHold.events.map((event) => [event.id, event.transitionTo])).toEqual([["archived", "draft"]]);
    const roles = contensis.state("website-prod").roles;
    const granted = (action: string) =>
      roles
        .filter((role) => role.permissions.entries?.some((entry) => entry.actions.includes(action)))
        .map((role) => role.name)
        .sort();
    // hold is for Approvers and Editors-in-chief; restoring is for Approvers: only Approvers may do both.
    expect(granted("holdable.hold.archived")).toEqual(["Approvers"]);
    expect(granted("holdable.draft.hold")).toEqual(["Approvers", "Authors"]);
    expect(granted("holdable.sysUnpublish")).toEqual(["Editors-in-chief"]);
    expect(granted("holdable.sysCreate")).toEqual(["Approvers", "Authors"]);
    const validate = await cli(["validate", "contensis-prod"]);
    expect(validate.exitCode).toBe(0);
  });
});
