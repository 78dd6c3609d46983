import type { Loss, MappingResult } from "./mapping.ts";
import type { Vendor, Workflow } from "./model.ts";

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
   * (the environment was told not to write them): not losses. `narrowing`: requests that only take
   * permissions away, sent before any definition is written (so that no moment of an apply allows
   * more than both the target before and the source). Pure. Optional.
   */
  planPermissions?(
    desired: readonly Workflow[],
    snapshot: EnvironmentSnapshot,
  ): MappingResult<VendorRequest[]> & { notes: Loss[]; narrowing?: VendorRequest[] };
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
  /**
   * Optional: fire a transition on one piece of content (a Kontent.ai language variant, a Contensis
   * entry), checked against the workflow first. A write: callers pass it through their write gate.
   */
  invokeTransition?(request: TransitionRequest): Promise<TransitionOutcome>;
  /** Counters for progress lines and benchmarks. */
  stats(): { requests: number; throttled: number; retries: number; waitedMs: number };
}

/** Fire `transition` on the content `item` in `language`. */
export interface TransitionRequest {
  /** The content, as the user typed it (an id, a codename or an external id; the adapter parses it). */
  item: string;
  /** The language, as the user typed it (a codename or an id). */
  language: string;
  /** The neutral transition key (Kontent.ai: the target step's codename or `unpublish`; Contensis: the event, `state.event` or bare). */
  transition: string;
  /** Values for the transition's parameters. */
  data: Record<string, string>;
  /** The roles of whoever invokes it; absent: every role the environment knows (structure checked, not permissions). */
  roles?: string[];
}

/** Where the content was and where the transition left it. */
export interface TransitionOutcome {
  from: string;
  to: string;
  transition: string;
}
