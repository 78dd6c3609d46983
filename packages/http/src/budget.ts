/**
 * The request budget of one environment, as pure arithmetic over a clock in milliseconds (no timers; the Pacer
 * drives it).
 *
 * A vendor limit is modelled as windows: "at most N requests in any window of T ms". Kontent.ai documents "two
 * separate time windows, second and minute", 10 and 400 requests by default, and answers 429 with Retry-After
 * "when you reach the limit of a specific time window"
 * (https://kontent.ai/learn/docs/apis/management-api-v2/api-limitations). It does not say whether a window is
 * fixed (calendar second/minute), sliding, or a token bucket. Keeping every window of T under N (a sliding
 * window, the strictest reading) is accepted by all three: a fixed window is one of the windows of T, and a token
 * bucket of N tokens refilled at N per T accepts any sequence with at most N starts in any window of T. So a
 * burst of N goes out at once, and request N+1 waits until the first is T (plus a margin) old.
 */

/** At most `requests` starts in any `windowMs`. */
export interface RateWindow {
  requests: number;
  windowMs: number;
}

export interface BudgetOptions {
  perSecond?: number | undefined;
  perMinute?: number | undefined;
  /** Further windows (e.g. a CDN's 2,000 per 10 s), on top of perSecond and perMinute. */
  windows?: readonly RateWindow[] | undefined;
  /** After a 429 the pace slows by this factor at most (cumulative over several 429s); default 8. */
  maxSlowdown?: number | undefined;
  /** The slowdown halves every `halfLifeMs` once the Retry-After pause is over; default 5_000. */
  halfLifeMs?: number | undefined;
  /** false: a 429 only pauses, it does not slow the pace. */
  adaptive?: boolean | undefined;
}

/**
 * A request is counted here when it starts and by the server when it arrives a moment later. If the first
 * request of a window travels longer than a later one, the server sees them closer together than we sent them.
 * Each window is therefore stretched by this margin: 10 ms plus 1 % of the window (1 s → 20 ms, 60 s → 610 ms).
 */
export function windowMargin(windowMs: number): number {
  return WINDOW_MARGIN_MS + windowMs * WINDOW_MARGIN_SHARE;
}
export const WINDOW_MARGIN_MS = 10;
export const WINDOW_MARGIN_SHARE = 0.01;
const SECOND_MS = 1000;
const MINUTE_MS = 60_000;
/** How many recent round trips the shortest one is taken from, and how many make it trusted. */
const ROUND_TRIPS_KEPT = 32;
const ROUND_TRIPS_TRUSTED = 8;
/** Two 429s closer than this are one episode: the pace halves once. */
const EPISODE_MS = 1_000;

