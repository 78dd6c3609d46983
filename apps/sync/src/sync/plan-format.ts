import { createHash, randomBytes } from "node:crypto";
import {
  type Change,
  type ChangeKind,
  EmbeddedWorkflow,
  stableStringify,
  VENDORS,
} from "@workflow-sync/core";
import { z } from "zod";
import { toolVersion } from "../version.ts";

/*
 * The plan file: a versioned JSON document that `apply` executes. It holds the literal vendor
 * requests (reviewable in a pull request), the fingerprints that make a stale plan detectable, the
 * desired workflows (so an interrupted apply can re-plan what is left), losses and warnings.
 * It never holds a secret.
 */

export const PLAN_FORMAT_VERSION = 1;

const Path = z.array(z.union([z.string(), z.number()]));

/**
 * A request path stays inside the target environment: relative to its API root (or a plain file
 * name in a folder), with no scheme or host, no `.`/`..` segment (also percent-encoded), no
 * backslash, query or fragment. URL resolution would otherwise carry a write to another
 * environment or project on the same host.
 */
export function isContainedRequestPath(path: string): boolean {
  if (path.startsWith("//") || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(path) || /[\\?#]/.test(path)) return false;
  return path.split("/").every((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return false;
    }
    return decoded !== "." && decoded !== ".." && !/[\\/]/.test(decoded);
  });
}

export const PlannedRequest = z.strictObject({
  method: z.enum(["POST", "PUT", "DELETE"]),
  path: z
    .string()
    .min(1)
    .refine(
      isContainedRequestPath,
      "a request path stays inside the environment (no scheme, host or .. segment)",
    ),
  body: z.unknown().optional(),
  description: z.string(),
  /** What the request replaces as planned (a role written whole); the write refuses when it changed. */
  before: z.unknown().optional(),
});

export const PlannedLoss = z.strictObject({
  workflow: z.string(),
  code: z.string(),
  path: Path,
  message: z.string(),
  vendor: z.string(),
});
export type PlannedLoss = z.infer<typeof PlannedLoss>;

const CHANGE_KINDS = [
  "workflow_added",
  "workflow_removed",
  "workflow_changed",
  "state_added",
  "state_removed",
  "state_changed",
  "transition_added",
  "transition_removed",
  "transition_changed",
  "group_added",
  "group_removed",
  "group_changed",
] as const satisfies readonly ChangeKind[];

const ChangeEnvelope = z.looseObject({
  kind: z.enum(CHANGE_KINDS),
  workflow: z.string(),
  path: z.array(z.string()),
  before: z.unknown(),
  after: z.unknown(),
});

/**
 * One change of core's diff (`Change`) as a plan carries it: its envelope (kind, workflow, path,
 * before, after) is checked, its values are kept exactly as written (the checksum covers them).
 */
export const PlannedChange = z.custom<Change>(
  (value) => ChangeEnvelope.safeParse(value).success,
  "a change as the diff writes it: { kind, workflow, path, before, after }",
);

export const Operation = z.strictObject({
  id: z.string(),
  /** `permissions`: writes outside the definitions that the plan's workflows need (Contensis roles). */
  action: z.enum(["create", "update", "delete", "permissions"]),
  /** The workflow's key in the target. */
  workflow: z.string(),
  /** Its key in the source, when it differs (a vendor may rename). */
  source: z.string().optional(),
  /** What the operation changes, as core's diff gives it (empty for `permissions`). */
  changes: z.array(PlannedChange),
  requests: z.array(PlannedRequest),
  /** An update's target workflow as planned: what `report` and `show` draw as "before". */
  current: EmbeddedWorkflow.optional(),
});
export type Operation = z.infer<typeof Operation>;

export const TargetPlan = z.strictObject({
  environment: z.string(),
  vendor: z.enum([...VENDORS, "files"]),
  label: z.string(),
  /** sha256 over every workflow of the target when planned: apply refuses if it changed. */
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  /** Per-workflow fingerprints when planned (to tell our own resumed writes from drift). */
  workflows: z.record(z.string(), z.string()),
  operations: z.array(Operation),
  skipped: z.array(z.strictObject({ workflow: z.string(), reason: z.string() })),
  losses: z.array(PlannedLoss),
  warnings: z.array(
    z.strictObject({ workflow: z.string(), code: z.string(), path: Path, message: z.string() }),
  ),
  mappings: z.strictObject({
    roles: z.array(z.strictObject({ source: z.string(), target: z.string(), found: z.boolean() })),
    contentTypes: z.array(z.strictObject({ codename: z.string(), found: z.boolean() })),
    collections: z.array(z.strictObject({ codename: z.string(), found: z.boolean() })),
  }),
  /** The source's workflows as planned (after --map): an interrupted apply re-plans what is left from them. */
  desired: z.array(EmbeddedWorkflow),
});
export type TargetPlan = z.infer<typeof TargetPlan>;

export const Plan = z.strictObject({
  formatVersion: z.literal(PLAN_FORMAT_VERSION),
  id: z.string().regex(/^[0-9a-f]{16}$/),
  createdAt: z.string(),
  tool: z.strictObject({ name: z.literal("workflow-sync"), version: z.string() }),
  source: z.strictObject({
    environment: z.string(),
    vendor: z.enum([...VENDORS, "files"]),
    fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  options: z.strictObject({
    prune: z.boolean(),
    acceptLoss: z.boolean(),
    map: z.string().optional(),
    /** `--workflow` patterns: the plan covers only these workflows. */
    workflows: z.array(z.string()).optional(),
  }),
  targets: z.array(TargetPlan).min(1),
  /** sha256 of the plan without this field: a plan edited by hand is refused. */
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Plan = z.infer<typeof Plan>;

/**
 * The plan file's text. The plan is checked against the same schema that reading it uses, so that
 * a plan this version writes is one it reads back.
 */
export function planFileText(plan: Plan): string {
  return `${JSON.stringify(Plan.parse(plan), null, 2)}\n`;
}

/** The checksum of a plan: sha256 over its canonical JSON without the checksum itself. */
export function planChecksum(plan: Omit<Plan, "checksum"> & { checksum?: string }): string {
  const { checksum: _checksum, ...rest } = plan;
  return createHash("sha256").update(stableStringify(rest)).digest("hex");
}

/** A new plan: id, time, tool and checksum filled in around what was planned. */
export function newPlan(fields: Pick<Plan, "source" | "options" | "targets">): Plan {
  const unsigned: Omit<Plan, "checksum"> = {
    formatVersion: PLAN_FORMAT_VERSION,
    id: randomBytes(8).toString("hex"),
    createdAt: new Date().toISOString(),
    tool: { name: "workflow-sync", version: toolVersion() },
    ...fields,
  };
  return { ...unsigned, checksum: planChecksum(unsigned) };
}
