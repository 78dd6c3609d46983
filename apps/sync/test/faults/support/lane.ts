import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ContensisSimulator, startContensisSimulator } from "@workflow-sync/contensis-simulator";
import { fingerprint } from "@workflow-sync/core";
import { type KontentSimulator, startKontentSimulator } from "@workflow-sync/kontent-simulator";
import { type LoggedRequest, requestLog } from "./admin-log.ts";
import { type CliProcess, type CliRun, spawnCli } from "./cli.ts";
import {
  FAST,
  laneConfig,
  MAIN_CONFIG,
  OVERLAP,
  overlapConfig,
  PACED,
  PACED_CONFIG,
  TIMEOUT_MS,
} from "./config.ts";
import { environmentOf } from "./environments.ts";
import { type Endpoint, MAPPINGS } from "./scenarios.ts";
import { contensisSeed, kontentSeed } from "./seeds.ts";
import * as stateDir from "./state-dir.ts";
import {
  type ContensisWireState,
  contensisState,
  type KontentWireState,
  kontentState,
  type TargetState,
} from "./target-state.ts";

/**
 * One set of simulators and one workspace: runs on a lane never share state with another lane.
 * Every lane's folder has two configs naming the same environments: `workflow-sync.config.yaml`
 * (40 requests/s, TIMEOUT_MS per attempt) and `paced.config.yaml` (PACED per second, 2 s per
 * attempt: an apply slow enough to be killed half-way), each also as `*.overlap.config.yaml`
 * (Contensis writes OVERLAP at a time; the plain ones: one). All keep their state in `.workflow-sync/`.
 */
export class Lane {
  readonly kontent: KontentSimulator;
  readonly contensis: ContensisSimulator;
  readonly root: string;

  private constructor(kontent: KontentSimulator, contensis: ContensisSimulator, root: string) {
    this.kontent = kontent;
    this.contensis = contensis;
    this.root = root;
  }

  static async start(): Promise<Lane> {
    const kontent = await startKontentSimulator({ rateLimit: false, seed: kontentSeed() });
    const contensis = await startContensisSimulator({ seed: contensisSeed() });
    const root = mkdtempSync(join(tmpdir(), "workflow-sync-faults-"));
    const urls = { kontent: kontent.baseUrl, contensis: contensis.url };
    for (const writes of [1, OVERLAP]) {
      const name = (config: string) => (writes === 1 ? config : overlapConfig(config));
      writeFileSync(join(root, name(MAIN_CONFIG)), laneConfig(urls, FAST, TIMEOUT_MS, writes));
      writeFileSync(join(root, name(PACED_CONFIG)), laneConfig(urls, PACED, PACED.timeoutMs, writes));
    }
    for (const [name, text] of Object.entries(MAPPINGS)) writeFileSync(join(root, name), text);
    return new Lane(kontent, contensis, root);
  }

  async close(): Promise<void> {
    await Promise.all([this.kontent.close(), this.contensis.close()]);
    rmSync(this.root, { recursive: true, force: true });
  }

  /** Both simulators back to their seeds, no faults, empty logs, no local state. */
  reset(): void {
    this.setFaults(undefined);
    this.kontent.reset();
    this.contensis.reset(contensisSeed());
    this.clearLog();
    rmSync(join(this.root, ".workflow-sync"), { recursive: true, force: true });
    for (const name of readdirSync(this.root)) if (name.endsWith(".plan.json")) rmSync(join(this.root, name));
  }

  setFaults(plan: { kontent?: object; contensis?: object } | undefined): void {
    this.kontent.setFaults(plan?.kontent as Parameters<KontentSimulator["setFaults"]>[0]);
    this.contensis.setFaults(plan?.contensis as Parameters<ContensisSimulator["setFaults"]>[0]);
  }

  clearLog(): void {
    this.kontent.clearRequests();
    this.contensis.clearRequests();
  }

  /** Every request both simulators saw since the last clear. */
  log(): LoggedRequest[] {
    return requestLog(this.kontent, this.contensis);
  }

  cli(args: string[]): Promise<CliRun> {
    return spawnCli(this.root, args).done;
  }

  spawn(args: string[]): CliProcess {
    return spawnCli(this.root, args);
  }

  path(name: string): string {
    return join(this.root, name);
  }

  /** The journals of the state folder, parsed. */
  journals(): stateDir.Journal[] {
    return stateDir.journals(this.root);
  }

  backups(): string[] {
    return stateDir.backups(this.root);
  }

  locks(): string[] {
    return stateDir.locks(this.root);
  }

  /** The fingerprint of an environment's workflows, read in this process (no faults set). */
  async fingerprintOf(endpoint: Endpoint): Promise<string> {
    const urls = { kontent: this.kontent.baseUrl, contensis: this.contensis.url };
    return fingerprint((await environmentOf(endpoint.vendor, endpoint.id, urls).read()).workflows);
  }

  /** What the simulator holds, without what differs from run to run (ids it made up, timestamps). */
  stateOf(endpoint: Endpoint): TargetState {
    return endpoint.vendor === "kontent"
      ? kontentState(this.kontent.state(endpoint.id) as unknown as KontentWireState)
      : contensisState(this.contensis.state(endpoint.id) as unknown as ContensisWireState);
  }
}

/** A pool of lanes: a run takes one, and gives it back when done. */
export class LanePool<L extends { close(): Promise<void> }> {
  readonly lanes: L[];
  readonly #free: L[];
  readonly #waiting: Array<(lane: L) => void> = [];

  constructor(lanes: L[]) {
    this.lanes = lanes;
    this.#free = [...lanes];
  }

  async use<T>(task: (lane: L) => Promise<T>): Promise<T> {
    const lane = this.#free.pop() ?? (await new Promise<L>((resolve) => this.#waiting.push(resolve)));
    try {
      return await task(lane);
    } finally {
      const next = this.#waiting.shift();
      if (next) next(lane);
      else this.#free.push(lane);
    }
  }

  close(): Promise<void> {
    return Promise.all(this.lanes.map((lane) => lane.close())).then(() => undefined);
  }
}
