import { SLOW_MS } from "./config.ts";
import type { Scenario } from "./scenarios.ts";
import { mulberry32 } from "./seeded.ts";

/* A seeded fault plan for the simulators: the seed decides every choice of a run. */

type FaultKind = "5xx" | "drop-before" | "drop-after" | "slow" | "429" | "token-expiry";
const FAULT_KINDS: FaultKind[] = ["5xx", "drop-before", "drop-after", "slow", "429", "token-expiry"];

export interface RunConfig {
  seed: number;
  mode: "sync" | "apply";
  prune: boolean;
  kinds: FaultKind[];
  rate: number;
  writesOnly: boolean;
  storm: { times: number; skip: number } | undefined;
  faults: { kontent?: object; contensis?: object };
}

/** The seed decides everything: sync or plan + apply, --prune, the fault kinds, rate and storms. */
export function runConfig(seed: number, scenario: Scenario): RunConfig {
  const rng = mulberry32(seed);
  const mode = rng() < 0.5 ? "sync" : "apply";
  const prune = scenario.prunable && rng() < 0.5;
  const contensis = scenario.source.vendor === "contensis" || scenario.target.vendor === "contensis";
  const candidates = FAULT_KINDS.filter((kind) => kind !== "token-expiry" || contensis);
  let kinds = candidates.filter(() => rng() < 0.6);
  if (kinds.length === 0) kinds = [candidates[Math.floor(rng() * candidates.length)]!];
  const writesOnly = rng() < 0.3;
  // Faults on writes only come thicker: writes are few, and it is where an interrupted apply resumes.
  const rate = Math.round((writesOnly ? 0.2 + rng() * 0.3 : 0.1 + rng() * 0.25) * 100) / 100;
  // A storm: 2 or 3 consecutive 429s (each waits Retry-After: 1 s) from a random request on.
  const storm = rng() < 0.2 ? { times: 2 + Math.floor(rng() * 2), skip: Math.floor(rng() * 10) } : undefined;
  const planFor = (vendor: "kontent" | "contensis") => {
    const usable = kinds.filter((kind) => vendor === "contensis" || kind !== "token-expiry");
    const script = storm && scenario.target.vendor === vendor ? [{ kind: "429", ...storm }] : [];
    return {
      seed,
      ...(usable.length > 0 ? { random: { rate, kinds: usable, writesOnly } } : {}),
      script,
      slowMs: SLOW_MS,
    };
  };
  const involved = new Set([scenario.source.vendor, scenario.target.vendor]);
  return {
    seed,
    mode,
    prune,
    kinds,
    rate,
    writesOnly,
    storm,
    faults: {
      ...(involved.has("kontent") ? { kontent: planFor("kontent") } : {}),
      ...(involved.has("contensis") ? { contensis: planFor("contensis") } : {}),
    },
  };
}

export function describeConfig(config: RunConfig): string {
  return (
    `${config.mode}${config.prune ? " --prune" : ""}: ${config.kinds.join("/")} at ${config.rate}` +
    `${config.writesOnly ? " (writes only)" : ""}${config.storm ? `, 429 storm ×${config.storm.times}` : ""}`
  );
}
