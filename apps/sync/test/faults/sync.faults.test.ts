import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ContensisEnvironment } from "@workflow-sync/adapter-contensis";
import { KontentEnvironment } from "@workflow-sync/adapter-kontent";
import {
  type ContensisSeed,
  type ContensisSimulator,
  demoSeed,
  startContensisSimulator,
} from "@workflow-sync/contensis-simulator";
import { fingerprint } from "@workflow-sync/core";
import {
  demoSeed as demoKontentSeed,
  type KontentSeed,
  type KontentSimulator,
  startKontentSimulator,
} from "@workflow-sync/kontent-simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTENSIS_TO_KONTENT, KONTENT_TO_CONTENSIS } from "../support/demo-mappings.ts";

/*
 * Proof under faults: nothing lost, nothing duplicated, nothing half-written. Everything runs the
 * built CLI (apps/sync/bin, dist) as a child process against the simulators on 127.0.0.1:
 *
 * 1. The fault matrix (seeds 1001 …, 2001 …, 3001 …, 4001 …): `sync` (or `plan`, then `apply`)
 *    of a promotion (Kontent.ai dev → prod, Contensis website-dev → website-prod) or a migration
 *    (Contensis → Kontent.ai, Kontent.ai → Contensis) under a seeded mix of 429 storms, 5xx,
 *    connections dropped before and after the write, answers slower than the client's timeout and
 *    (Contensis) expired tokens. Every run converges, first time or after the same command again
 *    without faults (resuming from the journal); the target then holds exactly what a fault-free
 *    sync gives, and a further sync sends no write.
 * 2. SIGKILL (seeds 5001 …): an apply killed at a random point resumes and converges; the backup
 *    written before its first write restores the starting fingerprint exactly.
 * 3. Races (seeds 6001 …): two plans made against the same state, applied one after the other,
 *    overlapping or at once: one applies, the other refuses (exit 4) and writes nothing; and the
 *    lock itself, taken by two processes at the same instant, is never held by both.
 *
 * The figures of a run are printed at the end (and kept in the temp folder). Replay one seed:
 *   cd apps/sync && FAULT_SEED=2017 npm run test:faults      (rebuild first: it runs dist)
 * The seed fixes the run (command, faults, kill point); requests that the CLI sends side by side
 * may reach the simulator in another order, so a replay meets the same fault plan, not always the
 * very same faults.
 * All figures and what they guarantee: docs/reliability-faults.md.
 */

const KONTENT_DEV = "7c9f0e4e-0000-0000-0000-000000000001";
const KONTENT_PROD = "7c9f0e4e-0000-0000-0000-000000000002";
const CONTENSIS_DEV = "website-dev";
const CONTENSIS_PROD = "website-prod";
const SECRETS = {
  KONTENT_DEV_API_KEY: "dev-secret-key",
  KONTENT_PROD_API_KEY: "prod-secret-key",
  CONTENSIS_CLIENT_ID: "workflow-sync-demo",
  CONTENSIS_CLIENT_SECRET: "demo-secret-not-for-production",
};
/** Per attempt (the config's `timeoutMs`); a `slow` answer comes after SLOW_MS, past it. */
const TIMEOUT_MS = 400;
const SLOW_MS = 900;
/** No CLI run may take longer than this: a hung process is killed and the run fails. */
const CLI_DEADLINE_MS = 120_000;

const bin = new URL("../../bin/workflow-sync.js", import.meta.url).pathname;

type Vendor = "kontent" | "contensis";
type FaultKind = "5xx" | "drop-before" | "drop-after" | "slow" | "429" | "token-expiry";
const FAULT_KINDS: FaultKind[] = ["5xx", "drop-before", "drop-after", "slow", "429", "token-expiry"];

/** mulberry32, the simulators' PRNG: the same seed, the same choices. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `FAULT_SEED=n`: only the run with that seed (the others are skipped). */
const ONLY_SEED = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : undefined;
const selected = (seed: number) => ONLY_SEED === undefined || ONLY_SEED === seed;

// ------------------------------------------------------------------------------------------ data

/**
 * The demo seed with two more definitions in website-dev that own content types there (newsArticle
 * and blogPost leave the system workflows): a promotion then creates, publishes and assigns, and a
 * migration carries them too.
 */
function contensisSeed(): ContensisSeed {
  const seed = demoSeed();
  const dev = seed.projects[CONTENSIS_DEV]!;
  const event = (id: string, name: string, to: string | null, groupId = "main") => ({
    id,
    name: { "en-GB": name },
    transitionTo: to,
    groupId,
    validate: false,
    parameters: [],
  });
  (dev.workflows as unknown[]).push(
    {
      id: "newsDesk",
      name: { "en-GB": "News desk" },
      description: { "en-GB": "The news desk checks, then publishes" },
      states: [
        {
          id: "draft",
          name: { "en-GB": "Draft" },
          events: [event("submit", "Send to the desk", "deskReview")],
        },
        {
          id: "deskReview",
          name: { "en-GB": "Desk review" },
          color: "orange",
          events: [event("approve", "Publish", "sysWorkflow"), event("reject", "Back to draft", "draft")],
        },
      ],
      eventGroups: [{ id: "main", name: { "en-GB": "Main" } }],
    },
    {
      id: "blogReview",
      name: { "en-GB": "Blog review" },
      states: [
        { id: "draft", name: { "en-GB": "Draft" }, events: [event("publish", "Publish", "sysWorkflow")] },
      ],
      eventGroups: [{ id: "main", name: { "en-GB": "Main" } }],
    },
  );
  // Someone may use them: Approvers are granted their events (role grants travel with a sync, and
  // a workflow no role may move content in has no Kontent.ai form).
  for (const role of dev.roles ?? []) {
    if (role.name === "Approvers") role.permissions.entries?.[0]?.actions.push("newsDesk.*", "blogReview.*");
  }
  for (const contentType of dev.contentTypes as Array<{ id: string; workflowId?: string }>) {
    if (contentType.id === "newsArticle") contentType.workflowId = "newsDesk";
    if (contentType.id === "blogPost") contentType.workflowId = "blogReview";
  }
  return seed;
}

/**
 * The Kontent.ai demo seed with one more workflow in both environments whose update needs the
 * vendor's two requests: dev renames prod's step "review" to "check" (same name) and adds a new
 * "review", a codename the old step gives up ("first remove…, then add", [W]).
 */
