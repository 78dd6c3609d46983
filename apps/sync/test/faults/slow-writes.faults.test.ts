import { describe, expect, it } from "vitest";
import { type CliRun, jsonOf, traced } from "./support/cli.ts";
import { TIMEOUT_MS } from "./support/config.ts";
import { writeFigures } from "./support/figures.ts";
import { ENDPOINTS, type Envelope } from "./support/folder-lane.ts";
import { suiteFolderLanes } from "./support/folder-lanes.ts";
import { mulberry32, selected, sleep } from "./support/seeded.ts";

/*
 * Slow answers that still land, on Kontent.ai two-request updates (seeds 7301 …; issue 9): the
 * first request of a pair ("press_review", support/seeds.ts) answered after the client's timeout,
 * applied late ("late" fault) or at once ("slow"): 0 runs end with exit 0 and a workflow in an
 * intermediate state; an exit 1 is followed by the same command, which converges.
 *
 * Replay one seed: cd apps/sync && FAULT_SEED=7305 npm run test:faults   (rebuild first: dist)
 * What it guarantees and the windows that remain: docs/reliability.md.
 */

const envelope = (run: CliRun) => jsonOf<Envelope>(run);

const figures = {
  slowPairs: {
    runs: 0,
    exit0: 0,
    exit1ThenResumed: 0,
    intermediateWithExit0: 0,
    lateFaults: 0,
    slowFaults: 0,
  },
};

const lanes = suiteFolderLanes(() => writeFigures("slow writes", figures));

/** What a fault-free sync leaves in the target (made by the first run). */
let reference: unknown[] | undefined;

describe.concurrent("slow answers that still land, on Kontent.ai two-request updates", () => {
  for (let n = 0; n < 8; n++) {
    const seed = 7301 + n;
    const rng = mulberry32(seed);
    const slowMs = Math.round(TIMEOUT_MS * (1.2 + rng() * 2.8));
    const rate = Math.round((0.3 + rng() * 0.5) * 100) / 100;
    it.skipIf(!selected(seed))(`seed ${seed}: late/slow writes at ${rate}, ${slowMs} ms`, () =>
      traced(seed, "slow answers that still land", () =>
        lanes.pool.use(async (lane) => {
          const { from, to } = ENDPOINTS.kontent;
          lane.reset();
          if (!reference) {
            expect((await lane.cli("a", ["sync", from, to, "--yes", "--json"])).exitCode).toBe(0);
            reference = lane.kontentState();
            lane.reset();
          }
          lane.kontent.setFaults({
            seed,
            // The first PUT of press_review's pair always meets one; other writes at random.
            script: [{ method: "PUT", path: "/workflows/5eed", kind: rng() < 0.7 ? "late" : "slow" }],
            random: { rate, kinds: ["late", "slow"], writesOnly: true },
            slowMs,
          });
          const first = await lane.cli("a", ["sync", from, to, "--yes", "--json"]);
          lane.kontent.setFaults(undefined);
          for (const entry of lane.kontent.requests()) {
            if (entry.fault === "late") figures.slowPairs.lateFaults++;
            if (entry.fault === "slow") figures.slowPairs.slowFaults++;
          }
          // Whatever was sent has landed by now.
          await sleep(slowMs + 200);
          figures.slowPairs.runs++;
          if (first.exitCode === 0) {
            figures.slowPairs.exit0++;
            const state = lane.kontentState();
            if (JSON.stringify(state) !== JSON.stringify(reference))
              figures.slowPairs.intermediateWithExit0++;
            expect(state, "exit 0: the target holds exactly what a fault-free sync writes").toEqual(
              reference,
            );
          } else {
            expect(first.exitCode, first.stdout).toBe(1);
            expect(["write_outcome_unknown", "verify_failed", "unclear_write"]).toContain(
              envelope(first).error?.code,
            );
            // The same command again (no faults) converges.
            const again = await lane.cli("a", ["sync", from, to, "--yes", "--json"]);
            expect(again.exitCode, again.stdout).toBe(0);
            expect(lane.kontentState()).toEqual(reference);
            figures.slowPairs.exit1ThenResumed++;
          }
        }),
      ),
    );
  }
});
