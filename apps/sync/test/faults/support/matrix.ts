import { describe, it } from "vitest";
import { traced } from "./cli.ts";
import { MAIN_CONFIG, OVERLAP, overlapConfig } from "./config.ts";
import { faultRun } from "./convergence.ts";
import { describeConfig, runConfig } from "./fault-plan.ts";
import { type RunRecord, summarize } from "./figures.ts";
import { suiteLanes } from "./lanes.ts";
import { ORDER, SCENARIOS, type ScenarioName } from "./scenarios.ts";
import { selected } from "./seeded.ts";

/** Runs of the fault matrix per scenario: 52 seeds each (1001 … for the first scenario of ORDER, …). */
const MATRIX_RUNS_PER_SCENARIO = 52;

/**
 * The fault matrix of some scenarios, in a suite of their own: each seeded run (sync, or plan then
 * apply, under the seed's faults) converges, first time or after the same command again; the
 * figures are kept as `workflow-sync-<title>.json`. `overlap`: the syncs and applies run with
 * Contensis writes OVERLAP at a time (seeds 10000 higher: 12001 … for the second scenario of ORDER).
 */
export function faultMatrix(
  title: string,
  names: readonly ScenarioName[],
  options: { overlap?: boolean; runs?: number } = {},
): void {
  const records: RunRecord[] = [];
  const lanes = suiteLanes(
    names.map((name) => SCENARIOS[name]),
    { prune: true, afterRuns: () => (records.length > 0 ? void summarize(title, records) : undefined) },
  );
  for (const name of names) {
    const scenario = SCENARIOS[name];
    const index = ORDER.indexOf(name);
    const base = (options.overlap ? 10_000 : 0) + (index + 1) * 1000;
    const seeds = Array.from({ length: options.runs ?? MATRIX_RUNS_PER_SCENARIO }, (_, n) => base + n + 1);
    const label = options.overlap ? `${name}, Contensis writes ${OVERLAP} at a time` : name;
    describe.concurrent(`fault matrix: ${label}`, () => {
      for (const seed of seeds) {
        const config = runConfig(seed, scenario);
        it.skipIf(!selected(seed))(`seed ${seed}: ${describeConfig(config)}`, () =>
          traced(seed, label, async (trace) => {
            const reference = lanes.reference(scenario, config.prune);
            const record = await lanes.pool.use((lane) =>
              faultRun(lane, "matrix", scenario, config, reference, trace, {
                ...(options.overlap ? { config: overlapConfig(MAIN_CONFIG) } : {}),
              }),
            );
            records.push(record);
          }),
        );
      }
    });
  }
}
