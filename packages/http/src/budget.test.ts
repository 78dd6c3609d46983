import { describe, expect, it } from "vitest";
import { Budget, MINUTE_MARGIN_MS } from "./budget.ts";

/** Starts `n` requests as early as the budget allows, beginning at `from`. */
function greedy(budget: Budget, n: number, from = 0): number[] {
  const starts: number[] = [];
  let t = from;
  for (let i = 0; i < n; i++) {
    t = budget.nextStart(t);
    budget.start(t);
    starts.push(t);
  }
  return starts;
}

/** The most starts inside any window [t, t + windowMs). */
function busiestWindow(starts: number[], windowMs: number): number {
  let most = 0;
  let first = 0;
  for (let last = 0; last < starts.length; last++) {
    while (starts[last]! - starts[first]! >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

describe("Budget", () => {
  it("spaces requests evenly under perSecond and comes close to it", () => {
    const starts = greedy(new Budget({ perSecond: 10 }), 33);
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(10);
    const span = starts.at(-1)! - starts[0]!;
    expect(span).toBeGreaterThanOrEqual(3200);
    expect(span).toBeLessThanOrEqual(3200 * 1.1);
    // Even spacing: no burst at all.
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThan(100);
  });

  it("keeps a sliding 60-second window under perMinute as well", () => {
    const budget = new Budget({ perSecond: 10, perMinute: 400 });
    const starts = greedy(budget, 1000);
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(10);
    expect(busiestWindow(starts, 60_000)).toBeLessThanOrEqual(400);
    // The limits alone impose: #800 no earlier than 120 s, then 199 more at 10/s.
    const imposed = 120_000 + 199 * 100;
    expect(starts.at(-1)!).toBeGreaterThanOrEqual(imposed);
    expect(starts.at(-1)!).toBeLessThanOrEqual(imposed * 1.15);
    // The 401st waits for the first to leave the window.
    expect(starts[400]! - starts[0]!).toBeGreaterThanOrEqual(60_000 + MINUTE_MARGIN_MS);
  });

  it("perMinute alone allows a burst, then waits for the window", () => {
    const starts = greedy(new Budget({ perMinute: 3 }), 6);
    expect(starts.slice(0, 3)).toEqual([0, 0, 0]);
    expect(starts[3]!).toBeGreaterThanOrEqual(60_000);
    expect(busiestWindow(starts, 60_000)).toBeLessThanOrEqual(3);
  });

  it("without limits lets everything start at once", () => {
    expect(greedy(new Budget(), 5, 42)).toEqual([42, 42, 42, 42, 42]);
  });

  it("pauses everyone for Retry-After, halves the pace once per episode, then recovers gradually", () => {
    const budget = new Budget({ perSecond: 10, halfLifeMs: 1000 });
    greedy(budget, 5);
    const base = budget.spacing(500);
    budget.throttle(1000, 2000);
    budget.throttle(1010, 2000); // the same episode: no second halving
    expect(budget.nextStart(1010)).toBeGreaterThanOrEqual(3000);
    expect(budget.slowdown(3000)).toBe(2);
    expect(budget.spacing(3000)).toBeCloseTo(base * 2);
    expect(budget.slowdown(4000)).toBeCloseTo(1.5);
    expect(budget.slowdown(5000)).toBeCloseTo(1.25);
    expect(budget.slowdown(20_000)).toBe(1);
    expect(budget.spacing(20_000)).toBeCloseTo(base);
  });

  it("slows down further on repeated 429s, up to maxSlowdown", () => {
    const budget = new Budget({ perSecond: 10, maxSlowdown: 4, halfLifeMs: 60_000 });
    budget.throttle(0, 100);
    budget.throttle(2000, 100);
    budget.throttle(4000, 100);
    expect(budget.slowdown(4100)).toBeLessThanOrEqual(4);
    expect(budget.slowdown(4100)).toBeGreaterThan(3.9);
  });

  it("without a configured limit learns a pace from a 429 and drops it once recovered", () => {
    const budget = new Budget({ halfLifeMs: 1000 });
    greedy(budget, 8, 0);
    budget.throttle(10, 500);
    // 8 starts in the last second → spacing 125 ms, halved pace → 250 ms.
    expect(budget.spacing(510)).toBeCloseTo(250);
    expect(budget.nextStart(20)).toBeGreaterThanOrEqual(510);
    expect(budget.spacing(30_000)).toBe(0);
  });

  it("with adaptive: false a 429 only pauses", () => {
    const budget = new Budget({ perSecond: 10, adaptive: false });
    budget.throttle(0, 1000);
    expect(budget.nextStart(0)).toBe(1000);
    expect(budget.slowdown(1000)).toBe(1);
  });

  it("refuses nonsense limits", () => {
    expect(() => new Budget({ perSecond: 0 })).toThrow(RangeError);
    expect(() => new Budget({ perMinute: -1 })).toThrow(RangeError);
    expect(() => new Budget({ perSecond: Number.NaN })).toThrow(RangeError);
  });
});