function kontentSeed(): KontentSeed {
  const seed = demoKontentSeed();
  let next = 0;
  const id = () => `5eed0000-0000-4000-8000-${String(++next).padStart(12, "0")}`;
  const workflow = (steps: Array<[codename: string, name: string, to: string[]]>) => ({
    id: id(),
    name: "Press review",
    codename: "press_review",
    scopes: [],
    steps: steps.map(([codename, name, to]) => ({
      id: id(),
      name,
      codename,
      color: "red",
      transitions_to: to.map((step) => ({ step: { codename: step } })),
      role_ids: [],
    })),
    published_step: { unpublish_role_ids: [], create_new_version_role_ids: [] },
    archived_step: { role_ids: [] },
  });
  const dev = workflow([
    ["draft", "Draft", ["check"]],
    ["check", "Review", ["review", "draft"]],
    ["review", "Final review", ["published"]],
  ]);
  const prod = workflow([
    ["draft", "Draft", ["review"]],
    ["review", "Review", ["published", "draft"]],
  ]);
  (seed.environments[KONTENT_DEV]!.workflows as unknown[]).push(dev);
  (seed.environments[KONTENT_PROD]!.workflows as unknown[]).push(prod);
  return seed;
}

const MAPPINGS = {
  "contensis-to-kontent.yaml": CONTENSIS_TO_KONTENT,
  "kontent-to-contensis.yaml": KONTENT_TO_CONTENSIS,
};

type ScenarioName =
  | "kontent-promotion"
  | "contensis-promotion"
  | "contensis-to-kontent"
  | "kontent-to-contensis";

interface Endpoint {
  vendor: Vendor;
  /** Kontent.ai environment id or Contensis project id. */
  id: string;
  env: string;
}

interface Scenario {
  name: ScenarioName;
  source: Endpoint;
  target: Endpoint;
  /** Plan flags besides --prune. */
  flags: string[];
  /** Whether a seed may add --prune (the target holds workflows the source has not). */
  prunable: boolean;
  /** Whether `diff <from> <to>` compares like with like (same vendor): after convergence it is empty. */
  diffable: boolean;
}

const kontentDev: Endpoint = { vendor: "kontent", id: KONTENT_DEV, env: "kontent-dev" };
const kontentProd: Endpoint = { vendor: "kontent", id: KONTENT_PROD, env: "kontent-prod" };
const contensisDev: Endpoint = { vendor: "contensis", id: CONTENSIS_DEV, env: "contensis-dev" };
const contensisProd: Endpoint = { vendor: "contensis", id: CONTENSIS_PROD, env: "contensis-prod" };

const SCENARIOS: Record<ScenarioName, Scenario> = {
  "kontent-promotion": {
    name: "kontent-promotion",
    source: kontentDev,
    target: kontentProd,
    flags: [],
    prunable: true,
    diffable: true,
  },
  "contensis-promotion": {
    name: "contensis-promotion",
    source: contensisDev,
    target: contensisProd,
    flags: [],
    prunable: false,
    diffable: true,
  },
  "contensis-to-kontent": {
    name: "contensis-to-kontent",
    source: contensisDev,
    target: kontentProd,
    flags: ["--map", "contensis-to-kontent.yaml", "--accept-loss"],
    prunable: false,
    diffable: false,
  },
  "kontent-to-contensis": {
    name: "kontent-to-contensis",
    source: kontentDev,
    target: contensisProd,
    flags: ["--map", "kontent-to-contensis.yaml", "--accept-loss"],
    prunable: false,
    diffable: false,
  },
};

// ------------------------------------------------------------------------------------- the CLI

interface CliRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

interface CliProcess {
  child: ChildProcess;
  done: Promise<CliRun>;
}

/** The built CLI as a child process (no terminal, its own env, killed if it outlives the deadline). */
function spawnCli(cwd: string, args: string[]): CliProcess {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1", ...SECRETS },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const done = new Promise<CliRun>((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const deadline = setTimeout(() => child.kill("SIGKILL"), CLI_DEADLINE_MS);
    child.stdout!.on("data", (chunk) => (stdout += chunk));
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(deadline);
      resolve({ exitCode, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
  return { child, done };
}

/** The `--json` document a run printed. */
function jsonOf<T = Record<string, unknown>>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(
      `not a JSON document (exit ${run.exitCode}, signal ${run.signal}):\n${run.stdout.slice(0, 2000)}\n${run.stderr.slice(0, 2000)}`,
    );
  }
}

interface AppliedTarget {
  environment: string;
  status: "applied" | "resumed" | "nothing to do";
  operations: Array<{ id: string; action: string; workflow: string }>;
  backup?: string;
  journal: string;
}

// ---------------------------------------------------------------------------------- request log

interface LoggedRequest {
  vendor: Vendor;
  method: string;
  path: string;
  status: number;
  write: boolean;
  fault?: string;
  /** Kontent.ai environment id or Contensis project id. */
  on?: string;
}

// ------------------------------------------------------------------------------------------ lane

/**
 * Every lane's folder has two configs naming the same environments: `workflow-sync.config.yaml`
 * (40 requests/s, TIMEOUT_MS per attempt) and `paced.config.yaml` (PACED per second, 2 s per
 * attempt: an apply slow enough to be killed half-way). Both keep their state in `.workflow-sync/`.
 */
const PACED_CONFIG = "paced.config.yaml";
const PACED = { perSecond: 8, perMinute: 480, timeoutMs: 2000 };

