// Benchmarks of issue 14, item 5 (run with `npm run bench -- scale`; about three minutes, most of it
// the rate limit's own floor):
// - 500 new Kontent.ai workflows, and a restore of 300 changed ones, against their floors;
// - plan of 30 to 1,000 workflows: wall time and peak memory of the CLI process (a table).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { syncOnce } from "./kontent-sync.mjs";
import {
  bar,
  envVar,
  KONTENT_WINDOWS,
  kontentConfig,
  kontentEnvironment,
  range,
  requestsOf,
  root,
  round,
  runCli,
  windowFloorMs,
  workspace,
} from "./lib.mjs";

const { startKontentSimulator } = await import(join(root, "tools/kontent-simulator/dist/index.js"));

function againstFloor(name, wallMs, requests, throttled) {
  const floorMs = windowFloorMs(requests, KONTENT_WINDOWS);
  const ratio = wallMs / floorMs;
  return bar(name, {
    figure: `${round(ratio, 3)}× floor (${Math.round(wallMs)} ms / ${floorMs} ms, ${requests} requests), ${throttled} × 429`,
    threshold: "≤ 1.05× floor, 0 × 429",
    pass: ratio <= 1.05 && throttled === 0,
    wallMs: Math.round(wallMs),
    floorMs,
    requests,
    throttled,
  });
}

async function create500() {
  const result = await syncOnce({ source: range(500), targets: [[]] });
  return againstFloor("Kontent.ai: 500 new workflows", result.wallMs, result.busiest, result.throttled);
}

/**
 * A target of 300 workflows is synced (without limits, to set the stage) to 300 changed ones; its
 * backup is then restored at the documented limits: 300 updates.
 */
async function restore300() {
  const sim = await startKontentSimulator({
    seed: {
      environments: {
        "bench-src": kontentEnvironment("bench-src-key", range(300, true)),
        "bench-t1": kontentEnvironment("bench-t1-key", range(300)),
      },
    },
    rateLimit: false,
  });
  const names = ["bench-src", "bench-t1"];
  const ws = workspace(Object.fromEntries(names.map((name) => [name, kontentConfig(name, sim.baseUrl)])));
  const env = Object.fromEntries(names.map((name) => [envVar(name), `${name}-key`]));
  try {
    await runCli(["sync", "bench-src", "bench-t1", "--yes", "--json"], { cwd: ws.dir, env });
    const backups = join(ws.dir, ".workflow-sync", "backups");
    const backup = readdirSync(backups, { recursive: true })
      .map(String)
      .find((file) => file.endsWith(".json"));
    if (!backup) throw new Error("no backup was written");
    sim.setRateLimit({ perSecond: 10, perMinute: 400 }); // also clears the windows
    sim.clearRequests();
    const run = await runCli(["restore", join(backups, backup), "--to", "bench-t1", "--yes", "--json"], {
      cwd: ws.dir,
      env,
    });
    const target = requestsOf(sim.requests(), "bench-t1");
    if (target.writes !== 300) throw new Error(`restore wrote ${target.writes} times, expected 300`);
    return againstFloor(
      "Kontent.ai: restore of 300 changed workflows",
      run.wallMs,
      target.requests,
      target.throttled,
    );
  } finally {
    await sim.close();
    ws.dispose();
  }
}

/** `plan` of n workflows (the target holds older versions of all of them): wall time and peak memory. */
async function planOf(n) {
  const result = await syncOnce({
    source: range(n),
    targets: [range(n, true)],
    command: (names) => ["plan", "bench-src", names[0], "--out", "plan.json", "--json"],
  });
  return { workflows: n, wallMs: Math.round(result.wallMs), peakMb: Math.round(result.maxRssMb) };
}

export async function benchScale() {
  const results = [];
  const growth = [];
  for (const n of [30, 100, 300, 1000]) growth.push(await planOf(n));
  const largest = growth.at(-1);
  results.push(
    bar("plan of 1,000 workflows (Kontent.ai to Kontent.ai, all changed)", {
      figure: `${largest.wallMs} ms, ${largest.peakMb} MB peak`,
      threshold: "< 3,000 ms and < 300 MB",
      pass: largest.wallMs < 3000 && largest.peakMb < 300,
      growth,
      table: [
        "| workflows | plan wall | peak memory |",
        "|---:|---:|---:|",
        ...growth.map((row) => `| ${row.workflows} | ${row.wallMs} ms | ${row.peakMb} MB |`),
      ].join("\n"),
    }),
  );
  results.push(await create500());
  results.push(await restore300());
  return results;
}
