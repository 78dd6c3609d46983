import { UnresolvedReferencesError, WorkflowSyncError } from "@workflow-sync/core";
import type { RefKind } from "./mapping/context.ts";

/** A vendor answer that does not have the documented shape: names the request and the fields. */
export class KontentResponseError extends WorkflowSyncError {
  declare readonly code: "kontent_response";
  /** `METHOD /path` of the request (relative to the environment). */
  readonly request: string;
  /** One line per field that does not fit: `path: problem`. */
  readonly problems: string[];
  constructor(request: string, problems: readonly string[], more = "") {
    super("kontent_response", `${request}: ${problems.join("; ")}${more}`);
    this.request = request;
    this.problems = [...problems];
  }
}

export interface KontentApiErrorDetails {
  status: number;
  /** `METHOD /path`, relative to the environment; never a key. */
  request: string;
  /** The vendor's `request_id` (also given as a header by some gateways). */
  requestId?: string | undefined;
  /** The vendor's `error_code` (e.g. 5: invalid body, 16: forbidden, 10000: rate limit). */
  errorCode?: number | undefined;
  /** The vendor's message. */
  vendorMessage: string;
  /** The `message` of each entry of `validation_errors`, in order. */
  validationErrors: string[];
}

/**
 * The API refused a request. Carries the status, the vendor's request id, error code and every
 * validation message; the API key never appears (the request is described by method and path).
 */
export class KontentApiError extends WorkflowSyncError {
  readonly status: number;
  readonly request: string;
  readonly requestId: string | undefined;
  readonly errorCode: number | undefined;
  readonly vendorMessage: string;
  readonly validationErrors: string[];
  constructor(details: KontentApiErrorDetails, options?: ErrorOptions & { code?: string; hint?: string }) {
    const validation =
      details.validationErrors.length > 0 ? ` Validation errors: ${details.validationErrors.join("; ")}` : "";
    const ids = [
      details.errorCode === undefined ? undefined : `error code ${details.errorCode}`,
      details.requestId ? `request id ${details.requestId}` : undefined,
    ].filter((part) => part !== undefined);
    super(
      options?.code ?? "kontent_api",
      `Kontent.ai refused ${details.request} (HTTP ${details.status}${ids.length ? `, ${ids.join(", ")}` : ""}): ` +
        `${details.vendorMessage}${validation}${options?.hint ? ` (${options.hint})` : ""}`,
      options,
    );
    this.status = details.status;
    this.request = details.request;
    this.requestId = details.requestId;
    this.errorCode = details.errorCode;
    this.vendorMessage = details.vendorMessage;
    this.validationErrors = [...details.validationErrors];
  }
}

/** A workflow that cannot be deleted: the default workflow, or one that content still uses. */
export class KontentDeleteRefusedError extends WorkflowSyncError {
  readonly workflow: string;
  readonly reason: "default_workflow" | "in_use";
  constructor(
    workflow: string,
    reason: KontentDeleteRefusedError["reason"],
    detail: string,
    options?: ErrorOptions,
  ) {
    super(
      reason === "default_workflow" ? "default_workflow" : "workflow_in_use",
      reason === "default_workflow"
        ? `workflow "${workflow}" is the default workflow of the environment; Kontent.ai never deletes it (${detail})`
        : `workflow "${workflow}" is in use: ${detail}`,
      options,
    );
    this.workflow = workflow;
    this.reason = reason;
  }
}

/** The neutral workflow cannot be written to Kontent.ai at all (not a loss: there is no sensible result). */
export class KontentMappingError extends WorkflowSyncError {
  constructor(message: string) {
    super("kontent_mapping", message);
  }
}

/** A language variant is not in the workflow a transition was asked of, or not in a known step. */
export class KontentVariantStateError extends WorkflowSyncError {
  constructor(message: string) {
    super("variant_state", message);
  }
}

/** A workflow step that a plan removes while language variants are in it. */
export interface StepInUse {
  workflow: string;
  step: string;
  stepName: string;
  /** Language variants in the step. */
  variants: number;
  /** Content items they belong to. */
  items: number;
  /** A few of them (ids), to find them in the UI. */
  examples: Array<{ item: string; language: string }>;
}

/**
 * The plan removes workflow steps that content is in. Kontent.ai refuses to remove a used step
 * ("You can't remove a used workflow step"), so the apply would stop half-way: refused before
 * anything is written, naming each step, how much content is in it and what to do.
 */
export class KontentStepInUseError extends WorkflowSyncError {
  readonly steps: StepInUse[];
  constructor(steps: readonly StepInUse[]) {
    const lines = steps.map(
      (step) =>
        `workflow "${step.workflow}", step "${step.step}" (${step.stepName}): ${step.items} content item${step.items === 1 ? "" : "s"} in it (${step.variants} language variant${step.variants === 1 ? "" : "s"}, e.g. ${step.examples.map((example) => `item ${example.item} language ${example.language}`).join(", ")})`,
    );
    super(
      "workflow_step_in_use",
      `this plan removes ${steps.length === 1 ? "a workflow step" : "workflow steps"} that content is in, which Kontent.ai refuses; nothing was written:\n  ${lines.join("\n  ")}\nMove those items to another step of the workflow first (in the Kontent.ai UI, or with the change-workflow endpoint), then plan again; or keep the step in the source.`,
    );
    this.steps = steps.map((step) => ({ ...step, examples: [...step.examples] }));
  }
}

/** Role names that cannot be resolved because the environment's roles cannot be listed. */
export class KontentRolesUnavailableError extends WorkflowSyncError {
  readonly names: string[];
  constructor(names: readonly string[], where: string, reason: string) {
    const sorted = [...new Set(names)].sort();
    super(
      "roles_unavailable",
      `${where}: role names ${sorted.map((name) => `"${name}"`).join(", ")} cannot be resolved: ${reason}. ` +
        `Options: give the API key the "Manage custom roles" permission (https://kontent.ai/learn/docs/apis/management-api-v2/roles), ` +
        `or map each name to the role's id with --map (roles: { "${sorted[0]}": "id:<role id>" }). ` +
        "A sync between environments whose role ids are equal needs no names (ids are kept as id:<uuid>).",
    );
    this.names = sorted;
  }
}

/**
 * `UnresolvedReferencesError` for every kind at once: `kind`/`names` are the first kind that has
 * unresolved names (roles first), `all` lists every kind, and so does the message.
 */
export class KontentUnresolvedReferencesError extends UnresolvedReferencesError {
  readonly all: Partial<Record<RefKind, string[]>>;
  constructor(all: Partial<Record<RefKind, readonly string[]>>, where: string) {
    const kinds = (["role", "contentType", "collection", "state"] as const).filter(
      (kind) => (all[kind]?.length ?? 0) > 0,
    );
    const first = kinds[0] ?? "role";
    super(first, all[first] ?? [], where);
    const sorted: Partial<Record<RefKind, string[]>> = {};
    for (const kind of kinds) sorted[kind] = [...new Set(all[kind])].sort();
    this.all = sorted;
    if (kinds.length > 1) {
      this.message = kinds
        .map((kind) => {
          const names = sorted[kind] ?? [];
          return `${names.length} ${kind} name${names.length === 1 ? "" : "s"} not found in ${where}: ${names.join(", ")}`;
        })
        .join("; ");
    }
  }
}
