import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { countFaults, type LoggedRequest, writesTo } from "./support/admin-log.ts";
import { jsonOf, traced } from "./support/cli.ts";
import { MAIN_CONFIG, OVERLAP, overlapConfig, PACED, PACED_CONFIG } from "./support/config.ts";
import { appliedTarget, expectConverged } from "./support/convergence.ts";
import { type RunRecord, summarize } from "./support/figures.ts";
import { suiteLanes } from "./support/lanes.ts";
import { ORDER, SCENARIOS, type ScenarioName, syncArgs } from "./support/scenarios.ts";
import { mulberry32, selected } from "./support/seeded.ts";
import { plannedRequests } from "./support/state-dir.ts";

/*
 * Interrupted applies and resume (seeds 5001–5052). An apply (paced at PACED.perSecond, so that
 * there is time) is killed with SIGKILL after a random number of its writes reached the
 * simulator, or after a random delay, sometimes while the simulator holds a write's answer back
 * (`slow`: applied, not answered yet). Applying the same plan again takes the dead process's lock
 * over, resumes from the journal (no stale-plan refusal for its own writes) and converges; the
 * first backup then restores the starting fingerprint exactly. Seeds 15001–15026 do the same into
 * Contensis with its writes OVERLAP (4) at a time: several requests in flight when the process dies.
 *
 * Runs the built CLI (rebuild first). Replay one seed: cd apps/sync && FAULT_SEED=5017 npm run test:faults
 * All figures and what they guarantee: docs/reliability-faults.md.
 */

const KILLS = 52;

interface Kill {
  seed: number;
  scenario: ScenarioName;
  /** Target writes the simulator had answered when the process died. */
  landed: number;
  planned: number;
  journal: boolean;
  /** Requests the journal named in flight when the process died. */
  inflight: number;
  lockLeft: boolean;
  status: string;
}

/** How many requests a journal names in flight (an array; a journal of format 1: one object). */
const inFlightCount = (inflight: unknown) =>
  Array.isArray(inflight) ? inflight.length : inflight === undefined ? 0 : 1;

const records: RunRecord[] = [];
const kills: Kill[] = [];

function figures(): void {
  if (records.length === 0) return;
  const count = (predicate: (kill: Kill) => boolean) => kills.filter(predicate).length;
  const tally = (values: Array<string | number>) =>
    Object.fromEntries(
      [...new Set(values)].sort().map((value) => [value, values.filter((v) => v === value).length]),
    );
  summarize("sigkill", records, {
    kills: kills.length,
    targetWritesAnsweredBeforeTheKill: tally(kills.map((kill) => kill.landed)),
    killedWithARequestInFlight: count((kill) => kill.inflight > 0),
    killedWithSeveralInFlight: count((kill) => kill.inflight > 1),
    journalLeft: count((kill) => kill.journal),
    lockLeft: count((kill) => kill.lockLeft),
    reapplied: tally(kills.map((kill) => kill.status)),
    restoredExactly: kills.length,
  });
}

const lanes = suiteLanes(
  ORDER.map((name) => SCENARIOS[name]),
  { prune: true, afterRuns: figures },
);

/** Kills with Contensis writes OVERLAP at a time, into Contensis (seeds 15001 …). */
const OVERLAP_KILLS = 26;
const RUNS = [
  ...Array.from({ length: KILLS }, (_, n) => ({ seed: 5001 + n, overlap: false })),
  ...Array.from({ length: OVERLAP_KILLS }, (_, n) => ({ seed: 15001 + n, overlap: true })),
];

