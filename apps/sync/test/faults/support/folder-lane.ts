import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createContensisClient,
  getDefinition,
  publishDefinition,
  updateDefinition,
} from "@workflow-sync/adapter-contensis";
import { createKontentClient, type KontentWorkflow } from "@workflow-sync/adapter-kontent";
import { type ContensisSimulator, startContensisSimulator } from "@workflow-sync/contensis-simulator";
import { fingerprint } from "@workflow-sync/core";
import { type KontentSimulator, startKontentSimulator } from "@workflow-sync/kontent-simulator";
import {
  CONTENSIS_DEV,
  CONTENSIS_PROD,
  DEMO_SECRETS,
  KONTENT_DEV,
  KONTENT_PROD,
  kontentApiKey,
} from "@workflow-sync/test-utils";
import { expect } from "vitest";
import { renamedKontentWorkflow } from "../../support/other-clients.ts";
import { type CliRun, spawnCli } from "./cli.ts";
import {
  laneConfig,
  MAIN_CONFIG,
  OVERLAP,
  overlapConfig,
  PACED,
  PACED_CONFIG,
  TIMEOUT_MS,
} from "./config.ts";
import { environmentOf, type Vendor } from "./environments.ts";
import { contensisDesksSeed, kontentSeed } from "./seeds.ts";
import { type PlannedTarget, plannedTarget } from "./state-dir.ts";
import { type KontentWireWorkflow, withStepCodenames } from "./target-state.ts";

/*
 * A lane for the other-writers and slow-writes suites: both simulators and two working folders (A
 * and B), each with its own config and state folder (two CI runners: no shared lock), and a
 * person's edits through another client.
 */

export const ENDPOINTS = {
  kontent: { from: "kontent-dev", to: "kontent-prod", dev: KONTENT_DEV, prod: KONTENT_PROD },
  contensis: { from: "contensis-dev", to: "contensis-prod", dev: CONTENSIS_DEV, prod: CONTENSIS_PROD },
} as const;

/** Both simulators and two working folders (A and B), each with its own config and state folder. */
export class FolderLane {
  readonly kontent: KontentSimulator;
  readonly contensis: ContensisSimulator;
  readonly root: string;

  private constructor(kontent: KontentSimulator, contensis: ContensisSimulator, root: string) {
    this.kontent = kontent;
    this.contensis = contensis;
    this.root = root;
  }

  static async start(): Promise<FolderLane> {
    const kontent = await startKontentSimulator({ rateLimit: false, seed: kontentSeed() });
    const contensis = await startContensisSimulator({ seed: contensisDesksSeed() });
    return new FolderLane(kontent, contensis, mkdtempSync(join(tmpdir(), "workflow-sync-races-")));
  }

  /** Seeds back, no faults, empty logs, fresh working folders A and B. */
  reset(): void {
    this.kontent.setFaults(undefined);
    this.contensis.setFaults(undefined);
    this.kontent.reset();
    this.contensis.reset(contensisDesksSeed());
    this.kontent.clearRequests();
    this.contensis.clearRequests();
    const urls = { kontent: this.kontent.baseUrl, contensis: this.contensis.url };
    for (const folder of ["a", "b"]) {
      const dir = join(this.root, folder);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
      // Each also as `*.overlap.config.yaml`: Contensis writes OVERLAP at a time (plain: one).
      for (const writes of [1, OVERLAP]) {
        const name = (config: string) => (writes === 1 ? config : overlapConfig(config));
        writeFileSync(
          join(dir, name(MAIN_CONFIG)),
          laneConfig(urls, { perSecond: 40, perMinute: 40 * 60 }, TIMEOUT_MS, writes),
        );
        writeFileSync(
          join(dir, name(PACED_CONFIG)),
          laneConfig(
            urls,
            { perSecond: PACED.perSecond, perMinute: PACED.perSecond * 60 },
            PACED.timeoutMs,
            writes,
          ),
        );
      }
    }
  }

  cli(folder: "a" | "b", args: string[]): Promise<CliRun> {
    return spawnCli(join(this.root, folder), args).done;
  }

  plan(folder: "a" | "b", file = "plan.json"): PlannedTarget {
    return plannedTarget(join(this.root, folder, file));
  }

  /** Writes the target saw since the last clear. */
  writes(vendor: Vendor): number {
    const prod = ENDPOINTS[vendor].prod;
    return vendor === "kontent"
      ? this.kontent.requests().filter((entry) => entry.write && entry.environmentId === prod).length
      : this.contensis.requests().filter((entry) => entry.write && entry.projectId === prod).length;
  }

  clearLogs(): void {
    this.kontent.clearRequests();
    this.contensis.clearRequests();
  }

