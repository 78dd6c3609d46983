// npm run bench: every benchmark of the project, each reported with its bar. Ratios are taken
// within one run on the same machine (never absolute times in a unit test).
//   npm run bench                 the default set (a few minutes)
//   npm run bench -- NAME         one of them (core, cold-start, kontent-sync, contensis-sync, scale)
//   npm run bench -- all          the default set and `scale` (500 new workflows, restore of 300, plan of 1,000)
const only = process.argv[2];
const benches = {
  core: async () => (await import("./bench/core.mjs")).benchCore(),
  "cold-start": async () => (await import("./bench/cold-start.mjs")).benchColdStart(),
  "kontent-sync": async () => (await import("./bench/kontent-sync.mjs")).benchKontentSync(),
  "contensis-sync": async () => (await import("./bench/contensis-sync.mjs")).benchContensisSync(),
  scale: async () => (await import("./bench/scale.mjs")).benchScale(),
};
/** Not in the default set: slow (mostly the rate limit's own floor). */
const optional = new Set(["scale"]);
if (only && only !== "all" && !(only in benches)) {
  console.error(`unknown bench "${only}": ${Object.keys(benches).join(", ")}, all`);
  process.exit(64);
}
const results = [];
for (const [name, run] of Object.entries(benches)) {
  if (only && only !== "all" && only !== name) continue;
  if (!only && optional.has(name)) continue;
  process.stderr.write(`bench: ${name}…\n`);
  const result = await run();
  for (const entry of Array.isArray(result) ? result : [result]) {
    results.push(entry);
    console.log(JSON.stringify(entry, null, 2));
  }
}

/** The figure of a result that predates `figure` (core, cold-start): its ratio or speed-up. */
const figureOf = (result) =>
  result.figure ??
  (result.speedup !== undefined
    ? `${result.speedup}× faster`
    : result.ratio !== undefined
      ? `${result.ratio}×`
      : "");
const cell = (text) => String(text).replaceAll("|", "\\|");
console.log("\n| bench | figure | bar | |");
console.log("|---|---|---|---|");
for (const result of results) {
  console.log(
    `| ${cell(result.name)} | ${cell(figureOf(result))} | ${cell(result.threshold ?? result.bar ?? "")} | ${result.pass ? "ok" : "**over**"} |`,
  );
}
for (const result of results) if (result.table) console.log(`\n${result.name}:\n\n${result.table}`);
const failed = results.filter((result) => result.pass === false);
console.log(`\n${results.length - failed.length} of ${results.length} benchmarks within their bar`);
process.exitCode = failed.length ? 1 : 0;
