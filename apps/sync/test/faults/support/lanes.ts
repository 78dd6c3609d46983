import { afterAll, beforeAll } from "vitest";
import { makeReference, type Reference } from "./convergence.ts";
import { Lane, LanePool } from "./lane.ts";
import { referenceKey, type Scenario } from "./scenarios.ts";

/*
 * A suite's lanes and references: started before its first run, closed after its last (a file
 * whose runs are all skipped, e.g. under FAULT_SEED, starts nothing).
 */

/** Concurrent runs (each lane: its own simulators and folder); most of a run's time is waiting. */
const LANES = 5;

export interface SuiteLanes {
  pool: LanePool<Lane>;
  /** The fault-free yardstick of a scenario (with or without --prune). */
  reference(scenario: Scenario, prune: boolean): Reference;
}

/**
 * Registers the suite's hooks: LANES lanes, and a fault-free reference for each scenario the suite
 * runs (with and without --prune where it may prune). `afterRuns` (the figures) runs before the
 * lanes close.
 */
export function suiteLanes(
  scenarios: readonly Scenario[],
  options: { prune: boolean; afterRuns?: () => void },
): SuiteLanes {
  let pool: LanePool<Lane> | undefined;
  const references = new Map<string, Reference>();
  beforeAll(async () => {
    pool = new LanePool(await Promise.all(Array.from({ length: LANES }, () => Lane.start())));
    const started = pool;
    const wanted = scenarios.flatMap((scenario) =>
      (options.prune && scenario.prunable ? [false, true] : [false]).map((prune) => ({ scenario, prune })),
    );
    await Promise.all(
      wanted.map(({ scenario, prune }) =>
        started.use(async (lane) => {
          references.set(referenceKey(scenario, prune), await makeReference(lane, scenario, prune));
        }),
      ),
    );
  }, 120_000);
  afterAll(async () => {
    options.afterRuns?.();
    await pool?.close();
  });
  return {
    get pool() {
      return pool!;
    },
    reference: (scenario, prune) => references.get(referenceKey(scenario, prune))!,
  };
}
