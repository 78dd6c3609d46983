// Benchmarks (issues 3 and 5): syncing 30 workflows into Kontent.ai environments of the simulator
// at the vendor's default limits (10 requests/s, 400/min per environment), through the built CLI.
// - create: 30 workflows into an empty environment;
// - update: 30 changed workflows into an environment that holds older versions of them;
// - fan-out: the create sync to 10 environments at once (`--to a,b,…`), against the time for one.
// For each: requests sent to the target (from the simulator's log), 429s, wall time, and the ratio
// of the wall time to the time the limits impose on that many requests (requests / 10 per second).
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const root = new URL("../../", import.meta.url).pathname;
const { startKontentSimulator } = await import(join(root, "tools/kontent-simulator/dist/index.js"));
const bin = join(root, "apps/sync/bin/workflow-sync.js");

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
const TARGETS = 10;

function roles() {
  return ROLE_NAMES.map((name) => ({ id: randomUUID(), name, codename: null }));
}

/** One Kontent.ai workflow in wire form: draft → review → legal → published, with role limits. */
function workflow(index, roleList, variant) {
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

function seed({ targetHolds }) {
  const environments = {};
  const sourceRoles = roles();
  environments["bench-src"] = {
    apiKeys: ["bench-src-key"],
    roles: sourceRoles,
    workflows: Array.from({ length: 30 }, (_, index) => workflow(index, sourceRoles, false)),
  };
  for (let target = 1; target <= TARGETS; target++) {
    const targetRoles = roles();
    environments[`bench-t${target}`] = {
      apiKeys: [`bench-t${target}-key`],
      roles: targetRoles,
      workflows: targetHolds
        ? Array.from({ length: 30 }, (_, index) => workflow(index, targetRoles, true))
        : [],
    };
  }
  return { environments };
}

function config(baseUrl) {
  const lines = ["environments:"];
  for (const name of ["bench-src", ...Array.from({ length: TARGETS }, (_, index) => `bench-t${index + 1}`)]) {
    lines.push(
      `  ${name}:`,
      "    vendor: kontent",
      `    environmentId: ${name}`,
      `    apiKey: { env: ${name.replace("-", "_").toUpperCase()}_KEY }`,
      `    baseUrl: ${baseUrl}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

const env = { ...process.env, NO_COLOR: "1" };
env.BENCH_SRC_KEY = "bench-src-key";
for (let target = 1; target <= TARGETS; target++) env[`BENCH_T${target}_KEY`] = `bench-t${target}-key`;

async function measure(targets, targetHolds) {
  const sim = await startKontentSimulator({ seed: seed({ targetHolds }) }); // default limits: 10/s, 400/min
  const dir = mkdtempSync(join(tmpdir(), "workflow-sync-bench-"));
  try {
    writeFileSync(join(dir, "workflow-sync.config.yaml"), config(sim.baseUrl));
    const start = performance.now();
    // Asynchronous: the simulator lives in this process and must keep answering.
    const run = await new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [bin, "sync", "bench-src", targets.join(","), "--yes", "--json"],
        { cwd: dir, env },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("error", reject);
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
    const wallMs = performance.now() - start;
    if (run.status !== 0) throw new Error(`sync failed (${run.status}): ${run.stdout}${run.stderr}`);
    const log = sim.requests();
    const perTarget = targets.map((target) => {
      const entries = log.filter((entry) => entry.environmentId === target);
      return {
        target,
        requests: entries.length,
        reads: entries.filter((entry) => !entry.write).length,
        writes: entries.filter((entry) => entry.write).length,
        throttled: entries.filter((entry) => entry.status === 429).length,
      };
    });
    return {
      wallMs,
      perTarget,
      sourceReads: log.filter((entry) => entry.environmentId === "bench-src").length,
    };
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The time the limits impose on n requests to one environment: n / 10 per second (and 400/min). */
const imposedMs = (requests) =>
  Math.max((requests / 10) * 1000, (Math.max(0, requests - 400) / 400) * 60_000);

export async function benchKontentSync() {
  const results = [];
  for (const [label, holds] of [
    ["create 30 workflows in an empty environment", false],
    ["update 30 changed workflows", true],
  ]) {
    const one = await measure(["bench-t1"], holds);
    const target = one.perTarget[0];
    const ratio = one.wallMs / imposedMs(target.requests);
    results.push({
      name: `Kontent.ai sync: ${label} (default limits 10/s, 400/min)`,
      requests: target.requests,
      reads: target.reads,
      writes: target.writes,
      minimumRequests: 4 + 30,
      throttled: target.throttled,
      wallMs: Math.round(one.wallMs),
      imposedMs: Math.round(imposedMs(target.requests)),
      ratio: Number(ratio.toFixed(3)),
      pass: target.throttled === 0 && target.writes === 30 && target.reads === 4 && ratio <= 1.15,
      bar: "minimum requests (4 list reads + 1 write per workflow), no 429, ≤ 1.15× the imposed time",
    });
  }
  const single = await measure(["bench-t1"], false);
  const fanOut = await measure(
    Array.from({ length: TARGETS }, (_, index) => `bench-t${index + 1}`),
    false,
  );
  const ratio = fanOut.wallMs / single.wallMs;
  results.push({
    name: `Kontent.ai sync to ${TARGETS} environments at once vs one`,
    oneMs: Math.round(single.wallMs),
    tenMs: Math.round(fanOut.wallMs),
    ratio: Number(ratio.toFixed(3)),
    throttled: fanOut.perTarget.reduce((sum, entry) => sum + entry.throttled, 0),
    requestsPerTarget: [...new Set(fanOut.perTarget.map((entry) => entry.requests))],
    pass: ratio <= 1.3 && fanOut.perTarget.every((entry) => entry.throttled === 0),
    bar: "≤ 1.3× the time for one environment, no 429",
  });
  return results;
}