/** One set of simulators and one workspace: runs on a lane never share state with another lane. */
class Lane {
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
    const config = (rate: { perSecond: number; perMinute: number }, timeoutMs: number) => {
      const kontentEnv = (name: string, id: string, key: string) => [
        `  ${name}:`,
        "    vendor: kontent",
        `    environmentId: ${id}`,
        `    apiKey: { env: ${key} }`,
        `    baseUrl: ${kontent.baseUrl}`,
        `    rateLimit: { perSecond: ${rate.perSecond}, perMinute: ${rate.perMinute} }`,
        `    timeoutMs: ${timeoutMs}`,
      ];
      const contensisEnv = (name: string, project: string) => [
        `  ${name}:`,
        "    vendor: contensis",
        `    rootUrl: ${contensis.url}`,
        `    projectId: ${project}`,
        "    clientId: { env: CONTENSIS_CLIENT_ID }",
        "    clientSecret: { env: CONTENSIS_CLIENT_SECRET }",
        `    rateLimit: { perSecond: ${rate.perSecond}, perMinute: ${rate.perMinute} }`,
        `    timeoutMs: ${timeoutMs}`,
      ];
      return [
        "environments:",
        ...kontentEnv("kontent-dev", KONTENT_DEV, "KONTENT_DEV_API_KEY"),
        ...kontentEnv("kontent-prod", KONTENT_PROD, "KONTENT_PROD_API_KEY"),
        ...contensisEnv("contensis-dev", CONTENSIS_DEV),
        ...contensisEnv("contensis-prod", CONTENSIS_PROD),
        "",
      ].join("\n");
    };
    writeFileSync(
      join(root, "workflow-sync.config.yaml"),
      config({ perSecond: 40, perMinute: 2400 }, TIMEOUT_MS),
    );
    writeFileSync(join(root, PACED_CONFIG), config(PACED, PACED.timeoutMs));
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
    const kontent = this.kontent.requests().map(
      (entry): LoggedRequest => ({
        vendor: "kontent",
        method: entry.method,
        path: entry.path,
        status: entry.status,
        write: entry.write,
        ...(entry.fault ? { fault: entry.fault } : {}),
        ...(entry.environmentId ? { on: entry.environmentId } : {}),
      }),
    );
    const contensis = this.contensis.requests().map(
      (entry): LoggedRequest => ({
        vendor: "contensis",
        method: entry.method,
        path: entry.path,
        status: entry.status,
        write: entry.write,
        ...(entry.fault ? { fault: entry.fault } : {}),
        ...(entry.projectId ? { on: entry.projectId } : {}),
      }),
    );
    return [...kontent, ...contensis];
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
  journals(): Array<{
    planId: string;
    completed: string[];
    inflight?: unknown;
    finishedAt?: string;
    backup: string;
  }> {
    const dir = join(this.root, ".workflow-sync", "journals");
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((name) => name.endsWith(".json"))
      .map((name) => JSON.parse(readFileSync(join(dir, name), "utf8")));
  }

  backups(): string[] {
    const dir = join(this.root, ".workflow-sync", "backups");
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => join(dir, name));
  }

  locks(): string[] {
    const dir = join(this.root, ".workflow-sync", "locks");
    return existsSync(dir) ? readdirSync(dir) : [];
  }

  /** The fingerprint of an environment's workflows, read in this process (no faults set). */
  async fingerprintOf(endpoint: Endpoint): Promise<string> {
    const environment =
      endpoint.vendor === "kontent"
        ? new KontentEnvironment({
            environmentId: endpoint.id,
            apiKey: endpoint.id === KONTENT_DEV ? SECRETS.KONTENT_DEV_API_KEY : SECRETS.KONTENT_PROD_API_KEY,
            baseUrl: this.kontent.baseUrl,
            rateLimit: false,
          })
        : new ContensisEnvironment({
            rootUrl: this.contensis.url,
            projectId: endpoint.id,
            clientId: SECRETS.CONTENSIS_CLIENT_ID,
            clientSecret: SECRETS.CONTENSIS_CLIENT_SECRET,
          });
    return fingerprint((await environment.read()).workflows);
  }

  /** What the simulator holds, without what differs from run to run (ids it made up, timestamps). */
  stateOf(endpoint: Endpoint): TargetState {
    return endpoint.vendor === "kontent"
      ? kontentState(this.kontent.state(endpoint.id) as unknown as KontentWireState)
      : contensisState(this.contensis.state(endpoint.id) as unknown as ContensisWireState);
  }
}

// ------------------------------------------------------------------------------ target state

interface KontentWireStep {
  id: string;
  codename: string;
}
interface KontentWireWorkflow {
  id: string;
  codename: string;
  steps: KontentWireStep[];
  published_step: KontentWireStep;
  scheduled_step?: KontentWireStep;
  archived_step: KontentWireStep;
}
interface KontentWireState {
  workflows: KontentWireWorkflow[];
}
interface ContensisWireDefinition {
  uuid?: string;
  id: string;
  version?: { versionNo?: string | null; published?: string | null } & Record<string, unknown>;
}
interface ContensisWireState {
  definitions: Array<{
    id: string;
    isSystem: boolean;
    versions: ContensisWireDefinition[];
    latest: ContensisWireDefinition;
    published: ContensisWireDefinition | null;
  }>;
  contentTypes: Array<{ id: string; workflowId?: string }>;
}

interface TargetState {
  /** Workflow codenames (Kontent.ai) or definition ids (Contensis), in the simulator's order. */
  keys: string[];
  /** Workflows (with step ids replaced by codenames) or definitions (latest, versions, published). */
  workflows: unknown[];
  /** Contensis: content type → workflow. */
  assignments: Record<string, string | undefined>;
  /** Problems that no reference comparison is needed for: duplicates, half-written workflows. */
  problems: string[];
}

function kontentState(state: KontentWireState): TargetState {
  const problems: string[] = [];
  const keys = state.workflows.map((workflow) => workflow.codename);
  const ids = state.workflows.map((workflow) => workflow.id);
  for (const key of new Set(keys)) {
    if (keys.filter((k) => k === key).length > 1) problems.push(`duplicate workflow codename ${key}`);
  }
  if (new Set(ids).size !== ids.length) problems.push("duplicate workflow id");
  const workflows = state.workflows.map((workflow) => {
    const steps = new Map<string, string>();
    for (const step of [
      ...workflow.steps,
      workflow.published_step,
      workflow.scheduled_step,
      workflow.archived_step,
    ]) {
      if (step) steps.set(step.id, step.codename);
    }
    const codenames = workflow.steps.map((step) => step.codename);
    if (new Set(codenames).size !== codenames.length)
      problems.push(`${workflow.codename}: duplicate step codename`);
    const { id: _id, ...rest } = workflow;
    return JSON.parse(
      JSON.stringify(rest, (_key, value) =>
        typeof value === "string" && steps.has(value) ? `step:${steps.get(value)}` : value,
      ),
    );
  });
  return { keys, workflows, assignments: {}, problems };
}

