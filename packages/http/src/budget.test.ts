import { describe, expect, it } from "vitest";
import { Budget, type RateWindow, windowFloorMs, windowMargin } from "./budget.ts";

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

/** Whether a token bucket of `capacity` tokens, refilled at capacity per windowMs, admits every start. */
function tokenBucketAdmits(starts: number[], { requests: capacity, windowMs }: RateWindow): boolean {
  let tokens = capacity;
  let last = starts[0] ?? 0;
  for (const at of starts) {
    tokens = Math.min(capacity, tokens + ((at - last) * capacity) / windowMs);
    last = at;
    if (tokens < 1 - 1e-9) return false;
    tokens -= 1;
  }
  return true;
}

/** Whether fixed (calendar) windows of windowMs, however aligned, each see at most `requests`. */
function fixedWindowsAdmit(starts: number[], { requests, windowMs }: RateWindow, offset: number): boolean {
  const counts = new Map<number, number>();
  for (const at of starts) {
    const slot = Math.floor((at + offset) / windowMs);
    counts.set(slot, (counts.get(slot) ?? 0) + 1);
  }
  return [...counts.values()].every((count) => count <= requests);
}

/** A seeded PRNG (mulberry32), so that the "random" arrivals below are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SECOND = windowMargin(1000);
const MINUTE = windowMargin(60_000);

describe("Budget", () => {
  it("lets a burst up to perSecond start at once, then waits for the oldest to leave the window", () => {
    const starts = greedy(new Budget({ perSecond: 10 }), 34);
    expect(starts.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(starts[10]).toBe(1000 + SECOND);
    expect(starts[20]).toBe(2 * (1000 + SECOND));
    expect(starts.at(-1)).toBe(3 * (1000 + SECOND));
    expect(busiestWindow(starts, 1000 + SECOND)).toBeLessThanOrEqual(10);
    // The floor of 34 requests under 10 per second is 3 s; the margins add 1 % and 10 ms per window.
    expect(starts.at(-1)! / windowFloorMs(34, [{ requests: 10, windowMs: 1000 }])).toBeLessThan(1.05);
  });

  it("keeps every 60-second window under perMinute as well", () => {
    const budget = new Budget({ perSecond: 10, perMinute: 400 });
    const starts = greedy(budget, 1000);
    expect(busiestWindow(starts, 1000 + SECOND)).toBeLessThanOrEqual(10);
    expect(busiestWindow(starts, 60_000 + MINUTE)).toBeLessThanOrEqual(400);
    // The 401st waits for the first to leave the minute.
    expect(starts[400]! - starts[0]!).toBeGreaterThanOrEqual(60_000 + MINUTE);
    const floor = windowFloorMs(1000, budget.windows);
    expect(starts.at(-1)!).toBeGreaterThanOrEqual(floor);
    expect(starts.at(-1)! / floor).toBeLessThan(1.05);
  });

  it("is accepted by sliding windows, fixed windows and token buckets of the same limits", () => {
    const windows: RateWindow[] = [
      { requests: 10, windowMs: 1000 },
      { requests: 400, windowMs: 60_000 },
    ];
    const random = prng(42);
    for (let round = 0; round < 20; round++) {
      const budget = new Budget({ perSecond: 10, perMinute: 400 });
      // Requests become ready at random moments (sometimes in bunches, sometimes idle for a while).
      const starts: number[] = [];
      let ready = 0;
      for (let i = 0; i < 600; i++) {
        ready += random() < 0.7 ? 0 : random() * 400;
        const at = budget.nextStart(Math.max(ready, starts.at(-1) ?? 0));
        budget.start(at);
        starts.push(at);
      }
      for (const window of windows) {
        expect(busiestWindow(starts, window.windowMs)).toBeLessThanOrEqual(window.requests);
        expect(tokenBucketAdmits(starts, window)).toBe(true);
        for (const offset of [0, 123, 777]) expect(fixedWindowsAdmit(starts, window, offset)).toBe(true);
      }
    }
  });

  it("a request in flight holds its place; an answered one counts from when the server may have counted it", () => {
    const margin = windowMargin(1000);
    const budget = new Budget({ windows: [{ requests: 3, windowMs: 1000 }] });
    const tickets = [budget.start(0, true), budget.start(0, true), budget.start(0, true)];
    expect(budget.nextStart(10)).toBe(Number.POSITIVE_INFINITY); // all three in flight
    // Answered after 60, 100 and 200 ms. Too few round trips to tell latency from waiting at the server:
    // each counts from its answer.
    budget.settle(tickets[0]!, 0, 60);
    budget.settle(tickets[1]!, 0, 100);
    budget.settle(tickets[2]!, 0, 200);
    expect(budget.nextStart(300)).toBe(60 + 1000 + margin);
    // Eight quick round trips (5 ms) later, the first three count from 55, 95 and 195 ms: they waited at
    // the server (one after another) beyond the 5 ms that the network takes.
    const quick = new Budget({ windows: [{ requests: 3, windowMs: 1000 }] });
    for (let i = 0; i < 8; i++)
      quick.settle(quick.start(-10_000 + i * 1000, true), -10_000 + i * 1000, -9995 + i * 1000);
    const burst = [quick.start(0, true), quick.start(0, true), quick.start(0, true)];
    quick.settle(burst[0]!, 0, 60);
    quick.settle(burst[1]!, 0, 100);
    quick.settle(burst[2]!, 0, 200);
    expect(quick.nextStart(300)).toBe(55 + 1000 + margin);
    // A fixed latency on every answer (150 ms): nothing waited, they count from when they were sent.
    const steady = new Budget({ windows: [{ requests: 2, windowMs: 1000 }] });
    for (let i = 0; i < 8; i++)
      steady.settle(steady.start(-10_000 + i * 1000, true), -10_000 + i * 1000, -9850 + i * 1000);
    const pair = [steady.start(0, true), steady.start(0, true)];
    steady.settle(pair[0]!, 1, 151);
    steady.settle(pair[1]!, 2, 153);
    expect(steady.nextStart(200)).toBe(1 + 1000 + margin);
  });

  it("perMinute alone allows a burst, then waits for the window", () => {
    const starts = greedy(new Budget({ perMinute: 3 }), 6);
    expect(starts.slice(0, 3)).toEqual([0, 0, 0]);
    expect(starts[3]!).toBeGreaterThanOrEqual(60_000);
    expect(busiestWindow(starts, 60_000)).toBeLessThanOrEqual(3);
  });

  it("takes further windows, and a fractional perSecond as a longer window", () => {
    const budget = new Budget({ windows: [{ requests: 2, windowMs: 500 }] });
    expect(greedy(budget, 5)).toEqual([
      0,
      0,
      500 + windowMargin(500),
      500 + windowMargin(500),
      2 * (500 + windowMargin(500)),
    ]);
    expect(new Budget({ perSecond: 2.5 }).windows).toEqual([{ requests: 2, windowMs: 800 }]);
    expect(new Budget({ perSecond: 0.5 }).windows).toEqual([{ requests: 1, windowMs: 2000 }]);
  });

  it("without limits lets everything start at once", () => {
    expect(greedy(new Budget(), 5, 42)).toEqual([42, 42, 42, 42, 42]);
  });

  it("pauses everyone for Retry-After, halves what a window admits once per episode, then recovers", () => {
    const budget = new Budget({ perSecond: 10, halfLifeMs: 1000 });
    greedy(budget, 5);
    budget.throttle(1000, 2000);
    budget.throttle(1010, 2000); // the same episode: no second halving
    expect(budget.nextStart(1010)).toBe(3010); // the pause runs from the later 429
    expect(budget.slowdown(3000)).toBe(2);
    // Half pace: 5 per second.
    const window = budget.windows[0]!;
    expect(budget.admits(window, 3000)).toBe(5);
    const after = greedy(budget, 10, 3000);
    expect(after.slice(0, 5)).toEqual(Array(5).fill(3010));
    expect(after[5]!).toBeGreaterThanOrEqual(4000);
    expect(budget.slowdown(5000)).toBeLessThan(1.5);
    expect(budget.slowdown(20_000)).toBe(1);
    expect(budget.admits(window, 20_000)).toBe(10);
  });

  it("slows down further on repeated 429s, up to maxSlowdown", () => {
    const budget = new Budget({ perSecond: 10, maxSlowdown: 4, halfLifeMs: 60_000 });
    budget.throttle(0, 100);
    budget.throttle(2000, 100);
    budget.throttle(4000, 100);
    expect(budget.slowdown(4100)).toBeLessThanOrEqual(4);
    expect(budget.slowdown(4100)).toBeGreaterThan(3.9);
    expect(budget.admits(budget.windows[0]!, 4100)).toBe(2);
  });

  it("without a configured limit learns a pace from a 429 and drops it once recovered", () => {
    const budget = new Budget({ halfLifeMs: 1000 });
    greedy(budget, 8, 0);
    budget.throttle(10, 500);
    // 8 starts in the last second, halved: 4 per second from the end of the pause.
    const starts = greedy(budget, 8, 20);
    expect(starts[0]!).toBeGreaterThanOrEqual(510);
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(4);
    // Recovered: no limit any more.
    expect(budget.slowdown(60_000)).toBe(1);
    expect(greedy(budget, 5, 60_000)).toEqual(Array(5).fill(60_000));
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
    expect(() => new Budget({ windows: [{ requests: 1.5, windowMs: 10 }] })).toThrow(RangeError);
    expect(() => new Budget({ windows: [{ requests: 1, windowMs: 0 }] })).toThrow(RangeError);
  });
});

describe("windowFloorMs", () => {
  it("is when the last request may start under the windows alone", () => {
    const kontent = [
      { requests: 10, windowMs: 1000 },
      { requests: 400, windowMs: 60_000 },
    ];
    expect(windowFloorMs(10, kontent)).toBe(0);
    expect(windowFloorMs(34, kontent)).toBe(3000);
    // 400 in the first 40 s, then #401 waits for #1 to leave the minute: 60 s; #504 at 70 s.
    expect(windowFloorMs(504, kontent)).toBe(70_000);
    expect(windowFloorMs(5, [])).toBe(0);
  });
});
