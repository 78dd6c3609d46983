import { WorkflowSyncError } from "./errors.ts";
import type { Path } from "./issues.ts";
import type { Vendor } from "./model.ts";

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