function contensisState(state: ContensisWireState): TargetState {
  const problems: string[] = [];
  const keys = state.definitions.map((definition) => definition.id);
  for (const key of new Set(keys)) {
    if (keys.filter((k) => k === key).length > 1) problems.push(`duplicate definition ${key}`);
  }
  const body = (definition: ContensisWireDefinition | null) => {
    if (!definition) return null;
    const { uuid: _uuid, version, ...rest } = definition;
    return { ...rest, versionNo: version?.versionNo ?? null };
  };
  const workflows = state.definitions.map((definition) => {
    const versions = definition.versions.map((version) => version.version?.versionNo ?? null);
    if (!definition.isSystem) {
      if (!definition.published) problems.push(`${definition.id}: created but never published`);
      else if (definition.published.version?.versionNo !== definition.latest.version?.versionNo) {
        problems.push(
          `${definition.id}: latest version ${definition.latest.version?.versionNo} is not published (published: ${definition.published.version?.versionNo})`,
        );
      }
      if (new Set(versions).size !== versions.length)
        problems.push(`${definition.id}: duplicate version numbers`);
    }
    return {
      id: definition.id,
      isSystem: definition.isSystem,
      versions,
      latest: body(definition.latest),
      published: body(definition.published),
    };
  });
  const assignments = Object.fromEntries(
    state.contentTypes.map((contentType) => [contentType.id, contentType.workflowId]),
  );
  for (const [contentType, workflowId] of Object.entries(assignments)) {
    if (workflowId && !keys.includes(workflowId) && !workflowId.startsWith("contensis")) {
      problems.push(`content type ${contentType} uses ${workflowId}, which does not exist`);
    }
  }
  return { keys, workflows, assignments, problems };
}

// ------------------------------------------------------------------------------------ figures

type Outcome = "converged first time" | "converged after resume";

interface RunRecord {
  suite: string;
  seed: number;
  scenario: string;
  mode: string;
  outcome: Outcome | "failed";
  faults: Record<string, number>;
  requests: number;
  writes: number;
  ms: number;
  error?: string;
}

function countFaults(log: readonly LoggedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of log) if (entry.fault) counts[entry.fault] = (counts[entry.fault] ?? 0) + 1;
  return counts;
}

function writesTo(log: readonly LoggedRequest[], endpoint: Endpoint): LoggedRequest[] {
  return log.filter((entry) => entry.write && entry.vendor === endpoint.vendor && entry.on === endpoint.id);
}

/** One summary: runs, outcomes, faults by kind, requests; printed and kept in the temp folder. */
function summarize(title: string, records: readonly RunRecord[], extra: Record<string, unknown> = {}) {
  const faults: Record<string, number> = {};
  for (const record of records) {
    for (const [kind, count] of Object.entries(record.faults)) faults[kind] = (faults[kind] ?? 0) + count;
  }
  const outcomes: Record<string, number> = {};
  for (const record of records) outcomes[record.outcome] = (outcomes[record.outcome] ?? 0) + 1;
  const byScenario: Record<string, Record<string, number>> = {};
  for (const record of records) {
    const key = `${record.scenario} (${record.mode})`;
    const row = byScenario[key] ?? { runs: 0 };
    byScenario[key] = row;
    row.runs = (row.runs ?? 0) + 1;
    row[record.outcome] = (row[record.outcome] ?? 0) + 1;
  }
  const summary = {
    title,
    runs: records.length,
    outcomes,
    faults,
    faultsTotal: Object.values(faults).reduce((sum, count) => sum + count, 0),
    requests: records.reduce((sum, record) => sum + record.requests, 0),
    writes: records.reduce((sum, record) => sum + record.writes, 0),
    seconds: Math.round(records.reduce((sum, record) => sum + record.ms, 0) / 100) / 10,
    byScenario,
    ...extra,
  };
  const file = join(tmpdir(), `workflow-sync-${title.replace(/[^a-z0-9]+/gi, "-")}.json`);
  writeFileSync(file, `${JSON.stringify({ summary, records }, null, 2)}\n`);
  console.log(`\n== ${title} (${file})\n${JSON.stringify(summary, null, 2)}`);
  return summary;
}

/** A pool of lanes: a run takes one, and gives it back when done. */
class LanePool {
  readonly lanes: Lane[];
  readonly #free: Lane[];
  readonly #waiting: Array<(lane: Lane) => void> = [];

  constructor(lanes: Lane[]) {
    this.lanes = lanes;
    this.#free = [...lanes];
  }

