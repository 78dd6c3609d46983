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

  it("draws reads and writes from one budget", async () => {
    const pacer = new Pacer({ rateLimit: { perSecond: 20 } });
    const starts: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        pacer.run(i % 2 === 0 ? "read" : "write", async () => {
          starts.push(performance.now());
        }),
      ),
    );
    starts.sort((a, b) => a - b);
    // Starts are granted ≥ 50 ms apart; a task body may run a little after its grant, hence the slack per gap.
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(40);
    expect(starts.at(-1)! - t0).toBeGreaterThanOrEqual(7 * 50);
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

  it("after a 429 the pace slows down", async () => {
    const pacer = new Pacer({ rateLimit: { perSecond: 20 } });
    pacer.throttled(0);
    expect(pacer.stats().slowdown).toBe(2);
    const t0 = performance.now();
    const starts = await Promise.all(
      Array.from({ length: 3 }, () => pacer.run("read", async () => performance.now())),
    );
    // Half of 20/s: about 100 ms apart instead of 50 (slack for when a task body runs after its grant).
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(80);
    expect(starts[2]! - t0).toBeGreaterThanOrEqual(200);
  });

  it("a pause that starts while tasks wait delays them too", async () => {
    const pacer = new Pacer({ rateLimit: { perSecond: 10 } });
    const t0 = performance.now();
    const runs = Array.from({ length: 3 }, () => pacer.run("read", async () => performance.now()));
    pacer.throttled(400);
    const starts = await Promise.all(runs);
    // The first started at once (before the 429), the others only after the pause.
    expect(starts.filter((start) => start - t0 >= 400)).toHaveLength(2);
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
  });
});
