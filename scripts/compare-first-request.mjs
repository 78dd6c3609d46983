// Compares the time from process start to the first request of two or more builds of the CLI, in
// alternating runs within one process (the machines are shared: figures taken minutes apart are not
// comparable). Each build is a cli-child.mjs, as `BENCH_CLI_CHILD` takes it (scripts/bench/lib.mjs):
//
//   node scripts/compare-first-request.mjs 21 /path/to/earlier/scripts/bench/cli-child.mjs scripts/bench/cli-child.mjs
//
// Each run is a `sync` of 30 Kontent.ai workflows that are already in sync (nothing to do), against a
// fresh simulator, exactly as `npm run bench -- kontent-sync` runs it. Prints the medians.
import { resolve } from "node:path";

const { syncOnce } = await import("./bench/kontent-sync.mjs");
const { median, range } = await import("./bench/lib.mjs");

const [runsArg, ...builds] = process.argv.slice(2);
const runs = Number(runsArg);
if (!Number.isInteger(runs) || runs < 1 || builds.length === 0) {
  console.error("usage: node scripts/compare-first-request.mjs RUNS CLI_CHILD...");
  process.exit(64);
}
const children = builds.map((build) => resolve(build));
const results = new Map(children.map((child) => [child, []]));
for (let run = 0; run < runs; run++) {
  for (const child of children) {
    process.env.BENCH_CLI_CHILD = child;
    const result = await syncOnce({ source: range(30), targets: [range(30)] });
    results.get(child).push(result);
  }
}
for (const [child, list] of results) {
  const first = Math.round(median(list.map((result) => result.firstRequestMs)));
  const wall = Math.round(median(list.map((result) => result.wallMs)));
  console.log(`${child}: first request ${first} ms, wall ${wall} ms (medians of ${list.length})`);
}
