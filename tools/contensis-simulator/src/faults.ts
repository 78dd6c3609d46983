import type { FaultKind, FaultPlan, FaultScriptItem } from "./types.ts";

/**
 * Fault injection, deterministic for a given plan seed: scripted faults first (in order, each with
 * `skip` and `times`), then random ones. Random faults only hit API requests (`/api/…`); a script
 * item may target any non-admin path, including the token endpoint.
 */

export const FAULT_KINDS: FaultKind[] = ["5xx", "drop-before", "drop-after", "slow", "429", "token-expiry"];
const STATUSES_5XX = [500, 502, 503];
export const DEFAULT_SLOW_MS = 15_000;

/** mulberry32: a small seeded PRNG, enough for reproducible fault sequences. */
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

interface ScriptState {
  item: FaultScriptItem;
  pattern: RegExp | undefined;
  seen: number;
  fired: number;
}

export interface FaultRequest {
  method: string;
  path: string;
  write: boolean;
  api: boolean;
}

export function checkFaultPlan(plan: unknown): FaultPlan | undefined {
  if (plan === undefined || plan === null) return undefined;
  if (typeof plan !== "object" || Array.isArray(plan)) throw new Error("a fault plan must be an object");
  const p = plan as FaultPlan;
  const kinds = [...(p.random?.kinds ?? []), ...(p.script ?? []).map((s) => s.kind)];
  const bad = kinds.filter((k) => !FAULT_KINDS.includes(k));
  if (bad.length > 0)
    throw new Error(`unknown fault kind(s): ${bad.join(", ")}; known: ${FAULT_KINDS.join(", ")}`);
  if (p.random && (typeof p.random.rate !== "number" || p.random.rate < 0 || p.random.rate > 1)) {
    throw new Error("random.rate must be a number between 0 and 1");
  }
  if (p.random && p.random.kinds.length === 0)
    throw new Error("random.kinds must name at least one fault kind");
  for (const s of p.script ?? []) if (s.path !== undefined) new RegExp(s.path);
  return p;
}

export class FaultInjector {
  private plan: FaultPlan | undefined;
  private rng: () => number = mulberry32(1);
  private script: ScriptState[] = [];

  constructor(plan?: FaultPlan) {
    this.set(plan);
  }

  set(plan: FaultPlan | undefined): void {
    this.plan = checkFaultPlan(plan);
    this.rng = mulberry32(plan?.seed ?? 1);
    this.script = (plan?.script ?? []).map((item) => ({
      item,
      pattern: item.path !== undefined ? new RegExp(item.path) : undefined,
      seen: 0,
      fired: 0,
    }));
  }

  get slowMs(): number {
    return this.plan?.slowMs ?? DEFAULT_SLOW_MS;
  }

  decide(request: FaultRequest): FaultKind | undefined {
    if (!this.plan) return undefined;
    for (const state of this.script) {
      const { item } = state;
      if (item.method && item.method.toUpperCase() !== request.method.toUpperCase()) continue;
      if (state.pattern && !state.pattern.test(request.path)) continue;
      state.seen += 1;
      if (state.seen > (item.skip ?? 0) && state.fired < (item.times ?? 1)) {
        state.fired += 1;
        return item.kind;
      }
    }
    const random = this.plan.random;
    if (!random || !request.api || (random.writesOnly && !request.write)) return undefined;
    if (this.rng() >= random.rate) return undefined;
    return random.kinds[Math.floor(this.rng() * random.kinds.length)];
  }

  /** 500, 502 or 503, from the seeded sequence. */
  status5xx(): number {
    return STATUSES_5XX[Math.floor(this.rng() * STATUSES_5XX.length)] ?? 500;
  }
}
