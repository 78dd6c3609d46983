// Benchmark (issue 5): `workflow-sync --help` cold start against `node -e 0`, same machine, same run.
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";

const bin = new URL("../../apps/sync/bin/workflow-sync.js", import.meta.url).pathname;

function time(args) {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { encoding: "utf8" });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return ms;
}

export async function benchColdStart({ runs = 21 } = {}) {
  const help = [];
  const bare = [];
  time([bin, "--help"]); // warm the file cache once, like any second run on a machine
  for (let run = 0; run < runs; run++) {
    bare.push(time(["-e", "0"]));
    help.push(time([bin, "--help"]));
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const ratio = median(help) / median(bare);
  return {
    name: "workflow-sync --help cold start vs node -e 0",
    helpMs: Math.round(median(help)),
    nodeMs: Math.round(median(bare)),
    ratio: Number(ratio.toFixed(2)),
    runs,
    pass: ratio <= 3,
    bar: "≤ 3× node -e 0",
  };
}
