import { z } from "zod";

/*
 * The fields that environment sections of workflow-sync.config.yaml share (config.ts; the vendor
 * sections in vendors.ts): secret references, rate limits, concurrency and the common fields.
 */

export const EnvRef = z.strictObject({
  env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "the name of an environment variable"),
});

/** `{ env: NAME }`. A literal string is refused (without echoing it: it may be a real secret). */
export const SecretRef = z.unknown().transform((value, context): { env: string } => {
  if (typeof value === "string") {
    context.addIssue({
      code: "custom",
      message:
        "secrets come from environment variables: write { env: VARIABLE_NAME }, never the secret itself",
    });
    return z.NEVER;
  }
  const parsed = EnvRef.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      context.addIssue({
        code: "custom",
        message: `${issue.message} (write { env: VARIABLE_NAME })`,
        path: issue.path,
      });
    }
    return z.NEVER;
  }
  return parsed.data;
});

/**
 * A vendor's limits as windows ("at most N requests in any window of T"): perSecond and perMinute, and
 * further windows as `{ requests, seconds }` (e.g. a CDN's 2,000 per 10 s). Defaults per vendor.
 */
export const RateLimit = z.strictObject({
  perSecond: z.number().positive().optional(),
  perMinute: z.number().positive().optional(),
  windows: z
    .array(z.strictObject({ requests: z.number().int().positive(), seconds: z.number().positive() }))
    .optional(),
});

/** Requests in flight at once per environment (writes start in plan order; defaults per vendor). */
export const Concurrency = z.strictObject({
  reads: z.number().int().min(1).max(64).optional(),
  writes: z.number().int().min(1).max(64).optional(),
});

export const common = {
  protected: z.boolean().default(false),
  /** Per request attempt, in milliseconds (default 30 000). */
  timeoutMs: z.number().int().positive().optional(),
  description: z.string().optional(),
};
