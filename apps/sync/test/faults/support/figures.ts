import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/* The figures of a suite: one record per run, summed up, printed and kept in the temp folder. */

type Outcome = "converged first time" | "converged after resume";

export interface RunRecord {
  suite: string;
  seed: number;
  scenario: string;
  mode: string;
  outcome: Outcome | "failed";
  faults: Record<string, number>;
  requests: number;
  writes: number;
  ms: number;
  error?: string;
}

/** One summary: runs, outcomes, faults by kind, requests; printed and kept in the temp folder. */
export function summarize(title: string, records: readonly RunRecord[], extra: Record<string, unknown> = {}) {
  const faults: Record<string, number> = {};
  for (const record of records) {
    for (const [kind, count] of Object.entries(record.faults)) faults[kind] = (faults[kind] ?? 0) + count;
  }
  const outcomes: Record<string, number> = {};
  for (const record of records) outcomes[record.outcome] = (outcomes[record.outcome] ?? 0) + 1;
  const byScenario: Record<string, Record<string, number>> = {};
  for (const record of records) {
    const key = `${record.scenario} (${record.mode})`;
    const row = byScenario[key] ?? { runs: 0 };
    byScenario[key] = row;
    row.runs = (row.runs ?? 0) + 1;
    row[record.outcome] = (row[record.outcome] ?? 0) + 1;
  }
  const summary = {
    title,
    runs: records.length,
    outcomes,
    faults,
    faultsTotal: Object.values(faults).reduce((sum, count) => sum + count, 0),
    requests: records.reduce((sum, record) => sum + record.requests, 0),
    writes: records.reduce((sum, record) => sum + record.writes, 0),
    seconds: Math.round(records.reduce((sum, record) => sum + record.ms, 0) / 100) / 10,
    byScenario,
    ...extra,
  };
  writeFigures(title, { summary, records }, summary);
  return summary;
}

/** Prints `shown` under the title and keeps `kept` in `<tmp>/workflow-sync-<title>.json`. */
export function writeFigures(title: string, kept: unknown, shown: unknown = kept): void {
  const file = join(tmpdir(), `workflow-sync-${title.replace(/[^a-z0-9]+/gi, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(kept, null, 2)}\n`);
  console.log(`\n== ${title} (${file})\n${JSON.stringify(shown, null, 2)}`);
}
