import { type ChildProcess, spawn } from "node:child_process";
import { DEMO_SECRETS } from "@workflow-sync/test-utils";

/*
 * The built CLI (apps/sync/bin, dist) as a child process, as the fault suites run it: no terminal,
 * its own environment with the demo's secrets, killed if it outlives the deadline; and the trace of
 * a run's CLI calls, printed with the replay command when the run fails.
 */

/** No CLI run may take longer than this: a hung process is killed and the run fails. */
const CLI_DEADLINE_MS = 120_000;

const bin = new URL("../../../bin/workflow-sync.js", import.meta.url).pathname;

export interface CliRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliProcess {
  child: ChildProcess;
  done: Promise<CliRun>;
}

/** The built CLI as a child process (no terminal, its own env, killed if it outlives the deadline). */
export function spawnCli(cwd: string, args: string[]): CliProcess {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1", ...DEMO_SECRETS },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const done = new Promise<CliRun>((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const deadline = setTimeout(() => child.kill("SIGKILL"), CLI_DEADLINE_MS);
    child.stdout!.on("data", (chunk) => (stdout += chunk));
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(deadline);
      resolve({ exitCode, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
  return { child, done };
}

/** The `--json` document a run printed. */
export function jsonOf<T = Record<string, unknown>>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(
      `not a JSON document (exit ${run.exitCode}, signal ${run.signal}):\n${run.stdout.slice(0, 2000)}\n${run.stderr.slice(0, 2000)}`,
    );
  }
}

/** A trace of the CLI runs of one fault run, printed when it fails. */
export class Trace {
  readonly lines: string[] = [];
  add(label: string, run: CliRun): CliRun {
    this.lines.push(
      `--- ${label}: exit ${run.exitCode}${run.signal ? ` (${run.signal})` : ""} in ${Math.round(run.ms)} ms`,
      run.stdout.length > 4000 ? `${run.stdout.slice(0, 4000)}…` : run.stdout,
      run.stderr.length > 4000 ? `${run.stderr.slice(0, 4000)}…` : run.stderr,
    );
    return run;
  }
  toString(): string {
    return this.lines.join("\n");
  }
}

/** A run that fails prints its seed, its CLI runs and the command that replays it. */
export async function traced(
  seed: number,
  what: string,
  run: (trace: Trace) => Promise<void>,
): Promise<void> {
  const trace = new Trace();
  try {
    await run(trace);
  } catch (error) {
    console.error(
      `seed ${seed} (${what}) failed; replay: cd apps/sync && FAULT_SEED=${seed} npm run test:faults\n${trace}`,
    );
    throw error;
  }
}
