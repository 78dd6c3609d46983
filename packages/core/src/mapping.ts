import { WorkflowSyncError } from "./errors.ts";
import type { Path } from "./issues.ts";
import type { Vendor, Workflow } from "./model.ts";

/**
 * Something a mapping could not carry over, never dropped silently. A union keyed by `code`
 * (zod's shape); `path` points into the **source** document of the mapping.
 */
export type LossCode =
  | "unsupported_field" // the target has no place for this field (e.g. a guard on Kontent.ai)
  | "unsupported_value" // the target has no such value (e.g. a colour outside its palette)
  | "too_long" // a name or key over the target's limit (the message names the rule)
  | "invalid_key" // a key the target's charset refuses
  | "extra_locales" // more locales than the target keeps
  | "role_granularity" // per-transition roles a per-step target cannot express, or the reverse
  | "implicit_transition" // a transition the target has only implicitly, or not at all
  | "structure"; // anything else that changes shape

export interface Loss {
  code: LossCode;
  path: Path;
  message: string;
  /** The vendor the mapping writes to (or reads from). */
  vendor: Vendor;
}

/**
 * Something a plan does besides what the diff shows, that a reviewer should know before applying
 * (nothing is lost: e.g. content moves to another workflow). `path` points into the workflow.
 */
export interface PlanWarning {
  code: string;
  path: Path;
  message: string;
}

/** What a mapping returns: the value and everything it could not carry (and, when planning, warnings). */
export interface MappingResult<T> {
  value: T;
  losses: Loss[];
  warnings?: PlanWarning[];
}

/** Names that do not resolve in an environment: every one is listed, none is dropped. */
export class UnresolvedReferencesError extends WorkflowSyncError {
  readonly kind: "role" | "contentType" | "collection" | "state";
  readonly names: string[];
  constructor(kind: UnresolvedReferencesError["kind"], names: readonly string[], where: string) {
    const unique = [...new Set(names)].sort();
    super(
      "unresolved_references",
      `${unique.length} ${kind} name${unique.length === 1 ? "" : "s"} not found in ${where}: ${unique.join(", ")}`,
    );
    this.kind = kind;
    this.names = unique;
  }
}

/*
 * The contract between the sync app and an adapter. Adapters implement it; the sync app plans and
 * applies through it. A plan holds the literal vendor requests (reviewable, free of secrets).
 */

/** One request an apply will send, exactly as planned. */
export interface VendorRequest {
  method: "POST" | "PUT" | "DELETE";
  /** Relative to the environment's API root, e.g. `/workflows/codename/approval`. */
  path: string;
  body?: unknown;
  /** A human line: "create workflow approval". */
  description: string;
  /**
   * What the request replaces, as the plan read it (a role written whole): the adapter re-reads it
   * right before sending and refuses the write when it changed since.
   */
  before?: unknown;
}

/** What an adapter read from an environment. */
export interface EnvironmentSnapshot {
  vendor: Vendor;
  /** Every workflow in neutral form (system ones included, flagged in extensions). */
  workflows: Workflow[];
  /** Losses met while reading (vendor data the neutral model could not hold). */
  losses: Loss[];
  /** Names the environment knows, for checks and mapping reports. */
  roles: string[];
  contentTypes: string[];
  collections: string[];
  /** Keys of workflows the vendor does not let anyone write (Contensis system definitions). */
  readOnly: string[];
  /** The vendor's raw answers, for backups. Holds no secret. */
  native: unknown;
}

export interface WorkflowEnvironment {
  readonly vendor: Vendor;
  /** A label for messages, never a secret (e.g. the environment id). */
  readonly label: string;
  read(): Promise<EnvironmentSnapshot>;
  /**
   * The neutral workflow this environment would hold after `desired` is written to it, with the
   * losses on the way (what a read-back would give). Plans compare it with what is there, so a
   * cross-vendor sync converges: a second run finds nothing to change. Pure.
   */
  project(desired: Workflow, snapshot: EnvironmentSnapshot): MappingResult<Workflow>;
  /** The requests that create `desired` in the environment of `snapshot`. Pure. */
  planCreate(desired: Workflow, snapshot: EnvironmentSnapshot): MappingResult<VendorRequest[]>;
  /** The requests that turn `current` into `desired`. Pure. */
  planUpdate(
    desired: Workflow,
    current: Workflow,
    snapshot: EnvironmentSnapshot,
  ): MappingResult<VendorRequest[]>;
  /**
   * Optional: refuse, before anything is written, planned requests that the vendor would refuse
   * half-way through an apply because of what the environment holds besides workflows (e.g.
   * removing a step that content is in). May read the environment, at most once per call; sends no
   * write. Throws a typed error naming what is in the way and what to do; resolves when all can go.
   */
  preflight?(requests: readonly VendorRequest[], snapshot: EnvironmentSnapshot): Promise<void>;
  /** The requests that delete `current`; throws a clear error when it cannot be deleted. Pure. */
  planDelete(current: Workflow, snapshot: EnvironmentSnapshot): VendorRequest[];
  /**
   * Requests outside the definitions that the workflows of one plan need, planned once for all of
   * them (Contensis: the permissions on roles). `notes` are differences reported but not written
   * (the environment was told not to write them): not losses. Pure. Optional.
   */
  planPermissions?(
    desired: readonly Workflow[],
    snapshot: EnvironmentSnapshot,
  ): MappingResult<VendorRequest[]> & { notes: Loss[] };
  /**
   * Send one planned request, paced and retried. A create (POST) is never blindly retried: after an
   * unclear failure the adapter re-reads and treats a create that landed as done.
   */
  execute(request: VendorRequest): Promise<void>;
  /**
   * From now on, each write checks right before it is sent that the workflow it replaces is still
   * as in `snapshot` (or as this environment's own last write left it), and throws a
   * `StaleWriteError` instead of sending it otherwise. A write whose outcome stays unknown stops
   * further writes to that workflow (`UnknownWriteOutcomeError`). Call it with the snapshot the
   * plan was checked against, before the first `execute`.
   */
  guardWrites?(snapshot: EnvironmentSnapshot): void;
  /** Counters for progress lines and benchmarks. */
  stats(): { requests: number; throttled: number; retries: number; waitedMs: number };
}
