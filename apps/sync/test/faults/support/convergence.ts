import { expect } from "vitest";
import { countFaults, type LoggedRequest, writesTo } from "./admin-log.ts";
import { type CliRun, jsonOf, type Trace } from "./cli.ts";
import type { RunConfig } from "./fault-plan.ts";
import type { RunRecord } from "./figures.ts";
import type { Lane } from "./lane.ts";
import { type Scenario, syncArgs } from "./scenarios.ts";
import type { TargetState } from "./target-state.ts";

/*
 * The yardstick of a fault run (what a fault-free sync leaves in the target) and the checks every
 * run ends with: converged, nothing duplicated, lost or half-written; errors clear and typed.
 */

export interface Reference {
  /** Fingerprint of the target before the sync. */
  start: string;
  /** Fingerprint of the target after a fault-free sync. */
  fingerprint: string;
  state: TargetState;
  /** Writes the fault-free sync sent to the target. */
  writes: number;
}

/** What a fault-free sync leaves in the target (the yardstick of every run of the scenario). */
export async function makeReference(lane: Lane, scenario: Scenario, prune: boolean): Promise<Reference> {
  lane.reset();
  const start = await lane.fingerprintOf(scenario.target);
  lane.clearLog();
  const run = await lane.cli(["sync", ...syncArgs(scenario, prune), "--yes", "--json"]);
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  const writes = writesTo(lane.log(), scenario.target).length;
  const state = lane.stateOf(scenario.target);
  expect(state.problems).toEqual([]);
  const fingerprint = await lane.fingerprintOf(scenario.target);
  expect(fingerprint).not.toBe(start);
  lane.reset();
  return { start, fingerprint, state, writes };
}

interface AppliedTarget {
  environment: string;
  status: "applied" | "resumed" | "nothing to do";
  operations: Array<{ id: string; action: string; workflow: string }>;
  backup?: string;
  journal: string;
}

type Envelope = {
  ok: boolean;
  exitCode: number;
  result?: { targets: AppliedTarget[] };
  error?: { code: string; message: string };
};

/** A failed run's error: exit 1, a typed code and a message (never a refusal, a crash or a stack). */
function expectClearError(run: CliRun): { code: string; message: string } {
  expect(run.signal).toBeNull();
  expect(run.exitCode).toBe(1);
  const envelope = jsonOf<Envelope>(run);
  expect(envelope.ok).toBe(false);
  expect(envelope.error?.code).toBeTypeOf("string");
  expect(envelope.error?.code).not.toBe("internal");
  expect(envelope.error?.message.length).toBeGreaterThan(10);
  expect(run.stdout).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
  return envelope.error!;
}

export function appliedTarget(run: CliRun): AppliedTarget {
  const envelope = jsonOf<Envelope>(run);
  expect(envelope.ok, run.stdout + run.stderr).toBe(true);
  return envelope.result!.targets[0]!;
}

