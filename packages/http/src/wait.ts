import { setTimeout as delay } from "node:timers/promises";

/** Monotonic milliseconds. */
export function now(): number {
  return performance.now();
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? delay(ms) : Promise.resolve();
}

/**
 * Wall-clock time during which at least one task was waiting: the union of waiting intervals, so that four
 * tasks waiting the same second count one second. Intervals are added when they end (in about that order).
 */
export class WaitClock {
  #total = 0;
  #coveredUntil = Number.NEGATIVE_INFINITY;

  add(start: number, end: number): void {
    if (!(end > start) || end <= this.#coveredUntil) return;
    this.#total += end - Math.max(start, this.#coveredUntil);
    this.#coveredUntil = end;
  }

  /** Total waited, counting an interval still open since `openSince` up to `at`. */
  total(openSince?: number, at: number = now()): number {
    if (openSince === undefined || at <= openSince) return this.#total;
    return this.#total + Math.max(0, at - Math.max(openSince, this.#coveredUntil));
  }
}
