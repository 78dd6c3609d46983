import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  createContensisClient,
  createDefinition,
  getDefinition,
  publishDefinition,
  updateDefinition,
  WireWorkflowDefinition,
} from "@workflow-sync/adapter-contensis";
import { type ContensisSimulator, startContensisSimulator } from "@workflow-sync/contensis-simulator";
import { CONTENSIS_DEV, CONTENSIS_PROD, DEMO_SECRETS, deskDefinition } from "@workflow-sync/test-utils";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { configText, contensisEnvironments } from "../../test/support/demo-config.ts";
import { testCommand } from "../../test/support/test-command.ts";
import { tempWorkspace } from "../../test/support/workspace.ts";

/*
 * The apply journal with several writes in flight (issue 14, item 6), against the Contensis
 * simulator: the journal names every request in flight; a resume holds each of them to neither
 * "as the plan saw it" nor "as written" (it may have landed or not) and still refuses an edit to a
 * workflow that was not in flight; a journal of the earlier shape (one request in flight, an
 * object) still resumes; an edit that lands on a write in flight is a stale write (exit 4).
 */

let contensis: ContensisSimulator;
let workspace: ReturnType<typeof tempWorkspace>;

beforeAll(async () => {
  contensis = await startContensisSimulator();
});
afterAll(async () => {
  await contensis?.close();
});
beforeEach(() => {
  contensis.reset();
  contensis.setFaults(undefined);
});
afterEach(() => {
  contensis.setFaults(undefined);
  workspace?.cleanup();
});

/** `writes`: the config's Contensis write concurrency (undefined: the default). */
function useWorkspace(writes: number | undefined): void {
  workspace = tempWorkspace({
    "workflow-sync.config.yaml": configText(
      contensisEnvironments(contensis.url, writes ? [`concurrency: { writes: ${writes} }`] : []),
    ),
  });
}

const cli = (...argv: string[]) => testCommand(argv, { cwd: workspace.root, env: DEMO_SECRETS });

const client = (projectId: string) =>
  createContensisClient({
    rootUrl: contensis.url,
    projectId,
    clientId: DEMO_SECRETS.CONTENSIS_CLIENT_ID,
    clientSecret: DEMO_SECRETS.CONTENSIS_CLIENT_SECRET,
  });

/** Two more published definitions in website-dev, so that the promotion creates before it updates. */
async function addDevDefinitions(): Promise<void> {
  for (const id of ["aaDesk", "abDesk"]) {
    await createDefinition(client(CONTENSIS_DEV), WireWorkflowDefinition.parse(deskDefinition(id)));
    await publishDefinition(client(CONTENSIS_DEV), id);
  }
}

/** A person's edit through another client: a new version with another name, published. */
async function renameAndPublish(id: string, name: string): Promise<void> {
  const latest = (await getDefinition(client(CONTENSIS_PROD), id))!;
  const edited = await updateDefinition(
    client(CONTENSIS_PROD),
    { ...latest, name: { "en-GB": name } },
    { expectedVersion: latest.version?.versionNo ?? null },
  );
  await publishDefinition(client(CONTENSIS_PROD), id, edited.version?.versionNo ?? null);
}

const latestName = async (id: string) => (await getDefinition(client(CONTENSIS_PROD), id))?.name["en-GB"];
/** The latest version number the simulator holds (a write applied shows here before it is answered). */
const latestVersionNo = (id: string) =>
  (
    contensis.state(CONTENSIS_PROD) as unknown as {
      definitions: Array<{ id: string; latest: { version: { versionNo: string } } }>;
    }
  ).definitions.find((definition) => definition.id === id)?.latest.version.versionNo;
const prodWrites = () =>
  contensis.requests().filter((entry) => entry.write && entry.projectId === CONTENSIS_PROD).length;

interface Operation {
  id: string;
  action: string;
  workflow: string;
}
const operationsOf = () =>
  (
    JSON.parse(readFileSync(workspace.path("plan.json"), "utf8")) as {
      targets: Array<{ operations: Operation[] }>;
    }
  ).targets[0]!.operations;

interface JournalFile {
  formatVersion: number;
  completed: string[];
  inflight?: unknown;
  finishedAt?: string;
}
const journalPath = () => {
  const dir = workspace.path(".workflow-sync/journals");
  return join(dir, readdirSync(dir).find((name) => name.endsWith(".json"))!);
};
const readJournal = () => JSON.parse(readFileSync(journalPath(), "utf8")) as JournalFile;

/**
 * An apply stopped with two operations in flight: one that landed (its completion not recorded,
 * as when several writes overlap and the process dies) and one that did not. Made from a real
 * apply whose updates all fail (5xx, never applied): the creates land, the first update does not.
 */
