/*
 * What makes a fault run reproducible: the seeded PRNG (the simulators' own, so the same seed makes
 * the same choices) and `FAULT_SEED=n`, which runs that seed only.
 */

/** mulberry32, the simulators' PRNG: the same seed, the same choices. */
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

/** `FAULT_SEED=n`: only the run with that seed (the others are skipped). */
export const ONLY_SEED = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : undefined;
export const selected = (seed: number) => ONLY_SEED === undefined || ONLY_SEED === seed;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
