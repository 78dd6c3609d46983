import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  createContensisClient,
  createDefinition,
  getDefinition,
  publishDefinition,
  updateDefinition,
  WireWorkflowDefinition,
} from "@workflow-sync/adapter-contensis";
import { createKontentClient, type KontentWorkflow } from "@workflow-sync/adapter-kontent";
import { type ContensisSimulator, startContensisSimulator } from "@workflow-sync/contensis-simulator";
import { type KontentSimulator, startKontentSimulator } from "@workflow-sync/kontent-simulator";
import {
  CONTENSIS_DEV,
  DEMO_SECRETS,
  deskDefinition,
  KONTENT_PROD,
  kontentApiKey,
} from "@workflow-sync/test-utils";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { configText, contensisEnvironments, kontentEnvironments } from "../support/demo-config.ts";
import { renamedKontentWorkflow } from "../support/other-clients.ts";
import { runCli } from "../support/run-cli.ts";
import { tempWorkspace } from "../support/workspace.ts";

/*
 * Issue 9, items 2 and 3, through the built CLI against both simulators: a finished plan is
 * finished (applied again it writes nothing, and is refused as stale when the target changed
 * since); a resumed apply refuses when a workflow it has not written yet changed; a person's edit
 * made while an apply runs is never overwritten (each write checks what it replaces first).
 */

let kontent: KontentSimulator;
let contensis: ContensisSimulator;
let workspace: ReturnType<typeof tempWorkspace>;
const cli = (args: string[]) => runCli(args, { cwd: workspace.root, env: DEMO_SECRETS });

beforeAll(async () => {
  kontent = await startKontentSimulator({ rateLimit: false });
  contensis = await startContensisSimulator();
});
afterAll(async () => {
  await kontent?.close();
  await contensis?.close();
});
beforeEach(() => {
  kontent.reset();
  contensis.reset();
  kontent.setFaults(undefined);
  contensis.setFaults(undefined);
  workspace = tempWorkspace();
  writeFileSync(
    join(workspace.root, "workflow-sync.config.yaml"),
    configText(
      // One write at a time, so that a person's edit lands deterministically between two writes
      // (each write is checked whatever the concurrency; the order is what the scenario needs).
      contensisEnvironments(contensis.url, ["concurrency: { writes: 1 }"]),
      kontentEnvironments(kontent.baseUrl),
    ),
  );
});
afterEach(() => {
  kontent.setFaults(undefined);
  contensis.setFaults(undefined);
  workspace?.cleanup();
});

// ------------------------------------------------------------------------------- other clients

/** A person's edit through another client: the workflow's name changes, nothing else. */
async function renameKontentWorkflow(environmentId: string, codename: string, name: string): Promise<void> {
  const client = createKontentClient({
    environmentId,
    apiKey: kontentApiKey(environmentId),
    baseUrl: kontent.baseUrl,
    rateLimit: false,
  });
  const workflow = (await client.listWorkflows()).find((w) => w.codename === codename)!;
  await client.updateWorkflow({ id: workflow.id }, renamedKontentWorkflow(workflow, name));
}

const kontentWorkflow = (environmentId: string, codename: string) =>
  (kontent.state(environmentId).workflows as unknown as KontentWorkflow[]).find(
    (w) => w.codename === codename,
  );

const contensisClient = (projectId: string) =>
  createContensisClient({
    rootUrl: contensis.url,
    projectId,
    clientId: DEMO_SECRETS.CONTENSIS_CLIENT_ID,
    clientSecret: DEMO_SECRETS.CONTENSIS_CLIENT_SECRET,
  });

/** A person's edit through another client: a new version of the definition with another name. */
async function renameContensisDefinition(projectId: string, id: string, name: string): Promise<void> {
  const client = contensisClient(projectId);
  const definition = (await getDefinition(client, id))!;
  await updateDefinition(
    client,
    { ...definition, name: { "en-GB": name } },
    { expectedVersion: definition.version?.versionNo ?? null },
  );
}

async function contensisName(projectId: string, id: string): Promise<string | undefined> {
  return (await getDefinition(contensisClient(projectId), id))?.name["en-GB"];
}