  async use<T>(task: (lane: Lane) => Promise<T>): Promise<T> {
    const lane = this.#free.pop() ?? (await new Promise<Lane>((resolve) => this.#waiting.push(resolve)));
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

// ------------------------------------------------------------------------------------------ runs

interface Reference {
  /** Fingerprint of the target before the sync. */
  start: string;
  /** Fingerprint of the target after a fault-free sync. */
  fingerprint: string;
  state: TargetState;
  /** Writes the fault-free sync sent to the target. */
  writes: number;
}

const referenceKey = (scenario: Scenario, prune: boolean) => `${scenario.name}${prune ? " --prune" : ""}`;

function syncArgs(scenario: Scenario, prune: boolean): string[] {
  return [scenario.source.env, scenario.target.env, ...scenario.flags, ...(prune ? ["--prune"] : [])];
}

/** What a fault-free sync leaves in the target (the yardstick of every run of the scenario). */
async function makeReference(lane: Lane, scenario: Scenario, prune: boolean): Promise<Reference> {
  lane.reset();
  const start = await lane.fingerprintOf(scenario.target);
  lane.clearLog();
  const run = await lane.cli(["sync", ...syncArgs(scenario, prune), "--yes", "--json"]);
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  const writes = writesTo(lane.log(), scenario.target).length;
  const state = lane.stateOf(scenario.target);
  expect(state.problems).toEqual([]);
  const fingerprint = await lane.fingerprintOf(scenario.target);
  expect(fingerprint).not.toBe(start);
  lane.reset();
  return { start, fingerprint, state, writes };
}

interface RunConfig {
  seed: number;
  mode: "sync" | "apply";
  prune: boolean;
  kinds: FaultKind[];
  rate: number;
  writesOnly: boolean;
  storm: { times: number; skip: number } | undefined;
  faults: { kontent?: object; contensis?: object };
}

/** The seed decides everything: sync or plan + apply, --prune, the fault kinds, rate and storms. */
function runConfig(seed: number, scenario: Scenario): RunConfig {
  const rng = mulberry32(seed);
  const mode = rng() < 0.5 ? "sync" : "apply";
  const prune = scenario.prunable && rng() < 0.5;
  const contensis = scenario.source.vendor === "contensis" || scenario.target.vendor === "contensis";
  const candidates = FAULT_KINDS.filter((kind) => kind !== "token-expiry" || contensis);
  let kinds = candidates.filter(() => rng() < 0.6);
  if (kinds.length === 0) kinds = [candidates[Math.floor(rng() * candidates.length)]!];
  const writesOnly = rng() < 0.3;
  // Faults on writes only come thicker: writes are few, and it is where an interrupted apply resumes.
  const rate = Math.round((writesOnly ? 0.2 + rng() * 0.3 : 0.1 + rng() * 0.25) * 100) / 100;
  // A storm: 2 or 3 consecutive 429s (each waits Retry-After: 1 s) from a random request on.
  const storm = rng() < 0.2 ? { times: 2 + Math.floor(rng() * 2), skip: Math.floor(rng() * 10) } : undefined;
  const planFor = (vendor: "kontent" | "contensis") => {
    const usable = kinds.filter((kind) => vendor === "contensis" || kind !== "token-expiry");
    const script = storm && scenario.target.vendor === vendor ? [{ kind: "429", ...storm }] : [];
    return {
      seed,
      ...(usable.length > 0 ? { random: { rate, kinds: usable, writesOnly } } : {}),
      script,
      slowMs: SLOW_MS,
    };
  };
  const involved = new Set([scenario.source.vendor, scenario.target.vendor]);
  return {
    seed,
    mode,
    prune,
    kinds,
    rate,
    writesOnly,
    storm,
    faults: {
      ...(involved.has("kontent") ? { kontent: planFor("kontent") } : {}),
      ...(involved.has("contensis") ? { contensis: planFor("contensis") } : {}),
    },
  };
}

function describeConfig(config: RunConfig): string {
  return (
    `${config.mode}${config.prune ? " --prune" : ""}: ${config.kinds.join("/")} at ${config.rate}` +
    `${config.writesOnly ? " (writes only)" : ""}${config.storm ? `, 429 storm ×${config.storm.times}` : ""}`
  );
}

/** A trace of the CLI runs of one fault run, printed when it fails. */
class Trace {
  readonly lines: string[] = [];
  add(label: string, run: CliRun): CliRun {
    this.lines.push(
      `--- ${label}: exit ${run.exitCode}${run.signal ? ` (${run.signal})` : ""} in ${Math.round(run.ms)} ms`,
      run.stdout.length > 4000 ? `${run.stdout.slice(0, 4000)}…` : run.stdout,
      run.stderr.length > 4000 ? `${run.stderr.slice(0, 4000)}…` : run.stderr,
    );
    return run;
  }
  toString(): string {
    return this.lines.join("\n");
  }
}

type Envelope = {
  ok: boolean;
  exitCode: number;
  result?: { targets: AppliedTarget[] };
  error?: { code: string; message: string };
};

/** A failed run's error: exit 1, a typed code and a message (never a refusal, a crash or a stack). */
function expectClearError(run: CliRun): { code: string; message: string } {
  expect(run.signal).toBeNull();
  expect(run.exitCode).toBe(1);
  const envelope = jsonOf<Envelope>(run);
  expect(envelope.ok).toBe(false);
  expect(envelope.error?.code).toBeTypeOf("string");
  expect(envelope.error?.code).not.toBe("internal");
  expect(envelope.error?.message.length).toBeGreaterThan(10);
  expect(run.stdout).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
  return envelope.error!;
}

function appliedTarget(run: CliRun): AppliedTarget {
  const envelope = jsonOf<Envelope>(run);
  expect(envelope.ok, run.stdout + run.stderr).toBe(true);
  return envelope.result!.targets[0]!;
}

/** Converged, and nothing duplicated, lost or half-written (compared with the fault-free reference). */
async function expectConverged(
  lane: Lane,
  scenario: Scenario,
  prune: boolean,
  reference: Reference,
  trace: Trace,
  options: { diff: boolean },
): Promise<void> {
  const state = lane.stateOf(scenario.target);
  expect(state.problems, "duplicates or half-written workflows").toEqual([]);
  expect([...state.keys].sort(), "the target's workflows").toEqual([...reference.state.keys].sort());
  const byKey = (list: unknown[]) =>
    [...list].sort((a, b) => {
      const ka = JSON.stringify(
        (a as { codename?: string; id?: string }).codename ?? (a as { id: string }).id,
      );
      const kb = JSON.stringify(
        (b as { codename?: string; id?: string }).codename ?? (b as { id: string }).id,
      );
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  expect(byKey(state.workflows), "every workflow as a fault-free sync writes it").toEqual(
    byKey(reference.state.workflows),
  );
  expect(state.assignments, "content types' workflows").toEqual(reference.state.assignments);
  expect(await lane.fingerprintOf(scenario.target), "the target's fingerprint").toBe(reference.fingerprint);

  // A further sync, without faults, has nothing to do and sends no write.
  lane.clearLog();
  const again = trace.add(
    "sync again",
    await lane.cli(["sync", ...syncArgs(scenario, prune), "--yes", "--json"]),
  );
  expect(again.exitCode).toBe(0);
  expect(appliedTarget(again).status).toBe("nothing to do");
  // (An entry with a fault is a `slow` answer of the faulted run, logged when it is finally sent.)
  expect(lane.log().filter((entry) => entry.write && !entry.fault)).toEqual([]);
  // Same vendor on both sides: diff shows nothing (with --prune, or when the target holds nothing more).
  if (options.diff && scenario.diffable && (prune || !scenario.prunable)) {
    const diff = trace.add(
      "diff",
      await lane.cli(["diff", scenario.source.env, scenario.target.env, "--detailed-exitcode"]),
    );
    expect(diff.exitCode).toBe(0);
  }
}

/**
 * One run: (plan without faults, then) the faulted sync or apply; on an error, a clear error and a
 * journal, then the same command again without faults; then the convergence checks.
 */
async function faultRun(
  lane: Lane,
  suite: string,
  scenario: Scenario,
  config: RunConfig,
  reference: Reference,
  trace: Trace,
): Promise<RunRecord> {
  const started = performance.now();
  lane.reset();
  const planFile = `${config.seed}.plan.json`;
  if (config.mode === "apply") {
    const made = trace.add(
      "plan",
      await lane.cli(["plan", ...syncArgs(scenario, config.prune), "--out", planFile, "--json"]),
    );
    expect(made.exitCode).toBe(0);
  }
  const command =
    config.mode === "sync"
      ? ["sync", ...syncArgs(scenario, config.prune), "--yes", "--json"]
      : ["apply", planFile, "--yes", "--json"];

  lane.clearLog();
  lane.setFaults(config.faults);
  const first = trace.add(`${config.mode} under faults`, await lane.cli(command));
  lane.setFaults(undefined);
  const faulted = lane.log();
  let resumed: LoggedRequest[] = [];
  let outcome: RunRecord["outcome"];
  let error: string | undefined;

  if (first.exitCode === 0) {
    expect(appliedTarget(first).status).toBe("applied");
    outcome = "converged first time";
  } else {
    const clear = expectClearError(first);
    error = `${clear.code}: ${clear.message.split("\n")[0]}`;
    const open = lane.journals().filter((journal) => !journal.finishedAt);
    // Every write is sent after the journal is saved: a target that saw a write has a journal to resume.
    if (writesTo(faulted, scenario.target).length > 0) expect(open, "an unfinished journal").toHaveLength(1);
    lane.clearLog();
    const again = trace.add(`${config.mode} again, no faults`, await lane.cli(command));
    expect(again.exitCode, "the re-run converges").toBe(0);
    const status = appliedTarget(again).status;
    if (config.mode === "apply" && open.length > 0) expect(["resumed", "nothing to do"]).toContain(status);
    resumed = lane.log();
    outcome = "converged after resume";
  }
  const all = [...faulted, ...resumed];
  expect(writesTo(all, scenario.source), "nothing written to the source").toEqual([]);
  // (diff on every third seed: each CLI run costs CPU, and the further sync says the same)
  await expectConverged(lane, scenario, config.prune, reference, trace, { diff: config.seed % 3 === 0 });
  return {
    suite,
    seed: config.seed,
    scenario: scenario.name,
    mode: config.mode,
    outcome,
    faults: countFaults(all),
    requests: all.length,
    writes: writesTo(all, scenario.target).length,
    ms: performance.now() - started,
    ...(error ? { error } : {}),
  };
}

// ---------------------------------------------------------------------------------------- suites

/** Concurrent runs (each lane: its own simulators and folder); most of a run's time is waiting. */
const LANES = 5;
const MATRIX_RUNS_PER_SCENARIO = 52;
const KILLS = 52;
const RACES = 12;
/** Pairs of processes taking the lock of one environment at the same instant. */
const LOCK_PAIRS = 40;
const ORDER: ScenarioName[] = [
  "kontent-promotion",
  "contensis-promotion",
  "contensis-to-kontent",
  "kontent-to-contensis",
];

interface Kill {
  seed: number;
  scenario: ScenarioName;
  /** Target writes the simulator had answered when the process died. */
  landed: number;
  planned: number;
  journal: boolean;
  inflight: boolean;
  lockLeft: boolean;
  status: string;
}

let pool: LanePool;
const references = new Map<string, Reference>();
const figures = {
  matrix: [] as RunRecord[],
  sigkill: [] as RunRecord[],
  kills: [] as Kill[],
  races: [] as RunRecord[],
  refusals: {} as Record<string, number>,
  lock: { pairs: 0, oneRefused: 0, oneAfterTheOther: 0, overlapping: 0 },
};

beforeAll(async () => {
  pool = new LanePool(await Promise.all(Array.from({ length: LANES }, () => Lane.start())));
  const wanted = ORDER.flatMap((name) =>
    (SCENARIOS[name].prunable ? [false, true] : [false]).map((prune) => ({
      scenario: SCENARIOS[name],
      prune,
    })),
  );
  await Promise.all(
    wanted.map(({ scenario, prune }) =>
      pool.use(async (lane) => {
        references.set(referenceKey(scenario, prune), await makeReference(lane, scenario, prune));
      }),
    ),
  );
}, 120_000);

afterAll(async () => {
  if (figures.matrix.length > 0) summarize("fault matrix", figures.matrix);
  if (figures.sigkill.length > 0) {
    const kills = figures.kills;
    const count = (predicate: (kill: Kill) => boolean) => kills.filter(predicate).length;
    const tally = (values: Array<string | number>) =>
      Object.fromEntries(
        [...new Set(values)].sort().map((value) => [value, values.filter((v) => v === value).length]),
      );
    summarize("sigkill", figures.sigkill, {
      kills: kills.length,
      targetWritesAnsweredBeforeTheKill: tally(kills.map((kill) => kill.landed)),
      killedWithARequestInFlight: count((kill) => kill.inflight),
      journalLeft: count((kill) => kill.journal),
      lockLeft: count((kill) => kill.lockLeft),
      reapplied: tally(kills.map((kill) => kill.status)),
      restoredExactly: kills.length,
    });
  }
  if (figures.races.length > 0 || figures.lock.pairs > 0) {
    summarize("races", figures.races, { refusals: figures.refusals, lock: figures.lock });
  }
  await pool?.close();
});

/** A run that fails prints its CLI runs and the command that replays it. */
async function traced(seed: number, what: string, run: (trace: Trace) => Promise<void>): Promise<void> {
  const trace = new Trace();
  try {
    await run(trace);
  } catch (error) {
    console.error(
      `seed ${seed} (${what}) failed; replay: cd apps/sync && FAULT_SEED=${seed} npm run test:faults\n${trace}`,
    );
    throw error;
  }
}

// ---------------------------------------------------------------------------------- 1. the matrix

ORDER.forEach((name, index) => {
  const scenario = SCENARIOS[name];
  const seeds = Array.from({ length: MATRIX_RUNS_PER_SCENARIO }, (_, n) => (index + 1) * 1000 + n + 1);
  describe.concurrent(`fault matrix: ${name}`, () => {
    for (const seed of seeds) {
      const config = runConfig(seed, scenario);
      it.skipIf(!selected(seed))(`seed ${seed}: ${describeConfig(config)}`, () =>
        traced(seed, name, async (trace) => {
          const reference = references.get(referenceKey(scenario, config.prune))!;
          const record = await pool.use((lane) =>
            faultRun(lane, "matrix", scenario, config, reference, trace),
          );
          figures.matrix.push(record);
        }),
      );
    }
  });
});

// ------------------------------------------------------------------------------------ 2. SIGKILL

/*
 * An apply (paced at PACED.perSecond, so that there is time) is killed with SIGKILL after a random
 * number of its writes reached the simulator, or after a random delay, sometimes while the
 * simulator holds a write's answer back (`slow`: applied, not answered yet). Applying the same plan
 * again takes the dead process's lock over, resumes from the journal (no stale-plan refusal for its
 * own writes) and converges; the first backup then restores the starting fingerprint exactly.
 */
describe.concurrent("SIGKILL during apply", () => {
  for (let n = 0; n < KILLS; n++) {
    const seed = 5001 + n;
    const name = ORDER[seed % ORDER.length]!;
    const scenario = SCENARIOS[name];
    const rng = mulberry32(seed);
    const prune = scenario.prunable && rng() < 0.5;
    const byWrites = rng() < 0.6;
    const fraction = rng();
    const extraMs = Math.floor(rng() * 60);
    const slowWrites = rng() < 0.35;
    const trigger = byWrites
      ? `after ${Math.round(fraction * 100)}% of the writes + ${extraMs} ms`
      : `after ${Math.round(fraction * 100)}% of the expected time`;
    const title = `seed ${seed}: ${name}${prune ? " --prune" : ""}, killed ${trigger}${slowWrites ? ", slow writes" : ""}`;

    it.skipIf(!selected(seed))(title, () =>
      traced(seed, name, (trace) =>
        pool.use(async (lane) => {
          const started = performance.now();
          const reference = references.get(referenceKey(scenario, prune))!;
          const planFile = `${seed}.plan.json`;
          let killed: { landed: number; planned: number; log: LoggedRequest[] } | undefined;
          let budget: number | undefined;
          // An apply that finished before the kill is tried again, killed earlier (at most 4 times).
          for (let attempt = 1; attempt <= 4 && !killed; attempt++) {
            lane.reset();
            const made = trace.add(
              "plan",
              await lane.cli(["plan", ...syncArgs(scenario, prune), "--out", planFile, "--json"]),
            );
            expect(made.exitCode).toBe(0);
            const plan = JSON.parse(readFileSync(lane.path(planFile), "utf8")) as {
              targets: Array<{ operations: Array<{ requests: unknown[] }> }>;
            };
            const planned = plan.targets[0]!.operations.reduce((sum, op) => sum + op.requests.length, 0);
            // Expected time: start-up, the paced read, the paced writes (and the slow answers).
            budget ??= 250 + (6 + planned * (slowWrites ? 2.5 : 1)) * (1000 / PACED.perSecond);
            lane.clearLog();
            if (slowWrites) {
              const faults = { seed, random: { rate: 0.5, kinds: ["slow"], writesOnly: true }, slowMs: 600 };
              lane.setFaults(
                scenario.target.vendor === "kontent" ? { kontent: faults } : { contensis: faults },
              );
            }
            const apply = lane.spawn(["apply", planFile, "--yes", "--json", "--config", PACED_CONFIG]);
            let exited = false;
            void apply.done.then(() => {
              exited = true;
            });
            if (byWrites && attempt === 1) {
              const after = Math.max(1, Math.min(planned - 1, Math.ceil(fraction * (planned - 1))));
              const deadline = Date.now() + 60_000;
              while (!exited && Date.now() < deadline) {
                if (writesTo(lane.log(), scenario.target).length >= after) break;
                await new Promise((resolve) => setTimeout(resolve, 3));
              }
              await new Promise((resolve) => setTimeout(resolve, extraMs));
            } else {
              await new Promise((resolve) =>
                setTimeout(resolve, (budget! * (0.15 + 0.85 * fraction)) / attempt),
              );
            }
            apply.child.kill("SIGKILL");
            const run = trace.add(`apply, killed (attempt ${attempt})`, await apply.done);
            lane.setFaults(undefined);
            if (run.signal === "SIGKILL") {
              const log = lane.log();
              killed = { landed: writesTo(log, scenario.target).length, planned, log };
            } else {
              expect(run.exitCode, "an apply that was not killed succeeds").toBe(0);
            }
          }
          expect(killed, "the apply was killed").toBeDefined();

          // The dead process's lock and journal are left behind; applying the plan again resumes.
          const journals = lane.journals();
          const lockLeft = lane.locks().length > 0;
          lane.clearLog();
          const again = trace.add("apply again", await lane.cli(["apply", planFile, "--yes", "--json"]));
          expect(again.exitCode, "no refusal of its own writes").toBe(0);
          const status = appliedTarget(again).status;
          if (journals.length > 0) expect(["resumed", "nothing to do"]).toContain(status);
          else expect(status).toBe("applied");
          expect(lane.locks(), "the lock is released").toEqual([]);
          const reapplied = lane.log();
          expect(writesTo([...killed!.log, ...reapplied], scenario.source)).toEqual([]);
          await expectConverged(lane, scenario, prune, reference, trace, { diff: false });

          // The first backup (written before the first write) puts the starting state back exactly.
          const backup = lane.backups()[0]!;
          expect(JSON.parse(readFileSync(backup, "utf8")).fingerprint).toBe(reference.start);
          const restored = trace.add(
            "restore",
            await lane.cli(["restore", backup, "--to", scenario.target.env, "--yes", "--json"]),
          );
          expect(restored.exitCode).toBe(0);
          expect(jsonOf<{ result: { fingerprint: string } }>(restored).result.fingerprint).toBe(
            reference.start,
          );
          expect(await lane.fingerprintOf(scenario.target)).toBe(reference.start);

          figures.kills.push({
            seed,
            scenario: name,
            landed: killed!.landed,
            planned: killed!.planned,
            journal: journals.length > 0,
            inflight: journals.some((journal) => journal.inflight !== undefined),
            lockLeft,
            status,
          });
          figures.sigkill.push({
            suite: "sigkill",
            seed,
            scenario: name,
            mode: byWrites ? "kill after writes" : "kill after a delay",
            outcome: "converged after resume",
            faults: countFaults([...killed!.log, ...reapplied]),
            requests: killed!.log.length + reapplied.length,
            writes: killed!.landed + writesTo(reapplied, scenario.target).length,
            ms: performance.now() - started,
          });
        }),
      ),
    );
  }
});

// -------------------------------------------------------------------------------------- 3. races

/*
 * Two different plans (a promotion and a migration onto the same environment) made against the
 * same starting state. Whether the second starts after the first finished, while it writes, or at
 * the same moment: one applies, the other refuses (exit 4: the first's changes are drift to it,
 * or the first still holds the lock) and writes nothing.
 */
const PAIRS: Array<[ScenarioName, ScenarioName]> = [
  ["kontent-promotion", "contensis-to-kontent"],
  ["contensis-promotion", "kontent-to-contensis"],
];
const RACE_MODES = ["one after the other", "second starts mid-flight", "both at once"] as const;

describe.concurrent("two applies racing on one target", () => {
  for (let n = 0; n < RACES; n++) {
    const seed = 6001 + n;
    const rng = mulberry32(seed);
    const pair = PAIRS[seed % PAIRS.length]!;
    const mode = RACE_MODES[Math.floor(n / PAIRS.length) % RACE_MODES.length]!;
    const [first, second] = rng() < 0.5 ? pair : ([pair[1], pair[0]] as const);
    const offsetMs = Math.floor(rng() * 40);

    it.skipIf(!selected(seed))(`seed ${seed}: ${first} and ${second}, ${mode}`, () =>
      traced(seed, `${first} vs ${second}`, (trace) =>
        pool.use(async (lane) => {
          const started = performance.now();
          const a = SCENARIOS[first];
          const b = SCENARIOS[second];
          const target = a.target;
          lane.reset();
          for (const [scenario, file] of [
            [a, "a.plan.json"],
            [b, "b.plan.json"],
          ] as const) {
            const made = trace.add(
              `plan ${scenario.name}`,
              await lane.cli(["plan", ...syncArgs(scenario, false), "--out", file, "--json"]),
            );
            expect(made.exitCode).toBe(0);
          }
          const planned = (file: string) =>
            (JSON.parse(readFileSync(lane.path(file), "utf8")) as { targets: Array<{ fingerprint: string }> })
              .targets[0]!.fingerprint;
          expect(planned("a.plan.json"), "both plans start from the same state").toBe(planned("b.plan.json"));
          lane.clearLog();
          const apply = (file: string) =>
            lane.spawn(["apply", file, "--yes", "--json", "--config", PACED_CONFIG]);

          let runA: CliRun;
          let runB: CliRun;
          let writesOfB: number | undefined;
          if (mode === "one after the other") {
            runA = trace.add(`apply ${first}`, await apply("a.plan.json").done);
            const writesOfA = writesTo(lane.log(), target).length;
            runB = trace.add(`apply ${second}`, await apply("b.plan.json").done);
            writesOfB = writesTo(lane.log(), target).length - writesOfA;
          } else {
            const processA = apply("a.plan.json");
            if (mode === "second starts mid-flight") {
              const deadline = Date.now() + 30_000;
              while (writesTo(lane.log(), target).length === 0 && Date.now() < deadline) {
                await new Promise((resolve) => setTimeout(resolve, 3));
              }
            } else {
              await new Promise((resolve) => setTimeout(resolve, offsetMs));
            }
            const processB = apply("b.plan.json");
            [runA, runB] = await Promise.all([processA.done, processB.done]);
            trace.add(`apply ${first}`, runA);
            trace.add(`apply ${second}`, runB);
          }

          // One applied; the other refused (exit 4) and wrote nothing.
          expect([runA.exitCode, runB.exitCode].sort()).toEqual([0, 4]);
          const winner = runA.exitCode === 0 ? a : b;
          const loser = runA.exitCode === 0 ? runB : runA;
          const refusal = jsonOf<{ error: { code: string } }>(loser).error.code;
          expect(["stale_plan", "drift", "locked"]).toContain(refusal);
          if (mode === "one after the other") {
            expect(winner).toBe(a);
            expect(refusal).toBe("stale_plan");
            expect(writesOfB, "the refused apply wrote nothing").toBe(0);
          }
          const reference = references.get(referenceKey(winner, false))!;
          const log = lane.log();
          expect(writesTo(log, target).length, "only the winner's writes").toBe(reference.writes);
          expect(lane.locks()).toEqual([]);
          await expectConverged(lane, winner, false, reference, trace, { diff: false });
          figures.refusals[refusal] = (figures.refusals[refusal] ?? 0) + 1;
          figures.races.push({
            suite: "races",
            seed,
            scenario: `${first} vs ${second}`,
            mode,
            outcome: "converged first time",
            faults: {},
            requests: log.length,
            writes: writesTo(log, target).length,
            ms: performance.now() - started,
          });
        }),
      ),
    );
  }
});

/*
 * The lock itself: two processes (the built StateDir) wait for the same wall-clock millisecond and
 * take the lock of one environment, holding it 100 ms. Never both at once: the lock appears with
 * its holder's pid already in it, so the other never reads it empty and takes it over as a dead
 * holder's (before that fix, both held it in about one pair in eight).
 */
const stateDirModule = new URL("../../dist/sync/state-dir.js", import.meta.url).href;
const LOCKER = `
import { StateDir } from ${JSON.stringify(stateDirModule)};
const [dir, at] = process.argv.slice(1);
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(at) - Date.now() - 2)));
while (Date.now() < Number(at)) {}
try {
  const unlock = await new StateDir(dir).lock("prod");
  const from = performance.timeOrigin + performance.now();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const to = performance.timeOrigin + performance.now();
  await unlock();
  console.log(JSON.stringify({ held: [from, to] }));
} catch (error) {
  console.log(JSON.stringify({ refused: error.code }));
}`;

function locker(dir: string, at: number): Promise<{ held?: [number, number]; refused?: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", LOCKER, dir, String(at)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.on("error", reject);
    child.on("close", () => resolve(JSON.parse(out)));
  });
}

describe("the lock", () => {
  it.skipIf(ONLY_SEED !== undefined)(
    `${LOCK_PAIRS} pairs of processes taking it at the same instant: never both`,
    async () => {
      const root = mkdtempSync(join(tmpdir(), "workflow-sync-lock-"));
      try {
        for (let pair = 0; pair < LOCK_PAIRS; pair++) {
          const dir = join(root, String(pair));
          const at = Date.now() + 250;
          const [a, b] = await Promise.all([locker(dir, at), locker(dir, at)]);
          figures.lock.pairs++;
          if (a.refused || b.refused) {
            expect([a.refused, b.refused].filter(Boolean)).toEqual(["locked"]);
            figures.lock.oneRefused++;
            continue;
          }
          const [x, y] = [a.held!, b.held!];
          const overlapping = x[0] < y[1] && y[0] < x[1];
          if (overlapping) figures.lock.overlapping++;
          else figures.lock.oneAfterTheOther++;
          expect(overlapping, `pair ${pair}: both held the lock at once`).toBe(false);
        }
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});