async function stoppedWithTwoInFlight(): Promise<{ landed: Operation; notLanded: Operation }> {
  await addDevDefinitions();
  expect((await cli("plan", "contensis-dev", "contensis-prod", "--out", "plan.json")).exitCode).toBe(0);
  contensis.setFaults({
    script: [{ method: "PUT", path: "/workflow/definitions/", kind: "5xx", times: 100 }],
  });
  const failed = await cli("apply", "plan.json", "--yes", "--json");
  expect(failed.exitCode, failed.stdout).toBe(1);
  contensis.setFaults(undefined);

  const operations = operationsOf();
  const journal = readJournal();
  const landed = operations.find((operation) => operation.id === "abDesk:create")!;
  expect(journal.completed).toContain(landed.id);
  expect(journal.inflight).toHaveLength(1);
  const [notLanded] = journal.inflight as Array<{ operation: string; request: number }>;
  expect(operations.find((operation) => operation.id === notLanded!.operation)?.action).toBe("update");
  writeFileSync(
    journalPath(),
    JSON.stringify({
      ...journal,
      completed: journal.completed.filter((id) => id !== landed.id),
      inflight: [notLanded, { operation: landed.id, request: 1 }],
    }),
  );
  return { landed, notLanded: operations.find((operation) => operation.id === notLanded!.operation)! };
}

describe("resuming an apply that stopped with several writes in flight", () => {
  it("one landed and one not: the resume re-plans both and converges (its own landed write is not stale)", async () => {
    useWorkspace(4);
    const { landed, notLanded } = await stoppedWithTwoInFlight();

    const resumed = await cli("apply", "plan.json", "--yes", "--json");
    expect(resumed.exitCode, resumed.stdout).toBe(0);
    const target = resumed.json<{ result: { targets: Array<{ status: string; operations: Operation[] }> } }>()
      .result.targets[0]!;
    expect(target.status).toBe("resumed");
    const rewritten = target.operations.map((operation) => operation.workflow);
    expect(rewritten).toContain(notLanded.workflow); // not assumed done
    expect(rewritten).not.toContain(landed.workflow); // it landed: nothing left to write
    expect(readJournal().finishedAt).toBeDefined();
    expect(readJournal().completed).toEqual(expect.arrayContaining([landed.id, notLanded.id]));
    const diff = await cli("diff", "contensis-dev", "contensis-prod", "--detailed-exitcode");
    expect(diff.exitCode, diff.stdout).toBe(0);
  });

  it("an edit to a workflow whose operation was not in flight (done, or not started) is still refused (exit 4)", async () => {
    useWorkspace(4);
    const { landed, notLanded } = await stoppedWithTwoInFlight();
    // As if the update had not started: only the landed create is in flight.
    writeFileSync(
      journalPath(),
      JSON.stringify({ ...readJournal(), inflight: [{ operation: landed.id, request: 1 }] }),
    );
    const done = operationsOf().find((operation) => readJournal().completed.includes(operation.id))!;
    expect(done.id).toBe("aaDesk:create");
    await renameAndPublish(done.workflow, "Edited by a person");
    await renameAndPublish(notLanded.workflow, "Edited by a person");
    contensis.clearRequests();

    const refused = await cli("apply", "plan.json", "--yes", "--json");
    expect(refused.exitCode, refused.stdout).toBe(4);
    const error = refused.json<{ error: { code: string; message: string } }>().error;
    expect(error.code).toBe("stale_plan");
    expect(error.message).toContain(`(${[done.workflow, notLanded.workflow].sort().join(", ")})`);
    expect(prodWrites()).toBe(0);
    expect(await latestName(done.workflow)).toBe("Edited by a person");
    expect(await latestName(notLanded.workflow)).toBe("Edited by a person");
  });

  it("a resume that stops again: the landed one is recorded done, the other named once, still in flight", async () => {
    useWorkspace(4);
    const { landed, notLanded } = await stoppedWithTwoInFlight();
    contensis.setFaults({
      script: [{ method: "PUT", path: "/workflow/definitions/", kind: "5xx", times: 100 }],
    });
    const failed = await cli("apply", "plan.json", "--yes", "--json");
    expect(failed.exitCode, failed.stdout).toBe(1);
    expect(readJournal().completed).toContain(landed.id);
    expect(readJournal().inflight).toEqual([{ operation: notLanded.id, request: 0 }]);
  });

  it("stopped again while resuming: what was in flight stays named until rewritten, so a second resume converges", async () => {
    useWorkspace(1);
    await addDevDefinitions();
    expect((await cli("plan", "contensis-dev", "contensis-prod", "--out", "plan.json")).exitCode).toBe(0);
    // abDesk's POST lands, its publish never does (5xx): the create stops with its publish in flight.
    const publishFails = {
      script: [
        {
          method: "POST",
          path: "/workflow/definitions/abDesk/workflow/events",
          kind: "5xx" as const,
          times: 100,
        },
      ],
    };
    contensis.setFaults(publishFails);
    expect((await cli("apply", "plan.json", "--yes", "--json")).exitCode).toBe(1);
    expect(readJournal().inflight).toEqual([{ operation: "abDesk:create", request: 1 }]);
    // The resume re-plans abDesk as an update (publish only), which fails the same way.
    expect((await cli("apply", "plan.json", "--yes", "--json")).exitCode).toBe(1);
    const operations = (readJournal().inflight as Array<{ operation: string }>).map((r) => r.operation);
    expect(operations).toContain("abDesk:create");
    expect(readJournal().completed).not.toContain("abDesk:create");
    contensis.setFaults(undefined);

    const resumed = await cli("apply", "plan.json", "--yes", "--json");
    expect(resumed.exitCode, resumed.stdout).toBe(0);
    expect(resumed.stdout).toContain('"resumed"');
    expect(readJournal()).toMatchObject({ inflight: [], finishedAt: expect.any(String) });
    expect(readJournal().completed).toContain("abDesk:create");
    expect((await cli("diff", "contensis-dev", "contensis-prod", "--detailed-exitcode")).exitCode).toBe(0);
  });

  it("a journal of the earlier shape (one request in flight, as an object) still resumes", async () => {
    useWorkspace(1);
    const { notLanded } = await stoppedWithTwoInFlight();
    const journal = readJournal();
    writeFileSync(
      journalPath(),
      JSON.stringify(
        {
          ...journal,
          formatVersion: 1,
          completed: [...journal.completed, "abDesk:create"],
          inflight: { operation: notLanded.id, request: 0 },
        },
        null,
        2,
      ),
    );
    const resumed = await cli("apply", "plan.json", "--yes", "--json");
    expect(resumed.exitCode, resumed.stdout).toBe(0);
    expect(resumed.stdout).toContain('"resumed"');
    expect(readJournal()).toMatchObject({ formatVersion: 2, inflight: [] });
    expect((await cli("diff", "contensis-dev", "contensis-prod", "--detailed-exitcode")).exitCode).toBe(0);
  });
});

