// npm run bench: every benchmark of the project, each reported with its bar. Ratios are taken
// within one run on the same machine (never absolute times in a unit test).
const only = process.argv[2];
const benches = {
  core: async () => (await import("./bench/core.mjs")).benchCore(),
  "cold-start": async () => (await import("./bench/cold-start.mjs")).benchColdStart(),
  "kontent-sync": async () => (await import("./bench/kontent-sync.mjs")).benchKontentSync(),
};
const results = [];
for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  process.stderr.write(`bench: ${name}…\n`);
  const result = await run();
  for (const entry of Array.isArray(result) ? result : [result]) {
    results.push(entry);
    console.log(JSON.stringify(entry, null, 2));
  }
}
const failed = results.filter((result) => result.pass === false);
console.log(`${results.length - failed.length} of ${results.length} benchmarks within their bar`);
process.exitCode = failed.length ? 1 : 0;
