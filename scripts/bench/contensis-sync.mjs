// Benchmark of issue 14, item 6 for Contensis: 30 new workflow definitions into a project of the
// simulator that answers every request 150 ms late. Contensis documents no rate limit, so only the
// number of writes in flight bounds an apply: sequential (`concurrency: { writes: 1 }`) against the
// default. Each new definition is a create and a publish, one after the other.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bar, median, requestsOf, root, round, runCli, workspace } from "./lib.mjs";

const { startContensisSimulator } = await import(join(root, "tools/contensis-simulator/dist/index.js"));
const demo = JSON.parse(readFileSync(join(root, "tools/contensis-simulator/seeds/demo.json"), "utf8"));
const client = demo.clients[0];
const template = demo.projects["website-dev"].workflows.find((w) => w.id === "CustomEntryApproval");

function seed(count) {
  const workflows = Array.from({ length: count }, (_, index) => ({
    ...structuredClone(template),
    uuid: randomUUID(),
    id: `benchWorkflow${index}`,
    name: { "en-GB": `Bench workflow ${index}` },
  }));
  return {
    clients: [client],
    projects: {
      "bench-src": { workflows, contentTypes: [], roles: [], entries: [] },
      "bench-dst": { workflows: [], contentTypes: [], roles: [], entries: [] },
    },
  };
}

async function once(count, latencyMs, writes) {
  const sim = await startContensisSimulator({ seed: seed(count), latencyMs });
  const common = (project) => [
    "vendor: contensis",
    `rootUrl: ${sim.url}`,
    `projectId: ${project}`,
    "clientId: { env: BENCH_CONTENSIS_ID }",
    "clientSecret: { env: BENCH_CONTENSIS_SECRET }",
  ];
  const ws = workspace({
    "bench-src": common("bench-src"),
    "bench-dst": [...common("bench-dst"), ...(writes ? [`concurrency: { writes: ${writes} }`] : [])],
  });
  try {
    const run = await runCli(["sync", "bench-src", "bench-dst", "--yes", "--json"], {
      cwd: ws.dir,
      env: { BENCH_CONTENSIS_ID: client.clientId, BENCH_CONTENSIS_SECRET: client.clientSecret },
    });
    const created = sim
      .state("bench-dst")
      .definitions.filter((d) => d.id.startsWith("benchWorkflow") && d.published !== null).length;
    if (created !== count) throw new Error(`expected ${count} definitions in bench-dst, found ${created}`);
    return { ...run, ...requestsOf(sim.requests(), "bench-dst", "projectId") };
  } finally {
    await sim.close();
    ws.dispose();
  }
}

export async function benchContensisSync({ runs = 3, latencyMs = 150 } = {}) {
  const sequential = [];
  const concurrent = [];
  for (let run = 0; run < runs; run++) {
    sequential.push(await once(30, latencyMs, 1));
    concurrent.push(await once(30, latencyMs, 4));
  }
  const seqMs = median(sequential.map((result) => result.wallMs));
  const conMs = median(concurrent.map((result) => result.wallMs));
  const speedup = seqMs / conMs;
  return [
    bar(`Contensis: 30 new definitions at ${latencyMs} ms latency, sequential vs concurrent writes`, {
      figure: `${round(speedup, 2)}× faster (${Math.round(conMs)} ms with 4 writes in flight (concurrency.writes 4), ${Math.round(seqMs)} ms one at a time; ${concurrent[0].writes} writes)`,
      threshold: "≥ 2× faster than sequential",
      pass: speedup >= 2,
      sequentialMs: Math.round(seqMs),
      concurrentMs: Math.round(conMs),
      writes: concurrent[0].writes,
      reads: concurrent[0].reads,
      runs,
    }),
  ];
}
