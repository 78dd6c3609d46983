// Shared pieces of the sync benchmarks: seeds for the simulators, a config, running the built CLI
// (as its own process, while the simulators answer in this one), medians and floors.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

export const root = new URL("../../", import.meta.url).pathname;
// BENCH_CLI_CHILD: another build's cli-child.mjs (e.g. a checkout of an earlier commit), to compare
// two builds against the same simulators and seeds.
const cliChild = () => process.env.BENCH_CLI_CHILD ?? join(root, "scripts/bench/cli-child.mjs");
export const { windowFloorMs } = await import(join(root, "packages/http/dist/index.js"));

/** Kontent.ai's documented default limits as windows (10 per 1 s, 400 per 60 s). */
export const KONTENT_WINDOWS = [
  { requests: 10, windowMs: 1000 },
  { requests: 400, windowMs: 60_000 },
];

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
export const round = (value, digits = 0) => Number(value.toFixed(digits));

const COLORS = [
  "gray",
  "red",
  "rose",
  "light-purple",
  "dark-blue",
  "sky-blue",
  "mint-green",
  "yellow",
  "orange",
  "brown",
];
const ROLE_NAMES = ["Contributor", "Reviewer", "Legal"];

export function kontentRoles() {
  return ROLE_NAMES.map((name) => ({ id: randomUUID(), name, codename: null }));
}

/** One Kontent.ai workflow in wire form: draft → review → legal → published, with role limits. */
export function kontentWorkflow(index, roleList, variant = false) {
  const role = (name) => roleList.find((entry) => entry.name === name).id;
  const steps = [
    ["draft", "Draft", ["review"], ["Contributor"]],
    ["review", "Review", ["legal", "draft"], ["Reviewer"]],
    ["legal", variant ? "Legal check" : "Legal", ["published", "review"], ["Legal"]],
  ];
  return {
    id: randomUUID(),
    name: `Workflow ${index}`,
    codename: `workflow_${index}`,
    scopes: [{ content_types: [], collections: [] }],
    steps: steps.map(([codename, name, to, stepRoles], position) => ({
      id: randomUUID(),
      name,
      codename,
      color: COLORS[(index + position + (variant ? 1 : 0)) % COLORS.length],
      transitions_to: to.map((target) => ({ step: { codename: target } })),
      role_ids: stepRoles.map(role),
    })),
    published_step: { unpublish_role_ids: [role("Legal")], create_new_version_role_ids: [] },
    archived_step: { role_ids: [] },
  };
}

/**
 * A Kontent.ai environment seed: `workflows` is a list of [index, variant] pairs; with `content`, one
 * content type and a few items whose variants sit in the default workflow (what an in-use check
 * before a delete has to look through).
 */
export function kontentEnvironment(key, workflows, { content = false } = {}) {
  const roles = kontentRoles();
  const seed = {
    apiKeys: [key],
    roles,
    workflows: workflows.map(([index, variant]) => kontentWorkflow(index, roles, variant)),
  };
  if (content) {
    seed.contentTypes = [{ id: randomUUID(), name: "Article", codename: "article" }];
    seed.items = Array.from({ length: 5 }, (_, index) => ({
      id: randomUUID(),
      name: `Article ${index}`,
      codename: `article_${index}`,
      type: { codename: "article" },
    }));
    seed.variants = seed.items.map((item) => ({
      item: { id: item.id },
      language: { id: "00000000-0000-0000-0000-000000000000" },
    }));
  }
  return seed;
}

export const range = (n, variant = false) => Array.from({ length: n }, (_, index) => [index, variant]);

/** A workspace with a config naming `environments` ({ name: config lines }); removed by `dispose`. */
export function workspace(environments) {
  const dir = mkdtempSync(join(tmpdir(), "workflow-sync-bench-"));
  const lines = ["environments:"];
  for (const [name, body] of Object.entries(environments)) {
    lines.push(`  ${name}:`, ...body.map((line) => `    ${line}`));
  }
  writeFileSync(join(dir, "workflow-sync.config.yaml"), `${lines.join("\n")}\n`);
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export function kontentConfig(name, baseUrl, extra = []) {
  return [
    "vendor: kontent",
    `environmentId: ${name}`,
    `apiKey: { env: ${envVar(name)} }`,
    `baseUrl: ${baseUrl}`,
    ...extra,
  ];
}

export const envVar = (name) => `${name.replace(/[^A-Za-z0-9]/g, "_").toUpperCase()}_KEY`;

/**
 * Runs the CLI in its own process (the simulators keep answering in this one). Resolves with the wall
 * time from spawn to exit, the process's start time (epoch ms) and its peak memory.
 */
export function runCli(args, { cwd, env }) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const spawnedAt = Date.now();
    const proc = spawn(
      process.execPath,
      [...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(" ") : []), cliChild(), ...args],
      {
        cwd,
        env: { ...process.env, NO_COLOR: "1", ...env },
      },
    );
    let stdout = "";
    let stderr = "";
    proc.stdout.on("data", (chunk) => (stdout += chunk));
    proc.stderr.on("data", (chunk) => (stderr += chunk));
    proc.on("error", reject);
    proc.on("close", (status) => {
      const wallMs = performance.now() - start;
      const marker = /@@bench (\{.*\})/.exec(stderr);
      const info = marker ? JSON.parse(marker[1]) : {};
      if (status !== 0 && status !== 2) {
        reject(new Error(`workflow-sync ${args.join(" ")} exited ${status}:\n${stdout}\n${stderr}`));
        return;
      }
      resolve({
        status,
        wallMs,
        spawnedAt,
        origin: info.origin,
        maxRssMb: (info.maxRssKb ?? 0) / 1024,
        stdout,
      });
    });
  });
}

/** Requests one environment received, from a simulator's log. */
export function requestsOf(log, id, field = "environmentId") {
  const entries = log.filter((entry) => entry[field] === id);
  return {
    requests: entries.length,
    reads: entries.filter((entry) => !entry.write).length,
    writes: entries.filter((entry) => entry.write).length,
    throttled: entries.filter((entry) => entry.status === 429).length,
    firstAt: entries.length ? Date.parse(entries[0].time) : undefined,
  };
}

/** One bar: its figure, its threshold and whether it holds. */
export function bar(name, { figure, threshold, pass, ...details }) {
  return { name, figure, threshold, pass, ...details };
}
