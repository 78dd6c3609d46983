/**
 * The request budget of one environment, as pure arithmetic over a clock in milliseconds (no timers; the Pacer
 * drives it). It decides the earliest time the next request may start so that a server counting a sliding
 * 1-second window and a sliding 60-second window never sees more than the limits, while coming close to them.
 */

export interface BudgetOptions {
  perSecond?: number | undefined;
  perMinute?: number | undefined;
  /** After a 429 the pace slows by this factor at most (cumulative over several 429s); default 8. */
  maxSlowdown?: number | undefined;
  /** The slowdown halves every `halfLifeMs` once the Retry-After pause is over; default 5_000. */
  halfLifeMs?: number | undefined;
  /** false: a 429 only pauses, it does not slow the pace. */
  adaptive?: boolean | undefined;
}

/**
 * Even spacing of 1000/perSecond ms, stretched by this margin, so that network jitter between the moment a
 * request starts here and the moment the server counts it does not push a window over the limit (at 10/s the
 * margin is 4 ms per request: 33 requests take about 3.35 s where the limit alone imposes 3.2 s).
 */
export const SPACING_MARGIN = 0.03;
export const SPACING_MARGIN_MS = 1;
/** The 60-second window is likewise stretched by this much. */
export const MINUTE_MARGIN_MS = 250;
const MINUTE_MS = 60_000;
/** Two 429s closer than this are one episode: the pace halves once. */
const EPISODE_MS = 1_000;

function positive(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

export class Budget {
  readonly perSecond: number | undefined;
  readonly perMinute: number | undefined;
  readonly #baseSpacing: number;
  readonly #maxSlowdown: number;
  readonly #halfLifeMs: number;
  readonly #adaptive: boolean;
  #lastStart = Number.NEGATIVE_INFINITY;
  /** Start times inside the last minute (at most perMinute of them), oldest first. */
  #minute: number[] = [];
  /** Start times inside the last second, to estimate the pace when no limit is configured. */
  #second: number[] = [];
  #pauseUntil = Number.NEGATIVE_INFINITY;
  /** Slowdown after a 429: spacing × factor, decaying towards 1 from `#decayFrom`. */
  #factor = 1;
  #decayFrom = 0;
  #lastEpisode = Number.NEGATIVE_INFINITY;
  /** With no configured perSecond: the spacing learnt from the pace at the time of a 429. */
  #learntSpacing = 0;

  constructor(options: BudgetOptions = {}) {
    this.perSecond = positive("rateLimit.perSecond", options.perSecond);
    this.perMinute = positive("rateLimit.perMinute", options.perMinute);
    if (this.perMinute !== undefined) this.perMinute = Math.max(1, Math.floor(this.perMinute));
    this.#maxSlowdown = Math.max(1, positive("maxSlowdown", options.maxSlowdown) ?? 8);
    this.#halfLifeMs = positive("halfLifeMs", options.halfLifeMs) ?? 5_000;
    this.#adaptive = options.adaptive ?? true;
    this.#baseSpacing =
      this.perSecond === undefined ? 0 : (1000 / this.perSecond) * (1 + SPACING_MARGIN) + SPACING_MARGIN_MS;
  }

  /** The current slowdown factor (1 = full pace). */
  slowdown(now: number): number {
    if (this.#factor === 1) return 1;
    if (now <= this.#decayFrom) return this.#factor;
    const factor = 1 + (this.#factor - 1) * 2 ** (-(now - this.#decayFrom) / this.#halfLifeMs);
    if (factor < 1.01) {
      this.#factor = 1;
      this.#learntSpacing = 0;
      return 1;
    }
    return factor;
  }

  /** Minimum time between two starts at `now` (0: no spacing). */
  spacing(now: number): number {
    const factor = this.slowdown(now);
    const base = this.#baseSpacing || this.#learntSpacing;
    return base * factor;
  }

  /** End of the current Retry-After pause (or a time in the past). */
  get pausedUntil(): number {
    return this.#pauseUntil;
  }

  /** The earliest time at or after `now` when the next request may start. */
  nextStart(now: number): number {
    let at = Math.max(now, this.#pauseUntil);
    const spacing = this.spacing(now);
    if (spacing > 0) at = Math.max(at, this.#lastStart + spacing);
    const perMinute = this.perMinute;
    if (perMinute !== undefined && this.#minute.length >= perMinute) {
      const oldest = this.#minute[this.#minute.length - perMinute]!;
      at = Math.max(at, oldest + MINUTE_MS + MINUTE_MARGIN_MS);
    }
    return at;
  }

  /** A request starts at `now` (the caller checked `nextStart(now) <= now`). */
  start(now: number): void {
    this.#lastStart = now;
    if (this.perMinute !== undefined) {
      this.#minute.push(now);
      const horizon = now - MINUTE_MS - MINUTE_MARGIN_MS;
      let drop = 0;
      while (drop < this.#minute.length && this.#minute[drop]! <= horizon) drop++;
      drop = Math.max(drop, this.#minute.length - this.perMinute);
      if (drop > 0) this.#minute.splice(0, drop);
    }
    this.#second.push(now);
    while (this.#second.length > 0 && this.#second[0]! <= now - 1000) this.#second.shift();
  }

  /**
   * A 429 arrived: nobody starts before `now + retryAfterMs`; and, once per episode, the pace halves (down to
   * 1/maxSlowdown), recovering gradually after the pause.
   */
  throttle(now: number, retryAfterMs: number): void {
    const wait = Number.isFinite(retryAfterMs) && retryAfterMs > 0 ? retryAfterMs : 0;
    this.#pauseUntil = Math.max(this.#pauseUntil, now + wait);
    if (!this.#adaptive) return;
    const current = this.slowdown(now);
    if (now - this.#lastEpisode >= EPISODE_MS) {
      this.#lastEpisode = now;
      if (this.#baseSpacing === 0 && this.#learntSpacing === 0) {
        // No configured limit: slow down from the pace of the last second. Fewer than two starts there say
        // nothing about a pace (the 429 came from elsewhere): then only the pause applies.
        const recent = this.#second.filter((at) => at > now - 1000).length;
        if (recent < 2) return;
        this.#learntSpacing = 1000 / recent;
      }
      this.#factor = Math.min(this.#maxSlowdown, current * 2);
    } else {
      // Same episode: keep the slowdown where it is (restarting the decay must not raise it).
      this.#factor = current;
    }
    this.#decayFrom = Math.max(now, this.#pauseUntil);
  }
}
