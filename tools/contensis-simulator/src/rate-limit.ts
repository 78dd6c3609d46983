import type { RateLimit } from "./types.ts";

/**
 * Sliding-window rate limiting, off by default: Contensis documents no limit (a grep of DMH and CD
 * for 429 / rate limit / Retry-After found nothing; vendors/contensis.md section 3). When enabled,
 * every non-admin request counts (token requests included) and a request over the limit gets 429
 * with `Retry-After` in whole seconds until a slot frees up. Rejected requests do not count.
 */
export class RateLimiter {
  private limit: RateLimit | false;
  private stamps: number[] = [];

  constructor(limit: RateLimit | false = false) {
    this.limit = checkRateLimit(limit);
  }

  set(limit: RateLimit | false): void {
    this.limit = checkRateLimit(limit);
    this.stamps = [];
  }

  /** Seconds to wait when the request is over the limit, otherwise undefined (and the request is counted). */
  take(now = Date.now()): number | undefined {
    if (!this.limit) return undefined;
    this.stamps = this.stamps.filter((t) => now - t < 60_000);
    const waits: number[] = [];
    const lastSecond = this.stamps.filter((t) => now - t < 1000);
    if (lastSecond.length >= this.limit.perSecond) waits.push((lastSecond[0] ?? now) + 1000 - now);
    const perMinute = this.limit.perMinute;
    if (perMinute !== undefined && this.stamps.length >= perMinute) {
      const oldest = this.stamps[this.stamps.length - perMinute] ?? now;
      waits.push(oldest + 60_000 - now);
    }
    if (waits.length > 0) return Math.max(1, Math.ceil(Math.max(...waits) / 1000));
    this.stamps.push(now);
    return undefined;
  }
}

function checkRateLimit(limit: RateLimit | false): RateLimit | false {
  if (limit === false) return false;
  if (typeof limit !== "object" || limit === null || !(limit.perSecond > 0)) {
    throw new Error("a rate limit needs perSecond > 0 (or false to turn it off)");
  }
  if (limit.perMinute !== undefined && !(limit.perMinute > 0)) throw new Error("perMinute must be > 0");
  return { ...limit };
}