/** Two more published definitions in website-dev, so that a promotion creates before it updates. */
async function addDevDefinitions(): Promise<void> {
  const client = contensisClient(CONTENSIS_DEV);
  for (const id of ["aaDesk", "abDesk"]) {
    await createDefinition(client, WireWorkflowDefinition.parse(deskDefinition(id)));
    await publishDefinition(client, id);
  }
}

const kontentWrites = () =>
  kontent.requests().filter((entry) => entry.write && entry.environmentId === KONTENT_PROD).length;
const contensisWrites = () =>
  contensis.requests().filter((entry) => entry.write && entry.projectId === "website-prod").length;

interface PlanFile {
  targets: Array<{ operations: Array<{ id: string; action: string; workflow: string }> }>;
}
const planOf = () => JSON.parse(readFileSync(workspace.path("plan.json"), "utf8")) as PlanFile;

async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// ------------------------------------------------------------------------------------- item 2

describe("a finished plan is finished (issue 9, item 2)", () => {
  it("Kontent.ai: applied again it writes nothing; after an edit in the target it is refused as stale and the edit stays", async () => {
    expect(
      (await cli(["plan", "kontent-dev", "kontent-prod", "--out", "plan.json", "--prune"])).exitCode,
    ).toBe(0);
    const applied = await cli(["apply", "plan.json", "--yes", "--prune", "--json"]);
    expect(applied.exitCode, applied.stdout).toBe(0);

    kontent.clearRequests();
    const again = await cli(["apply", "plan.json", "--yes", "--prune", "--json"]);
    expect(again.exitCode, again.stdout).toBe(0);
    expect(again.json<{ result: { targets: Array<{ status: string }> } }>().result.targets[0]!.status).toBe(
      "already applied",
    );
    expect(kontentWrites()).toBe(0);

    const updated = planOf().targets[0]!.operations.find((operation) => operation.action === "update")!;
    await renameKontentWorkflow(KONTENT_PROD, updated.workflow, "Edited by a person");
    kontent.clearRequests();
    const stale = await cli(["apply", "plan.json", "--yes", "--prune", "--json"]);
    expect(stale.exitCode, stale.stdout).toBe(4);
    const error = stale.json<{ error: { code: string; message: string; suggestions: string[] } }>().error;
    expect(error.code).toBe("stale_plan");
    expect(error.message).toContain(updated.workflow);
    expect(error.suggestions.join(" ")).toContain("workflow-sync plan kontent-dev kontent-prod");
    expect(kontentWrites()).toBe(0);
    expect(kontentWorkflow(KONTENT_PROD, updated.workflow)?.name).toBe("Edited by a person");
  });

  it("Contensis: applied again it writes nothing; after an edit in the target it is refused as stale and the edit stays", async () => {
    expect((await cli(["plan", "contensis-dev", "contensis-prod", "--out", "plan.json"])).exitCode).toBe(0);
    const updated = planOf().targets[0]!.operations.find((operation) => operation.action === "update")!;
    expect((await cli(["apply", "plan.json", "--yes", "--json"])).exitCode).toBe(0);

    contensis.clearRequests();
    const again = await cli(["apply", "plan.json", "--yes", "--json"]);
    expect(again.exitCode, again.stdout).toBe(0);
    expect(again.stdout).toContain('"already applied"');
    expect(contensisWrites()).toBe(0);

    await renameContensisDefinition("website-prod", updated.workflow, "Edited by a person");
    contensis.clearRequests();
    const stale = await cli(["apply", "plan.json", "--yes", "--json"]);
    expect(stale.exitCode, stale.stdout).toBe(4);
    expect(stale.json<{ error: { code: string } }>().error.code).toBe("stale_plan");
    expect(contensisWrites()).toBe(0);
    expect(await contensisName("website-prod", updated.workflow)).toBe("Edited by a person");
  });

  it("an interrupted apply does not resume over a workflow that changed before it was written", async () => {
    expect((await cli(["plan", "kontent-dev", "kontent-prod", "--out", "plan.json"])).exitCode).toBe(0);
    const updates = planOf().targets[0]!.operations.filter((operation) => operation.action === "update");
    expect(updates.length).toBeGreaterThanOrEqual(2);
    // Every PUT fails (5xx): the create lands, the first update never does.
    kontent.setFaults({ script: [{ method: "PUT", path: "/workflows/", kind: "5xx", times: 100 }] });
    const failed = await cli(["apply", "plan.json", "--yes", "--json"]);
    expect(failed.exitCode, failed.stdout).toBe(1);
    kontent.setFaults(undefined);

    const later = updates[updates.length - 1]!;
    await renameKontentWorkflow(KONTENT_PROD, later.workflow, "Edited by a person");
    kontent.clearRequests();
    const resumed = await cli(["apply", "plan.json", "--yes", "--json"]);
    expect(resumed.exitCode, resumed.stdout).toBe(4);
    const error = resumed.json<{ error: { code: string; message: string } }>().error;
    expect(error.code).toBe("stale_plan");
    expect(error.message).toContain(later.workflow);
    expect(kontentWrites()).toBe(0);
    expect(kontentWorkflow(KONTENT_PROD, later.workflow)?.name).toBe("Edited by a person");
  });
});

