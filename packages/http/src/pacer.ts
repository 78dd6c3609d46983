import PQueue from "p-queue";
import { Budget, type BudgetTicket, type RateWindow } from "./budget.ts";
import { now, WaitClock } from "./wait.ts";

/**
 * A vendor's limits as windows: at most `perSecond` requests in any second, `perMinute` in any minute, and each
 * of `windows` (at most `requests` in any `windowMs`). Bursts up to a window's limit start at once.
 */
export interface RateLimit {
  perSecond?: number | undefined;
  perMinute?: number | undefined;
  windows?: readonly RateWindow[] | undefined;
}

export interface PacerOptions {
  /** The environment's published limits; `false` or absent: no pacing (a 429 still pauses and slows down). */
  rateLimit?: RateLimit | false;
  /** Reads running at the same time; default 4. */
  readConcurrency?: number;
  /** Writes running at the same time; default 1 (writes are serial, in the order they were queued). */
  writeConcurrency?: number;
  /**
   * After a 429 the pace halves (down to 1/`maxSlowdown`, default 8) and the slowdown halves again every
   * `halfLifeMs` (default 5_000) once the Retry-After pause is over. `false`: a 429 only pauses.
   */
  adaptive?: { maxSlowdown?: number; halfLifeMs?: number } | false;
}

export interface PacerStats {
  /** Requests started (every attempt counts). */
  requests: number;
  /** 429s reported through `throttled()`. */
  throttled: number;
  /** Wall-clock ms during which at least one task waited for budget or for a Retry-After pause. */
  waitedMs: number;
  /** Current slowdown after 429s: 1 = full pace, 2 = half pace, … */
  slowdown: number;
}

/** Handed to a task when it starts: it holds its place in its queue until it settles. */
export interface PacerSlot {
  /** How long this task waited for budget before it started (ms). */
  readonly waitedMs: number;
  /**
   * Call before each further attempt of the same task (a retry): waits for budget again (and for any
   * Retry-After pause) while keeping the task's place in its queue, so serial writes stay in order.
   * Resolves with the ms waited.
   */
  nextAttempt(): Promise<number>;
  /**
   * The current attempt went out at `at` (default: now), when its bytes were written, and was answered at
   * `answeredAt` (default: now). Until then (or until the task settles) the attempt holds its place in every
   * rate window, so that a request the server counts late never makes a window look emptier than the server
   * counts it (see `Budget.settle`).
   */
  sent(at?: number, answeredAt?: number): void;
}

type Kind = "read" | "write";

interface Waiter {
  since: number;
  resolve: (grant: { waitedMs: number; ticket: BudgetTicket }) => void;
}