describe("the journal with several writes in flight", () => {
  it("names every request in flight (Contensis by default: up to 4 writes at a time)", async () => {
    useWorkspace(undefined);
    await addDevDefinitions();
    expect((await cli("plan", "contensis-dev", "contensis-prod", "--out", "plan.json")).exitCode).toBe(0);
    // Every write is applied at once and answered 400 ms later: four are in flight together.
    contensis.setFaults({ random: { rate: 1, kinds: ["slow"], writesOnly: true }, slowMs: 400 });
    let most: Array<{ operation: string; request: number }> = [];
    let watching = true;
    const watch = (async () => {
      while (watching) {
        try {
          const inflight = readJournal().inflight as typeof most;
          if (inflight.length > most.length) most = inflight;
        } catch {
          // not written yet
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const applied = await cli("apply", "plan.json", "--yes", "--json");
    watching = false;
    await watch;
    expect(applied.exitCode, applied.stdout).toBe(0);
    expect(most.length).toBeGreaterThanOrEqual(2);
    expect(most.length).toBeLessThanOrEqual(4);
    expect(new Set(most.map((record) => record.operation)).size).toBe(most.length);
  });
});

describe("an edit that lands on a write in flight (issue 14, item 6)", () => {
  for (const writes of [1, 4]) {
    it(`is a stale write (exit 4) naming the workflow and the backup, and the edit stays (${writes} write(s) at a time)`, async () => {
      useWorkspace(writes);
      expect((await cli("plan", "contensis-dev", "contensis-prod", "--out", "plan.json")).exitCode).toBe(0);
      const victim = operationsOf().find((operation) => operation.action === "update")!;
      // Our PUT of the victim is applied at once and answered 1 s later; meanwhile a person saves on
      // top of it and publishes. Our publish then finds a published version that is not ours.
      contensis.setFaults({
        script: [{ method: "PUT", path: `/workflow/definitions/${victim.workflow}$`, kind: "slow" }],
        slowMs: 1000,
      });
      const before = latestVersionNo(victim.workflow);
      const apply = cli("apply", "plan.json", "--yes", "--json");
      const deadline = Date.now() + 30_000;
      while (latestVersionNo(victim.workflow) === before) {
        if (Date.now() > deadline) throw new Error("the PUT never landed");
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await renameAndPublish(victim.workflow, "Edited by a person");
      const run = await apply;

      expect(run.exitCode, run.stdout).toBe(4);
      const error = run.json<{ error: { code: string; message: string; suggestions: string[] } }>().error;
      expect(error.code).toBe("stale_write");
      expect(error.message).toContain(victim.workflow);
      expect(error.suggestions.join("\n")).toMatch(/backup taken before the first write: .*\.json/);
      expect(await latestName(victim.workflow)).toBe("Edited by a person");
    });
  }
});