/** Converged, and nothing duplicated, lost or half-written (compared with the fault-free reference). */
export async function expectConverged(
  lane: Lane,
  scenario: Scenario,
  prune: boolean,
  reference: Reference,
  trace: Trace,
  options: { diff: boolean },
): Promise<void> {
  const state = lane.stateOf(scenario.target);
  expect(state.problems, "duplicates or half-written workflows").toEqual([]);
  expect([...state.keys].sort(), "the target's workflows").toEqual([...reference.state.keys].sort());
  const byKey = (list: unknown[]) =>
    [...list].sort((a, b) => {
      const ka = JSON.stringify(
        (a as { codename?: string; id?: string }).codename ?? (a as { id: string }).id,
      );
      const kb = JSON.stringify(
        (b as { codename?: string; id?: string }).codename ?? (b as { id: string }).id,
      );
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  expect(byKey(state.workflows), "every workflow as a fault-free sync writes it").toEqual(
    byKey(reference.state.workflows),
  );
  expect(state.assignments, "content types' workflows").toEqual(reference.state.assignments);
  expect(await lane.fingerprintOf(scenario.target), "the target's fingerprint").toBe(reference.fingerprint);

  // A further sync, without faults, has nothing to do and sends no write.
  lane.clearLog();
  const again = trace.add(
    "sync again",
    await lane.cli(["sync", ...syncArgs(scenario, prune), "--yes", "--json"]),
  );
  expect(again.exitCode).toBe(0);
  expect(appliedTarget(again).status).toBe("nothing to do");
  // (An entry with a fault is a `slow` answer of the faulted run, logged when it is finally sent.)
  expect(lane.log().filter((entry) => entry.write && !entry.fault)).toEqual([]);
  // Same vendor on both sides: diff shows nothing (with --prune, or when the target holds nothing more).
  if (options.diff && scenario.diffable && (prune || !scenario.prunable)) {
    const diff = trace.add(
      "diff",
      await lane.cli(["diff", scenario.source.env, scenario.target.env, "--detailed-exitcode"]),
    );
    expect(diff.exitCode).toBe(0);
  }
}

/**
 * One run: (plan without faults, then) the faulted sync or apply; on an error, a clear error and a
 * journal, then the same command again without faults; then the convergence checks. `config`: the
 * config file the sync or apply (and its re-run) uses, e.g. one with Contensis writes overlapping.
 */
export async function faultRun(
  lane: Lane,
  suite: string,
  scenario: Scenario,
  config: RunConfig,
  reference: Reference,
  trace: Trace,
  options: { config?: string } = {},
): Promise<RunRecord> {
  const started = performance.now();
  lane.reset();
  const planFile = `${config.seed}.plan.json`;
  if (config.mode === "apply") {
    const made = trace.add(
      "plan",
      await lane.cli(["plan", ...syncArgs(scenario, config.prune), "--out", planFile, "--json"]),
    );
    expect(made.exitCode).toBe(0);
  }
  const command = [
    ...(config.mode === "sync"
      ? ["sync", ...syncArgs(scenario, config.prune), "--yes", "--json"]
      : ["apply", planFile, "--yes", "--json"]),
    ...(options.config ? ["--config", options.config] : []),
  ];

  lane.clearLog();
  lane.setFaults(config.faults);
  const first = trace.add(`${config.mode} under faults`, await lane.cli(command));
  lane.setFaults(undefined);
  const faulted = lane.log();
  let resumed: LoggedRequest[] = [];
  let outcome: RunRecord["outcome"];
  let error: string | undefined;

  if (first.exitCode === 0) {
    expect(appliedTarget(first).status).toBe("applied");
    outcome = "converged first time";
  } else {
    const clear = expectClearError(first);
    error = `${clear.code}: ${clear.message.split("\n")[0]}`;
    const open = lane.journals().filter((journal) => !journal.finishedAt);
    // Every write is sent after the journal is saved: a target that saw a write has a journal to resume.
    if (writesTo(faulted, scenario.target).length > 0) expect(open, "an unfinished journal").toHaveLength(1);
    lane.clearLog();
    const again = trace.add(`${config.mode} again, no faults`, await lane.cli(command));
    expect(again.exitCode, "the re-run converges").toBe(0);
    const status = appliedTarget(again).status;
    if (config.mode === "apply" && open.length > 0) expect(["resumed", "nothing to do"]).toContain(status);
    resumed = lane.log();
    outcome = "converged after resume";
  }
  const all = [...faulted, ...resumed];
  expect(writesTo(all, scenario.source), "nothing written to the source").toEqual([]);
  // (diff on every third seed: each CLI run costs CPU, and the further sync says the same)
  await expectConverged(lane, scenario, config.prune, reference, trace, { diff: config.seed % 3 === 0 });
  return {
    suite,
    seed: config.seed,
    scenario: scenario.name,
    mode: config.mode,
    outcome,
    faults: countFaults(all),
    requests: all.length,
    writes: writesTo(all, scenario.target).length,
    ms: performance.now() - started,
    ...(error ? { error } : {}),
  };
}
