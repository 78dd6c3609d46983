/**
 * Rate limits per environment: "10 requests per second, 400 requests per minute. The scope of API rate limits is per
 * environment. Requests made with multiple API keys to a single environment count against a single rate limit."
 * Over the limit: 429 with a `Retry-After` header in seconds
 * (https://kontent.ai/learn/docs/apis/management-api-v2/api-limitations).
 *
 * The docs speak of "two separate time windows, second and minute" but not of how a window is counted. Two
 * readings are modelled, selectable with `model`:
 * - `sliding-window` (default): at most perSecond requests in any second and perMinute in any minute;
 * - `token-bucket`: two buckets holding perSecond and perMinute tokens, refilled continuously at perSecond per
 *   second and perMinute per minute; a request takes one token from each.
 * Assumption in both: rejected requests don't count.
 */
export type RateLimitModel = "sliding-window" | "token-bucket";
export const RATE_LIMIT_MODELS: readonly RateLimitModel[] = ["sliding-window", "token-bucket"];

export interface RateLimit {
  perSecond: number;
  perMinute: number;
  /** How the server counts; default `sliding-window`. */
  model?: RateLimitModel;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 10, perMinute: 400 };

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const SECOND = 1000;
const MINUTE = 60_000;

interface Buckets {
  second: number;
  minute: number;
  at: number;
}

export class RateLimiter {
  private limit: RateLimit | false;
  private readonly admitted = new Map<string, number[]>();
  private readonly buckets = new Map<string, Buckets>();
  private readonly now: () => number;

  constructor(limit: RateLimit | false, now: () => number = () => performance.now()) {
    this.limit = checkRateLimit(limit);
    this.now = now;
  }

  set(limit: RateLimit | false): void {
    this.limit = checkRateLimit(limit);
    this.reset();
  }

  reset(): void {
    this.admitted.clear();
    this.buckets.clear();
  }

  /** Admits a request of `key` (counting it) or tells how many whole seconds to wait (≥ 1). */
  take(key: string): RateDecision {
    if (this.limit === false) return { allowed: true };
    if (this.limit.model === "token-bucket") return this.takeToken(key, this.limit);
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

  private takeToken(key: string, limit: RateLimit): RateDecision {
    const now = this.now();
    const full = { second: limit.perSecond, minute: limit.perMinute, at: now };
    const buckets = this.buckets.get(key) ?? full;
    const elapsed = now - buckets.at;
    const secondRate = limit.perSecond / SECOND;
    const minuteRate = limit.perMinute / MINUTE;
    buckets.second = Math.min(limit.perSecond, buckets.second + elapsed * secondRate);
    buckets.minute = Math.min(limit.perMinute, buckets.minute + elapsed * minuteRate);
    buckets.at = now;
    this.buckets.set(key, buckets);
    // A token is a whole one; float sums of refills may land a hair below it.
    const EPSILON = 1e-9;
    if (buckets.second >= 1 - EPSILON && buckets.minute >= 1 - EPSILON) {
      buckets.second -= 1;
      buckets.minute -= 1;
      return { allowed: true };
    }
    const waitMs = Math.max((1 - buckets.second) / secondRate, (1 - buckets.minute) / minuteRate);
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / SECOND)) };
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
  if (limit.model !== undefined && !RATE_LIMIT_MODELS.includes(limit.model)) {
    throw new Error(`A rate limit model is one of ${RATE_LIMIT_MODELS.join(", ")}.`);
  }
  return {
    perSecond: limit.perSecond,
    perMinute: limit.perMinute,
    ...(limit.model === undefined ? {} : { model: limit.model }),
  };
}

/** Parses the command-line form `10/400`, `10/400/token-bucket` or `off`. */
export function parseRateLimit(text: string): RateLimit | false {
  if (text === "off" || text === "false") return false;
  const match = /^(\d+)\/(\d+)(?:\/([a-z-]+))?$/.exec(text);
  if (!match)
    throw new Error(
      `Invalid rate limit '${text}': use PER_SECOND/PER_MINUTE[/MODEL] (e.g. 10/400 or 10/400/token-bucket) or off.`,
    );
  return checkRateLimit({
    perSecond: Number(match[1]),
    perMinute: Number(match[2]),
    ...(match[3] === undefined ? {} : { model: match[3] as RateLimitModel }),
  });
}