function concurrency(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === Number.POSITIVE_INFINITY) return value;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a whole number ≥ 1, got ${String(value)}`);
  }
  return value;
}

/**
 * One per environment: every request of that environment, read or write, draws from one budget. Reads and
 * writes wait in separate queues (default 4 reads and 1 write at a time); a task that holds a queue place then
 * waits for the shared budget, first come first served. A burst up to a window's limit starts at once; the next
 * request waits until the oldest of the window has left it (see `Budget`).
 */
export class Pacer {
  readonly #read: PQueue;
  readonly #write: PQueue;
  readonly #budget: Budget;
  readonly #waiters: Waiter[] = [];
  readonly #waited = new WaitClock();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #requests = 0;
  #throttled = 0;
  /** Reads that may run at the same time. */
  readonly readConcurrency: number;
  /** Writes that may run at the same time (they start in the order they were queued). */
  readonly writeConcurrency: number;

  constructor(options: PacerOptions = {}) {
    const limit = options.rateLimit || {};
    const adaptive = options.adaptive;
    this.#budget = new Budget({
      perSecond: limit.perSecond,
      perMinute: limit.perMinute,
      windows: limit.windows,
      adaptive: adaptive !== false,
      maxSlowdown: adaptive ? adaptive.maxSlowdown : undefined,
      halfLifeMs: adaptive ? adaptive.halfLifeMs : undefined,
    });
    this.readConcurrency = concurrency("readConcurrency", options.readConcurrency, 4);
    this.writeConcurrency = concurrency("writeConcurrency", options.writeConcurrency, 1);
    this.#read = new PQueue({ concurrency: this.readConcurrency });
    this.#write = new PQueue({ concurrency: this.writeConcurrency });
  }

  /** The configured limits (undefined: none). */
  get rateLimit(): RateLimit | undefined {
    const { perSecond, perMinute } = this.#budget;
    const windows = this.#budget.windows.slice(
      (perSecond === undefined ? 0 : 1) + (perMinute === undefined ? 0 : 1),
    );
    if (perSecond === undefined && perMinute === undefined && windows.length === 0) return undefined;
    return {
      ...(perSecond === undefined ? {} : { perSecond }),
      ...(perMinute === undefined ? {} : { perMinute }),
      ...(windows.length === 0 ? {} : { windows }),
    };
  }

  /**
   * Runs `task` when its queue has room and the budget allows a request. The task gets a `PacerSlot`; a task
   * that makes several attempts calls `slot.nextAttempt()` before each further one.
   */
  run<T>(kind: Kind, task: (slot: PacerSlot) => Promise<T>): Promise<T> {
    if (kind !== "read" && kind !== "write") {
      return Promise.reject(new TypeError(`kind must be "read" or "write", got ${String(kind)}`));
    }
    const queue = kind === "write" ? this.#write : this.#read;
    return queue.add(async () => {
      let ticket: BudgetTicket | undefined;
      const sent = (at: number = now(), answeredAt: number = now()) => {
        if (ticket === undefined) return;
        this.#budget.settle(ticket, at, answeredAt);
        ticket = undefined;
        this.#pump();
      };
      const acquire = async () => {
        sent();
        const grant = await this.#acquire();
        ticket = grant.ticket;
        return grant.waitedMs;
      };
      const waitedMs = await acquire();
      try {
        return await task({ waitedMs, nextAttempt: acquire, sent });
      } finally {
        sent();
      }
    }) as Promise<T>;
  }

  /**
   * A 429 arrived anyway: nobody starts a request for `retryAfterMs`, and the pace slows (halves, once per
   * episode; it recovers gradually after the pause).
   */
  throttled(retryAfterMs: number): void {
    this.#throttled++;
    this.#budget.throttle(now(), retryAfterMs);
    this.#pump();
  }

  stats(): PacerStats {
    const at = now();
    return {
      requests: this.#requests,
      throttled: this.#throttled,
      waitedMs: Math.round(this.#waited.total(this.#waiters[0]?.since, at)),
      slowdown: Math.round(this.#budget.slowdown(at) * 100) / 100,
    };
  }

  /** Resolves when both queues are empty and nothing runs. */
  async onIdle(): Promise<void> {
    while (this.#read.size + this.#read.pending + this.#write.size + this.#write.pending > 0) {
      await Promise.all([this.#read.onIdle(), this.#write.onIdle()]);
    }
  }

  #acquire(): Promise<{ waitedMs: number; ticket: BudgetTicket }> {
    return new Promise((resolve) => {
      this.#waiters.push({ since: now(), resolve });
      if (this.#timer === undefined) this.#pump();
    });
  }

  /**
   * Starts waiting tasks in order while the budget allows; otherwise sets a timer for the next start (none when
   * that waits for a request in flight: its settling pumps again).
   */
  #pump(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    while (this.#waiters.length > 0) {
      const at = now();
      const next = this.#budget.nextStart(at);
      if (next > at) {
        if (next === Number.POSITIVE_INFINITY) return;
        this.#timer = setTimeout(
          () => {
            this.#timer = undefined;
            this.#pump();
          },
          Math.max(1, Math.ceil(next - at)),
        );
        return;
      }
      const waiter = this.#waiters.shift()!;
      const ticket = this.#budget.start(at, true);
      this.#requests++;
      this.#waited.add(waiter.since, at);
      waiter.resolve({ waitedMs: at - waiter.since, ticket });
    }
  }
}