  /** Per-workflow fingerprints of an environment, read in this process. */
  async fingerprints(vendor: Vendor, which: "dev" | "prod" = "prod"): Promise<Record<string, string>> {
    const urls = { kontent: this.kontent.baseUrl, contensis: this.contensis.url };
    const snapshot = await environmentOf(vendor, ENDPOINTS[vendor][which], urls).read();
    return Object.fromEntries(snapshot.workflows.map((workflow) => [workflow.key, fingerprint(workflow)]));
  }

  /** A person's edit through another client: the workflow gets another name (Contensis: published). */
  async rename(vendor: Vendor, which: "dev" | "prod", key: string, name: string): Promise<void> {
    const id = ENDPOINTS[vendor][which];
    if (vendor === "kontent") {
      const client = createKontentClient({
        environmentId: id,
        apiKey: kontentApiKey(id),
        baseUrl: this.kontent.baseUrl,
        rateLimit: false,
      });
      const workflow = (await client.listWorkflows()).find((w) => w.codename === key)!;
      await client.updateWorkflow({ id: workflow.id }, renamedKontentWorkflow(workflow, name));
      return;
    }
    const client = createContensisClient({
      rootUrl: this.contensis.url,
      projectId: id,
      clientId: DEMO_SECRETS.CONTENSIS_CLIENT_ID,
      clientSecret: DEMO_SECRETS.CONTENSIS_CLIENT_SECRET,
    });
    const definition = (await getDefinition(client, key))!;
    const updated = await updateDefinition(
      client,
      { ...definition, name: { "en-GB": name } },
      { expectedVersion: definition.version?.versionNo ?? null },
    );
    await publishDefinition(client, key, updated.version?.versionNo ?? null);
  }

  /** The name of a workflow in the target as the simulator holds it. */
  nameOf(vendor: Vendor, key: string): string | undefined {
    if (vendor === "kontent") {
      const workflows = this.kontent.state(KONTENT_PROD).workflows as unknown as KontentWorkflow[];
      return workflows.find((workflow) => workflow.codename === key)?.name;
    }
    const state = this.contensis.state(CONTENSIS_PROD) as unknown as {
      definitions: Array<{ id: string; latest: { name: Record<string, string> } }>;
    };
    return state.definitions.find((definition) => definition.id === key)?.latest.name["en-GB"];
  }

  /**
   * Kontent.ai workflows as stored, with step ids replaced by codenames (what differs from run to
   * run left out), and each workflow's step codenames in order: an intermediate state shows.
   */
  kontentState(): unknown[] {
    const workflows = this.kontent.state(KONTENT_PROD).workflows as unknown as KontentWireWorkflow[];
    return workflows
      .map(withStepCodenames)
      .sort((a, b) => ((a as { codename: string }).codename < (b as { codename: string }).codename ? -1 : 1));
  }

  async close(): Promise<void> {
    await Promise.all([this.kontent.close(), this.contensis.close()]);
    rmSync(this.root, { recursive: true, force: true });
  }
}

/*
 * Plans are made once per vendor and written into the working folders of each run: every run starts
 * from the seeds, so the plans' starting fingerprint holds (and two CLI runs are saved per run).
 * Plan B comes from dev with every workflow plan A writes renamed: both write the same workflows,
 * differently.
 */
const plans = new Map<Vendor, Promise<{ a: string; b: string }>>();
function plansFor(vendor: Vendor, lane: FolderLane): Promise<{ a: string; b: string }> {
  let made = plans.get(vendor);
  if (!made) {
    made = (async () => {
      const { from, to } = ENDPOINTS[vendor];
      lane.reset();
      expect((await lane.cli("a", ["plan", from, to, "--out", "plan.json", "--json"])).exitCode).toBe(0);
      for (const op of lane.plan("a").operations) {
        if (op.action !== "delete")
          await lane.rename(vendor, "dev", op.source ?? op.workflow, `B ${op.workflow}`);
      }
      expect((await lane.cli("b", ["plan", from, to, "--out", "plan.json", "--json"])).exitCode).toBe(0);
      const text = (folder: "a" | "b") => readFileSync(join(lane.root, folder, "plan.json"), "utf8");
      return { a: text("a"), b: text("b") };
    })();
    plans.set(vendor, made);
  }
  return made;
}

/** A fresh lane (seeds, empty state folders) with plan A in folder a and plan B in folder b. */
export async function prepare(lane: FolderLane, vendor: Vendor): Promise<void> {
  const made = await plansFor(vendor, lane);
  lane.reset();
  writeFileSync(join(lane.root, "a", "plan.json"), made.a);
  writeFileSync(join(lane.root, "b", "plan.json"), made.b);
}

/** The `--json` envelope of a run. */
export interface Envelope {
  ok: boolean;
  result?: { targets: Array<{ status: string }> };
  error?: { code: string; message: string };
}
