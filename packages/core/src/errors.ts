/** The base of every error workflow-sync throws on purpose: a stable `code` and a clear message. */
export class WorkflowSyncError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * A write was not sent because the workflow it would replace is no longer what the plan saw
 * (changed, created or deleted by someone else since: another writer, a person's edit). Nothing was
 * overwritten; the sync app refuses with exit 4 and asks for a new plan. Adapters may give a more
 * precise stable `code` (for example a content type whose workflow changed).
 */
export class StaleWriteError extends WorkflowSyncError {
  /** The workflow's key in the environment written to. */
  readonly workflow: string;
  constructor(workflow: string, message: string, options?: ErrorOptions & { code?: string }) {
    super(options?.code ?? "stale_write", message, options);
    this.workflow = workflow;
  }
}

/**
 * A write got no clear answer and a re-read could not tell whether it landed: nothing more is sent
 * to that workflow, because a late landing could overtake a later write.
 */
export class UnknownWriteOutcomeError extends WorkflowSyncError {
  readonly workflow: string;
  constructor(workflow: string, message: string, options?: ErrorOptions) {
    super("write_outcome_unknown", message, options);
    this.workflow = workflow;
  }
}
