// The workflow-sync CLI as the benchmarks run it: exactly what bin/workflow-sync.js does, plus one
// line on stderr at exit with the process's start time (epoch ms) and its peak memory, so that a
// benchmark can tell the time from process start to the first request the simulator logged.
import module from "node:module";

module.enableCompileCache?.(); // as bin/workflow-sync.js does
const { mainModule } = await import("../../apps/sync/bin/entry.js");
const { main } = await import(mainModule());
const code = await main(process.argv.slice(2));
const usage = process.resourceUsage();
process.stderr.write(
  `\n@@bench ${JSON.stringify({ origin: performance.timeOrigin, maxRssKb: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 })}\n`,
);
process.exitCode = code;
