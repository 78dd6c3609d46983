// Benchmark (issue 2): parse + validate + canonicalize + diff of 1,000 workflows of 40 states and
// 120 transitions (about 5% of states differ) against jsondiffpatch's diff alone on the same
// parsed documents. Each measured run is its own process; the median of 3 runs is reported.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const here = new URL(".", import.meta.url).pathname;
const { generateWorkflowSet, mutateWorkflows } = await import("../../packages/test-utils/dist/index.js");

export async function benchCore({ runs = 3 } = {}) {
  const source = generateWorkflowSet({ count: 1000, states: 40, transitions: 120, seed: 1 });
  const target = mutateWorkflows(source, { stateFraction: 0.05, seed: 2 });
  const dir = mkdtempSync(join(tmpdir(), "workflow-sync-bench-"));
  const file = join(dir, "documents.json");
  writeFileSync(file, JSON.stringify({ source, target }));
  const once = (which) =>
    JSON.parse(
      execFileSync(
        process.execPath,
        ["--max-old-space-size=4096", join(here, "core-pipeline.mjs"), file, which],
        {
          encoding: "utf8",
        },
      ),
    );
  const ours = [];
  const theirs = [];
  try {
    for (let run = 0; run < runs; run++) {
      ours.push(once("ours"));
      theirs.push(once("jsondiffpatch"));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const oursMs = median(ours.map((run) => run.ms));
  const theirsMs = median(theirs.map((run) => run.ms));
  const peak = Math.max(...ours.map((run) => run.maxRssMb));
  return {
    name: "core pipeline vs jsondiffpatch (1,000 workflows × 40 states × 120 transitions, 5% of states differ)",
    oursMs: Math.round(oursMs),
    jsondiffpatchMs: Math.round(theirsMs),
    speedup: Number((theirsMs / oursMs).toFixed(2)),
    peakRssMb: Math.round(peak),
    changes: ours[0].summary.changes,
    pass: theirsMs / oursMs >= 2 && peak < 512,
    bar: "≥ 2× faster than jsondiffpatch's diff alone; peak memory < 512 MB",
  };
}
