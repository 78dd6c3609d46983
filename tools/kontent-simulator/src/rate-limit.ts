/**
 * Rate limits per environment: "10 requests per second, 400 requests per minute. The scope of API rate limits is per
 * environment. Requests made with multiple API keys to a single environment count against a single rate limit."
 * Over the limit: 429 with a `Retry-After` header in seconds ([LIM], api-limitations).
 * Assumptions: the windows slide (the docs only name them "second" and "minute"); rejected requests don't count.
 */
export interface RateLimit {
  perSecond: number;
  perMinute: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 10, perMinute: 400 };

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const SECOND = 1000;
const MINUTE = 60_000;

export class RateLimiter {
  private limit: RateLimit | false;
  private readonly admitted = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(limit: RateLimit | false, now: () => number = () => performance.now()) {
    this.limit = checkRateLimit(limit);
    this.now = now;
  }

  set(limit: RateLimit | false): void {
    this.limit = checkRateLimit(limit);
    this.admitted.clear();
  }

  reset(): void {
    this.admitted.clear();
  }

  /** Admits a request of `key` (counting it) or tells how many whole seconds to wait (≥ 1). */
  take(key: string): RateDecision {
    if (this.limit === false) return { allowed: true };
    const now = this.now();
    const times = (this.admitted.get(key) ?? []).filter((t) => t > now - MINUTE);
    this.admitted.set(key, times);
    const lastSecond = times.filter((t) => t > now - SECOND);
    let waitMs = 0;
    if (lastSecond.length >= this.limit.perSecond) {
      // The oldest request that must leave the window before one more fits.
      const t = lastSecond[lastSecond.length - this.limit.perSecond] as number;
      waitMs = Math.max(waitMs, t + SECOND - now);
    }
    if (times.length >= this.limit.perMinute) {
      const t = times[times.length - this.limit.perMinute] as number;
      waitMs = Math.max(waitMs, t + MINUTE - now);
    }
    if (waitMs > 0) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / SECOND)) };
    }
    times.push(now);
    return { allowed: true };
  }
}

function checkRateLimit(limit: RateLimit | false): RateLimit | false {
  if (limit === false) return false;
  if (
    typeof limit !== "object" ||
    limit === null ||
    !(Number.isInteger(limit.perSecond) && limit.perSecond > 0) ||
    !(Number.isInteger(limit.perMinute) && limit.perMinute > 0)
  ) {
    throw new Error("A rate limit is false or { perSecond, perMinute } with positive integers.");
  }
  return { perSecond: limit.perSecond, perMinute: limit.perMinute };
}

/** Parses the command-line form `10/400` or `off`. */
export function parseRateLimit(text: string): RateLimit | false {
  if (text === "off" || text === "false") return false;
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match)
    throw new Error(`Invalid rate limit '${text}': use PER_SECOND/PER_MINUTE (e.g. 10/400) or off.`);
  return checkRateLimit({ perSecond: Number(match[1]), perMinute: Number(match[2]) });
}