function positive(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

/** `perSecond` as a window: 10 → 10 per 1 s; 2.5 → 2 per 800 ms; 0.5 → 1 per 2 s. */
function perSecondWindow(perSecond: number): RateWindow {
  const requests = Math.max(1, Math.floor(perSecond));
  return { requests, windowMs: (SECOND_MS * requests) / perSecond };
}

/**
 * One granted request. Until it settles, when the server counts it is unknown (it may not even have arrived), so
 * a request in flight holds its place in every window; once settled it counts as `#counted` says.
 */
export interface BudgetTicket {
  readonly granted: number;
}

interface Ticket extends BudgetTicket {
  /** When it went out; undefined while in flight. */
  at: number | undefined;
}

export class Budget {
  readonly perSecond: number | undefined;
  readonly perMinute: number | undefined;
  /** Every window this budget keeps (perSecond and perMinute first). */
  readonly windows: readonly RateWindow[];
  /** The largest window's request count: how many settled tickets are kept. */
  readonly #keep: number;
  /** Settled requests (the last #keep of them), in the order they settled. */
  #settled: Array<{ sent: number; answered: number }> = [];
  /** Tickets still in flight. */
  #inFlight = new Set<Ticket>();
  /** Round trips (answered − sent) of the last requests. */
  #roundTrips: number[] = [];
  /** `#counted()` until a request settles (it sorts up to the largest window's count). */
  #countedCache: number[] | undefined;
  readonly #maxSlowdown: number;
  readonly #halfLifeMs: number;
  readonly #adaptive: boolean;
  /** Start times inside the last second, to learn a pace from a 429 when no limit is configured. */
  #second: number[] = [];
  /** With no configured limit: the window learnt from the pace at the time of a 429. */
  #learnt: RateWindow | undefined;
  #pauseUntil = Number.NEGATIVE_INFINITY;
  /** Slowdown after a 429: each window admits requests/factor, decaying towards 1 from `#decayFrom`. */
  #factor = 1;
  #decayFrom = 0;
  #lastEpisode = Number.NEGATIVE_INFINITY;

  constructor(options: BudgetOptions = {}) {
    this.perSecond = positive("rateLimit.perSecond", options.perSecond);
    this.perMinute = positive("rateLimit.perMinute", options.perMinute);
    if (this.perMinute !== undefined) this.perMinute = Math.max(1, Math.floor(this.perMinute));
    const windows: RateWindow[] = [];
    if (this.perSecond !== undefined) windows.push(perSecondWindow(this.perSecond));
    if (this.perMinute !== undefined) windows.push({ requests: this.perMinute, windowMs: MINUTE_MS });
    for (const [index, window] of (options.windows ?? []).entries()) {
      const requests = positive(`rateLimit.windows[${index}].requests`, window.requests)!;
      const windowMs = positive(`rateLimit.windows[${index}].windowMs`, window.windowMs)!;
      if (!Number.isInteger(requests)) {
        throw new RangeError(`rateLimit.windows[${index}].requests must be a whole number, got ${requests}`);
      }
      windows.push({ requests, windowMs });
    }
    this.windows = windows;
    this.#keep = Math.max(0, ...windows.map((window) => window.requests));
    this.#maxSlowdown = Math.max(1, positive("maxSlowdown", options.maxSlowdown) ?? 8);
    this.#halfLifeMs = positive("halfLifeMs", options.halfLifeMs) ?? 5_000;
    this.#adaptive = options.adaptive ?? true;
  }

  /** The current slowdown factor (1 = full pace). */
  slowdown(now: number): number {
    if (this.#factor === 1) return 1;
    if (now <= this.#decayFrom) return this.#factor;
    const factor = 1 + (this.#factor - 1) * 2 ** (-(now - this.#decayFrom) / this.#halfLifeMs);
    if (factor < 1.01) {
      this.#factor = 1;
      this.#learnt = undefined;
      return 1;
    }
    return factor;
  }

  /** How many requests a window admits at `now` (fewer while slowed down after a 429). */
  admits(window: RateWindow, now: number): number {
    return Math.max(1, Math.floor(window.requests / this.slowdown(now)));
  }

  /** End of the current Retry-After pause (or a time in the past). */
  get pausedUntil(): number {
    return this.#pauseUntil;
  }

  /**
   * The earliest time at or after `now` when the next request may start; `Infinity` when that depends on a
   * request in flight (call again once one settles).
   */
  nextStart(now: number): number {
    let at = Math.max(now, this.#pauseUntil);
    this.slowdown(now); // drops a learnt window once recovered
    const learnt = this.#learnt;
    let counted: number[] | undefined;
    for (const window of learnt ? [...this.windows, learnt] : this.windows) {
      const allowed = this.admits(window, now);
      // The window is full when `allowed` requests are in it: those in flight first (they count until they
      // settle), then the latest settled ones.
      const settledNeeded = allowed - this.#inFlight.size;
      if (settledNeeded <= 0) return Number.POSITIVE_INFINITY;
      counted ??= this.#counted();
      const oldest = counted[counted.length - settledNeeded];
      if (oldest !== undefined) at = Math.max(at, oldest + window.windowMs + windowMargin(window.windowMs));
    }
    return at;
  }

  /**
   * A request is granted at `now`. Without `inFlight` it counts from `now` at once (pure arithmetic, tests);
   * with it, it holds its place until `settle(ticket, at)` says when it went out.
   */
  start(now: number, inFlight = false): BudgetTicket {
    const ticket: Ticket = { granted: now, at: undefined };
    this.#second.push(now);
    while (this.#second.length > 0 && this.#second[0]! <= now - SECOND_MS) this.#second.shift();
    if (inFlight) this.#inFlight.add(ticket);
    else this.#record(ticket, now, now);
    return ticket;
  }

  /**
   * A request in flight went out at `at` (when its bytes were written) and was answered at `answeredAt`.
   * The server counted it somewhere in between: see `#counted`.
   */
  settle(ticket: BudgetTicket, at: number, answeredAt: number = at): void {
    const own = ticket as Ticket;
    if (!this.#inFlight.delete(own)) return;
    const sent = Math.max(at, own.granted);
    const answered = Math.max(answeredAt, sent);
    if (answered > sent) {
      this.#roundTrips.push(answered - sent);
      if (this.#roundTrips.length > ROUND_TRIPS_KEPT) this.#roundTrips.shift();
    }
    this.#record(own, sent, answered);
  }

  #record(ticket: Ticket, sent: number, answered: number): void {
    ticket.at = sent;
    this.#countedCache = undefined;
    const keep = Math.max(this.#keep, this.#learnt?.requests ?? 0);
    if (keep === 0) return;
    this.#settled.push({ sent, answered });
    if (this.#settled.length > keep) this.#settled.splice(0, this.#settled.length - keep);
  }

  /**
   * When each settled request counts, ascending. The shortest round trip seen lately is what the network
   * and the server's fixed latency take; whatever a request took beyond it was spent waiting, possibly at the
   * server before it was counted (a burst is processed one request after another; a busy server stalls).
   * So a request counts from `max(sent, answered − shortest round trip)`: late enough to cover waiting at
   * the server, and not a whole round trip late, which would cost a round trip per window. Until
   * `ROUND_TRIPS_TRUSTED` round trips were seen (the first ones may all have waited together), the shortest
   * is taken as 0: a request counts from its answer.
   */
  #counted(): number[] {
    if (this.#countedCache) return this.#countedCache;
    const trips = this.#roundTrips;
    const shortest = trips.length >= ROUND_TRIPS_TRUSTED ? Math.min(...trips) : 0;
    this.#countedCache = this.#settled
      .map(({ sent, answered }) => Math.max(sent, answered - shortest))
      .sort((a, b) => a - b);
    return this.#countedCache;
  }

  /**
   * A 429 arrived: nobody starts before `now + retryAfterMs`; and, once per episode, the pace halves (each
   * window admits half as many, down to 1/maxSlowdown), recovering gradually after the pause.
   */
  throttle(now: number, retryAfterMs: number): void {
    const wait = Number.isFinite(retryAfterMs) && retryAfterMs > 0 ? retryAfterMs : 0;
    this.#pauseUntil = Math.max(this.#pauseUntil, now + wait);
    if (!this.#adaptive) return;
    const current = this.slowdown(now);
    if (now - this.#lastEpisode >= EPISODE_MS) {
      this.#lastEpisode = now;
      if (this.windows.length === 0 && this.#learnt === undefined) {
        // No configured limit: slow down from the pace of the last second. Fewer than two starts there say
        // nothing about a pace (the 429 came from elsewhere): then only the pause applies.
        const recent = this.#second.filter((at) => at > now - SECOND_MS);
        if (recent.length < 2) return;
        this.#learnt = { requests: recent.length, windowMs: SECOND_MS };
        this.#settled = recent.map((at) => ({ sent: at, answered: at })); // no window kept them: grants stand in
        this.#countedCache = undefined;
      }
      this.#factor = Math.min(this.#maxSlowdown, current * 2);
    } else {
      // Same episode: keep the slowdown where it is (restarting the decay must not raise it).
      this.#factor = current;
    }
    this.#decayFrom = Math.max(now, this.#pauseUntil);
  }
}

/**
 * The floor: the earliest time the last of `n` requests may start under `windows` when every request starts as
 * early as the windows allow (no margin, no round trip). Benchmarks compare wall times with it.
 */
export function windowFloorMs(n: number, windows: readonly RateWindow[]): number {
  if (n <= 0) return 0;
  const states = windows.map((window) => ({ window, starts: [] as number[] }));
  let t = 0;
  for (let i = 0; i < n; i++) {
    for (const { window, starts } of states) {
      if (starts.length >= window.requests)
        t = Math.max(t, starts[starts.length - window.requests]! + window.windowMs);
    }
    for (const state of states) state.starts.push(t);
  }
  return t;
}