describe.concurrent("SIGKILL during apply", () => {
  for (const { seed, overlap } of RUNS) {
    const name: ScenarioName = overlap
      ? seed % 2 === 0
        ? "contensis-promotion"
        : "kontent-to-contensis"
      : ORDER[seed % ORDER.length]!;
    const scenario = SCENARIOS[name];
    // Which config the applies use: Contensis writes one at a time, or OVERLAP at a time.
    const config = (file: string) => (overlap ? ["--config", overlapConfig(file)] : ["--config", file]);
    const rng = mulberry32(seed);
    const prune = scenario.prunable && rng() < 0.5;
    const byWrites = rng() < 0.6;
    const fraction = rng();
    const extraMs = Math.floor(rng() * 60);
    const slowWrites = rng() < 0.35;
    const trigger = byWrites
      ? `after ${Math.round(fraction * 100)}% of the writes + ${extraMs} ms`
      : `after ${Math.round(fraction * 100)}% of the expected time`;
    const title = `seed ${seed}: ${name}${overlap ? ` (${OVERLAP} writes at a time)` : ""}${prune ? " --prune" : ""}, killed ${trigger}${slowWrites ? ", slow writes" : ""}`;

    it.skipIf(!selected(seed))(title, () =>
      traced(seed, name, (trace) =>
        lanes.pool.use(async (lane) => {
          const started = performance.now();
          const reference = lanes.reference(scenario, prune);
          const planFile = `${seed}.plan.json`;
          let killed: { landed: number; planned: number; log: LoggedRequest[] } | undefined;
          let budget: number | undefined;
          // An apply that finished before the kill is tried again, killed earlier (at most 4 times).
          for (let attempt = 1; attempt <= 4 && !killed; attempt++) {
            lane.reset();
            const made = trace.add(
              "plan",
              await lane.cli(["plan", ...syncArgs(scenario, prune), "--out", planFile, "--json"]),
            );
            expect(made.exitCode).toBe(0);
            const planned = plannedRequests(lane.path(planFile));
            // Expected time: start-up, the paced read, the paced writes (and the slow answers).
            budget ??= 250 + (6 + planned * (slowWrites ? 2.5 : 1)) * (1000 / PACED.perSecond);
            lane.clearLog();
            if (slowWrites) {
              const faults = { seed, random: { rate: 0.5, kinds: ["slow"], writesOnly: true }, slowMs: 600 };
              lane.setFaults(
                scenario.target.vendor === "kontent" ? { kontent: faults } : { contensis: faults },
              );
            }
            const apply = lane.spawn(["apply", planFile, "--yes", "--json", ...config(PACED_CONFIG)]);
            let exited = false;
            void apply.done.then(() => {
              exited = true;
            });
            if (byWrites && attempt === 1) {
              const after = Math.max(1, Math.min(planned - 1, Math.ceil(fraction * (planned - 1))));
              const deadline = Date.now() + 60_000;
              while (!exited && Date.now() < deadline) {
                if (writesTo(lane.log(), scenario.target).length >= after) break;
                await new Promise((resolve) => setTimeout(resolve, 3));
              }
              await new Promise((resolve) => setTimeout(resolve, extraMs));
            } else {
              await new Promise((resolve) =>
                setTimeout(resolve, (budget! * (0.15 + 0.85 * fraction)) / attempt),
              );
            }
            apply.child.kill("SIGKILL");
            const run = trace.add(`apply, killed (attempt ${attempt})`, await apply.done);
            lane.setFaults(undefined);
            if (run.signal === "SIGKILL") {
              const log = lane.log();
              killed = { landed: writesTo(log, scenario.target).length, planned, log };
            } else {
              expect(run.exitCode, "an apply that was not killed succeeds").toBe(0);
            }
          }
          expect(killed, "the apply was killed").toBeDefined();

          // The dead process's lock and journal are left behind; applying the plan again resumes.
          const journals = lane.journals();
          const lockLeft = lane.locks().length > 0;
          lane.clearLog();
          const again = trace.add(
            "apply again",
            await lane.cli(["apply", planFile, "--yes", "--json", ...config(MAIN_CONFIG)]),
          );
          expect(again.exitCode, "no refusal of its own writes").toBe(0);
          const status = appliedTarget(again).status;
          // Killed after its journal said finished (during the read-back or the release of its lock):
          // the plan is applied, and a second apply says so, writing nothing.
          if (journals.some((journal) => journal.finishedAt !== undefined))
            expect(status).toBe("already applied");
          else if (journals.length > 0) expect(["resumed", "nothing to do"]).toContain(status);
          else expect(status).toBe("applied");
          expect(lane.locks(), "the lock is released").toEqual([]);
          const reapplied = lane.log();
          expect(writesTo([...killed!.log, ...reapplied], scenario.source)).toEqual([]);
          await expectConverged(lane, scenario, prune, reference, trace, { diff: false });

          // The first backup (written before the first write) puts the starting state back exactly.
          const backup = lane.backups()[0]!;
          expect(JSON.parse(readFileSync(backup, "utf8")).fingerprint).toBe(reference.start);
          const restored = trace.add(
            "restore",
            await lane.cli(["restore", backup, "--to", scenario.target.env, "--yes", "--json"]),
          );
          expect(restored.exitCode).toBe(0);
          expect(jsonOf<{ result: { fingerprint: string } }>(restored).result.fingerprint).toBe(
            reference.start,
          );
          expect(await lane.fingerprintOf(scenario.target)).toBe(reference.start);

          kills.push({
            seed,
            scenario: name,
            landed: killed!.landed,
            planned: killed!.planned,
            journal: journals.length > 0,
            inflight: Math.max(0, ...journals.map((journal) => inFlightCount(journal.inflight))),
            lockLeft,
            status,
          });
          records.push({
            suite: "sigkill",
            seed,
            scenario: name,
            mode: `${byWrites ? "kill after writes" : "kill after a delay"}${overlap ? `, ${OVERLAP} writes at a time` : ""}`,
            outcome: "converged after resume",
            faults: countFaults([...killed!.log, ...reapplied]),
            requests: killed!.log.length + reapplied.length,
            writes: killed!.landed + writesTo(reapplied, scenario.target).length,
            ms: performance.now() - started,
          });
        }),
      ),
    );
  }
});
