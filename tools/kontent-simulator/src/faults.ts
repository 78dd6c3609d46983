/**
 * Fault injection. A plan is either scripted (matched in order, by method and path) or random (a seeded PRNG, so the
 * same seed and the same request sequence give the same faults). Scripted entries win over random faults.
 */
/**
 * `slow`: applied at once, answered after `slowMs`. `late`: held for `slowMs`, then applied and
 * answered (a client that timed out first does not know whether, or when, it lands).
 */
export type FaultKind = "5xx" | "drop-before" | "drop-after" | "slow" | "late" | "429";

export interface FaultPlan {
  /** PRNG seed: same seed, same faults. */
  seed?: number;
  random?: { rate: number; kinds: FaultKind[]; writesOnly?: boolean };
  /** `path` is a RegExp source matched against the request path (e.g. `/v2/projects/ID/workflows`). */
  script?: Array<{ method?: string; path?: string; kind: FaultKind; times?: number; skip?: number }>;
  /** Delay of "slow" and "late" in ms (default 15000). */
  slowMs?: number;
}

export const FAULT_KINDS: readonly FaultKind[] = ["5xx", "drop-before", "drop-after", "slow", "late", "429"];
export const DEFAULT_SLOW_MS = 15_000;
const DEFAULT_PRNG_SEED = 0x5eed;

interface ScriptEntry {
  method: string | undefined;
  path: RegExp | undefined;
  kind: FaultKind;
  times: number;
  skip: number;
  matched: number;
}

export class FaultInjector {
  private plan: FaultPlan | undefined;
  private script: ScriptEntry[] = [];
  private random: () => number = mulberry32(DEFAULT_PRNG_SEED);

  constructor(plan?: FaultPlan) {
    this.set(plan);
  }

  /** Replaces the plan; restarts the PRNG and the script counters. Throws on an invalid plan. */
  set(plan: FaultPlan | undefined | null): void {
    if (plan === undefined || plan === null) {
      this.plan = undefined;
      this.script = [];
      return;
    }
    this.script = checkPlan(plan);
    this.plan = structuredClone(plan);
    this.random = mulberry32(plan.seed ?? DEFAULT_PRNG_SEED);
  }

  get slowMs(): number {
    return this.plan?.slowMs ?? DEFAULT_SLOW_MS;
  }

  /** The fault for this request, if any. Call once per API request, in arrival order. */
  decide(method: string, path: string, write: boolean): FaultKind | undefined {
    if (!this.plan) return undefined;
    for (const entry of this.script) {
      if (entry.method !== undefined && entry.method !== method) continue;
      if (entry.path !== undefined && !entry.path.test(path)) continue;
      entry.matched += 1;
      if (entry.matched <= entry.skip || entry.matched > entry.skip + entry.times) continue;
      return entry.kind;
    }
    const random = this.plan.random;
    if (random && random.rate > 0 && random.kinds.length > 0 && (!random.writesOnly || write)) {
      if (this.random() < random.rate) {
        return random.kinds[Math.floor(this.random() * random.kinds.length)];
      }
    }
    return undefined;
  }

  /** The status of a "5xx" fault: 500, 502 or 503, chosen by the seeded PRNG. */
  pick5xx(): 500 | 502 | 503 {
    return ([500, 502, 503] as const)[Math.floor(this.random() * 3)] ?? 500;
  }
}

function checkPlan(plan: FaultPlan): ScriptEntry[] {
  if (typeof plan !== "object") throw new Error("A fault plan must be an object or null.");
  if (plan.seed !== undefined && !Number.isFinite(plan.seed))
    throw new Error("fault plan: 'seed' must be a number.");
  if (plan.slowMs !== undefined && !(Number.isFinite(plan.slowMs) && plan.slowMs >= 0)) {
    throw new Error("fault plan: 'slowMs' must be a non-negative number.");
  }
  if (plan.random !== undefined) {
    const { rate, kinds } = plan.random;
    if (!(typeof rate === "number" && rate >= 0 && rate <= 1))
      throw new Error("fault plan: 'random.rate' must be in [0, 1].");
    if (!Array.isArray(kinds) || kinds.some((k) => !FAULT_KINDS.includes(k))) {
      throw new Error(`fault plan: 'random.kinds' must list kinds among ${FAULT_KINDS.join(", ")}.`);
    }
  }
  return (plan.script ?? []).map((entry, i) => {
    if (!FAULT_KINDS.includes(entry.kind)) {
      throw new Error(`fault plan: script[${i}].kind must be one of ${FAULT_KINDS.join(", ")}.`);
    }
    let path: RegExp | undefined;
    try {
      path = entry.path === undefined ? undefined : new RegExp(entry.path);
    } catch (error) {
      throw new Error(`fault plan: script[${i}].path is not a valid RegExp: ${(error as Error).message}`);
    }
    return {
      method: entry.method?.toUpperCase(),
      path,
      kind: entry.kind,
      times: entry.times ?? 1,
      skip: entry.skip ?? 0,
      matched: 0,
    };
  });
}

/** mulberry32: a small, fast, seedable 32-bit PRNG returning numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
