import { describe, expect, it } from "vitest";
import { Pacer } from "./pacer.ts";
import { delay } from "./test-support/server.ts";

describe("Pacer", () => {
  it("runs a task and passes on its result or its error", async () => {
    const pacer = new Pacer();
    await expect(pacer.run("read", async () => 42)).resolves.toBe(42);
    await expect(
      pacer.run("write", async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(pacer.stats()).toMatchObject({ requests: 2, throttled: 0 });
  });

  it("runs writes one at a time in order, reads up to readConcurrency, side by side", async () => {
    const pacer = new Pacer({ readConcurrency: 3 });
    const running = { read: 0, write: 0, maxRead: 0, maxWrite: 0, maxBoth: 0 };
    const order: string[] = [];
    const task = (kind: "read" | "write", name: string) =>
      pacer.run(kind, async () => {
        running[kind]++;
        running.maxRead = Math.max(running.maxRead, running.read);
        running.maxWrite = Math.max(running.maxWrite, running.write);
        running.maxBoth = Math.max(running.maxBoth, running.read + running.write);
        order.push(name);
        await delay(30);
        running[kind]--;
      });
    await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => task("write", `w${i}`)),
      ...Array.from({ length: 9 }, (_, i) => task("read", `r${i}`)),
    ]);
    expect(running.maxWrite).toBe(1);
    expect(running.maxRead).toBe(3);
    expect(running.maxBoth).toBe(4);
    expect(order.filter((name) => name.startsWith("w"))).toEqual(["w0", "w1", "w2", "w3", "w4"]);
  });

  it("draws reads and writes from one budget: a burst up to the window's limit at once, then the next window", async () => {
    const pacer = new Pacer({ rateLimit: { windows: [{ requests: 3, windowMs: 300 }] } });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        pacer.run(i % 2 === 0 ? "read" : "write", async () => {
          starts.push(performance.now());
        }),
      ),
    );
    starts.sort((a, b) => a - b);
    // Three at once (granted in the same tick; generous slack for a busy machine)…
    expect(starts[2]! - starts[0]!).toBeLessThan(150);
    // …then no fourth inside any 300 ms (a timer never fires early; 5 ms for clock granularity).
    for (let i = 3; i < starts.length; i++) expect(starts[i]! - starts[i - 3]!).toBeGreaterThanOrEqual(295);
    expect(pacer.stats().requests).toBe(8);
  });

  it("throttled() pauses everyone, reads and writes, and counts the wait", async () => {
    const pacer = new Pacer();
    const t0 = performance.now();
    pacer.throttled(300);
    const starts = await Promise.all([
      pacer.run("read", async () => performance.now()),
      pacer.run("read", async () => performance.now()),
      pacer.run("write", async () => performance.now()),
    ]);
    for (const start of starts) expect(start - t0).toBeGreaterThanOrEqual(300);
    const stats = pacer.stats();
    expect(stats.throttled).toBe(1);
    expect(stats.waitedMs).toBeGreaterThanOrEqual(250);
  });

  it("after a 429 the pace slows down: a window admits half as many", async () => {
    const pacer = new Pacer({ rateLimit: { windows: [{ requests: 2, windowMs: 200 }] } });
    pacer.throttled(0);
    expect(pacer.stats().slowdown).toBe(2);
    const starts = await Promise.all(
      Array.from({ length: 3 }, () => pacer.run("read", async () => performance.now())),
    );
    // One per 200 ms instead of two (5 ms for clock granularity).
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(195);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(195);
  });

  it("a pause that starts while tasks wait delays them too", async () => {
    const pacer = new Pacer({ rateLimit: { windows: [{ requests: 1, windowMs: 100 }] } });
    const t0 = performance.now();
    const runs = Array.from({ length: 3 }, () => pacer.run("read", async () => performance.now()));
    pacer.throttled(400);
    const starts = await Promise.all(runs);
    // The first started at once (before the 429), the others only after the pause.
    expect(starts.filter((start) => start - t0 >= 400)).toHaveLength(2);
  });

  it("a request in flight holds its place in the window until it says when it went out", async () => {
    const pacer = new Pacer({ rateLimit: { windows: [{ requests: 1, windowMs: 100 }] }, readConcurrency: 2 });
    const t0 = performance.now();
    const [, second] = await Promise.all([
      pacer.run("read", async (slot) => {
        await delay(300); // e.g. a slow connection: the server may see it only now
        slot.sent();
      }),
      pacer.run("read", async () => performance.now()),
    ]);
    // Not at 100 ms after the first was granted, but 100 ms (+ margin) after it went out (5 ms clock slack).
    expect(second - t0).toBeGreaterThanOrEqual(395);
  });

  it("nextAttempt() waits for budget again while keeping the task's place in its queue", async () => {
    const pacer = new Pacer({ rateLimit: { perSecond: 20 } });
    const events: string[] = [];
    await Promise.all([
      pacer.run("write", async (slot) => {
        events.push("a1");
        const waited = await slot.nextAttempt();
        expect(waited).toBeGreaterThanOrEqual(0);
        events.push("a2");
        await slot.nextAttempt();
        events.push("a3");
      }),
      pacer.run("write", async () => {
        events.push("b1");
      }),
    ]);
    expect(events).toEqual(["a1", "a2", "a3", "b1"]);
    expect(pacer.stats().requests).toBe(4);
  });

  it("onIdle() resolves once both queues are empty", async () => {
    const pacer = new Pacer();
    let done = 0;
    for (let i = 0; i < 3; i++) {
      void pacer.run("read", async () => {
        await delay(20);
        done++;
      });
      void pacer.run("write", async () => {
        await delay(10);
        done++;
      });
    }
    await pacer.onIdle();
    expect(done).toBe(6);
  });

  it("refuses nonsense options", () => {
    expect(() => new Pacer({ readConcurrency: 0 })).toThrow(RangeError);
    expect(() => new Pacer({ writeConcurrency: 1.5 })).toThrow(RangeError);
    expect(() => new Pacer({ rateLimit: { perSecond: -1 } })).toThrow(RangeError);
    expect(new Pacer({ rateLimit: false }).rateLimit).toBeUndefined();
    expect(new Pacer({ rateLimit: { perSecond: 10, perMinute: 400 } }).rateLimit).toEqual({
      perSecond: 10,
      perMinute: 400,
    });
    expect(
      new Pacer({ rateLimit: { perSecond: 10, windows: [{ requests: 2000, windowMs: 10_000 }] } }).rateLimit,
    ).toEqual({ perSecond: 10, windows: [{ requests: 2000, windowMs: 10_000 }] });
    expect(new Pacer({ writeConcurrency: 4 })).toMatchObject({ readConcurrency: 4, writeConcurrency: 4 });
  });
});