// ------------------------------------------------------------------------------------- item 3

describe("every write checks what it replaces (issue 9, item 3)", () => {
  it("Kontent.ai: an edit made while the apply runs is not overwritten; the apply stops with exit 4", async () => {
    expect(
      (await cli(["plan", "kontent-dev", "kontent-prod", "--out", "plan.json", "--prune"])).exitCode,
    ).toBe(0);
    const operations = planOf().targets[0]!.operations;
    expect(operations[0]!.action).toBe("create");
    expect(operations.at(-1)!.action).toBe("delete");
    const victim = operations.filter((operation) => operation.action === "update").at(-1)!;
    // The create lands at once, its answer comes 1.5 s later: the edit is made in between.
    kontent.setFaults({ script: [{ method: "POST", path: "/workflows$", kind: "slow" }], slowMs: 1500 });
    const apply = cli(["apply", "plan.json", "--yes", "--prune", "--json"]);
    await waitFor(() => kontentWorkflow(KONTENT_PROD, operations[0]!.workflow) !== undefined, "the create");
    await renameKontentWorkflow(KONTENT_PROD, victim.workflow, "Edited by a person");
    const run = await apply;

    expect(run.exitCode, run.stdout).toBe(4);
    const error = run.json<{ error: { code: string; message: string; suggestions: string[] } }>().error;
    expect(error.code).toBe("stale_write");
    expect(error.message).toContain(victim.workflow);
    expect(error.suggestions.join(" ")).toContain("workflow-sync plan kontent-dev kontent-prod");
    expect(kontentWorkflow(KONTENT_PROD, victim.workflow)?.name).toBe("Edited by a person");
    // The refused write was never sent (the only PUT to that workflow is the person's), nor
    // anything after it (the deletes).
    const id = kontentWorkflow(KONTENT_PROD, victim.workflow)!.id;
    const writes = kontent.requests().filter((entry) => entry.write && entry.environmentId === KONTENT_PROD);
    expect(writes.filter((entry) => entry.path.endsWith(`/workflows/${id}`))).toHaveLength(1);
    expect(writes.filter((entry) => entry.method === "DELETE")).toEqual([]);
  });

  it("Contensis: an edit made while the apply runs is not overwritten (409 on the planned version); exit 4", async () => {
    await addDevDefinitions();
    expect((await cli(["plan", "contensis-dev", "contensis-prod", "--out", "plan.json"])).exitCode).toBe(0);
    const operations = planOf().targets[0]!.operations;
    expect(operations[0]!.action).toBe("create");
    const victim = operations.find((operation) => operation.action === "update")!;
    contensis.setFaults({
      script: [{ method: "POST", path: "/workflow/definitions/?$", kind: "slow" }],
      slowMs: 1500,
    });
    const apply = cli(["apply", "plan.json", "--yes", "--json"]);
    await waitFor(
      async () =>
        (await getDefinition(contensisClient("website-prod"), operations[0]!.workflow)) !== undefined,
      "the create",
    );
    await renameContensisDefinition("website-prod", victim.workflow, "Edited by a person");
    const run = await apply;

    expect(run.exitCode, run.stdout).toBe(4);
    const error = run.json<{ error: { code: string; message: string } }>().error;
    expect(error.code).toBe("stale_write");
    expect(error.message).toContain(victim.workflow);
    expect(await contensisName("website-prod", victim.workflow)).toBe("Edited by a person");
  });
});
