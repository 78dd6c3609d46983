import type {
  EnvironmentSnapshot,
  Loss,
  MappingResult,
  Vendor,
  VendorRequest,
  Workflow,
} from "@workflow-sync/core";

export type EnvironmentVendor = Vendor | "files";

/** What was read from an environment (a vendor's, or a folder of files). */
export interface Snapshot extends Omit<EnvironmentSnapshot, "vendor"> {
  vendor: EnvironmentVendor;
}

/**
 * An environment the sync app plans and applies against: a vendor adapter's WorkflowEnvironment
 * (core's environment.ts, opened through its VendorAdapter), or a folder of workflow files.
 */
export interface Environment {
  readonly name: string;
  readonly vendor: EnvironmentVendor;
  readonly protected: boolean;
  /** Never a secret: the environment id, project id or folder. */
  readonly label: string;
  /**
   * Operations of an apply in flight at once (default 1). Each operation's requests still go one after
   * another; the http package's Pacer bounds the requests themselves and keeps them under the rate limits.
   */
  readonly writeConcurrency?: number;
  read(): Promise<Snapshot>;
  /** What the environment would hold after `desired` is written (a read-back), with the losses. */
  project(desired: Workflow, snapshot: Snapshot): MappingResult<Workflow>;
  planCreate(desired: Workflow, snapshot: Snapshot): MappingResult<VendorRequest[]>;
  planUpdate(desired: Workflow, current: Workflow, snapshot: Snapshot): MappingResult<VendorRequest[]>;
  planDelete(current: Workflow, snapshot: Snapshot): VendorRequest[];
  /** Writes outside the definitions that the plan's workflows need (Contensis: role permissions). */
  planPermissions?:
    | ((
        desired: readonly Workflow[],
        snapshot: Snapshot,
      ) => MappingResult<VendorRequest[]> & { notes: Loss[]; narrowing?: VendorRequest[] })
    | undefined;
  /** Restore: the writes that put those permissions back as a backup's `native` holds them. */
  planPermissionsRestore?: ((backupNative: unknown, snapshot: Snapshot) => VendorRequest[]) | undefined;
  /**
   * Whether `current` was written but is not in effect yet (Contensis: its latest version is not
   * published), so that `planUpdate` finishes it even when there is nothing else to change.
   */
  incomplete?(current: Workflow, snapshot: Snapshot): boolean;
  /**
   * Refuse, before anything is written, planned requests the vendor would refuse half-way (e.g.
   * removing a Kontent.ai step that content is in); may read the environment once. See core's
   * `WorkflowEnvironment.preflight`.
   */
  preflight?(requests: readonly VendorRequest[], snapshot: Snapshot): Promise<void>;
  /** Set-level checks before anything is planned (Contensis: one workflow per content type); throws. */
  checkSet?(desired: readonly Workflow[], snapshot: Snapshot): void;
  execute(request: VendorRequest): Promise<void>;
  /** See core's `WorkflowEnvironment.guardWrites`: each later write checks what it replaces against `snapshot`. */
  guardWrites?(snapshot: Snapshot): void;
  stats(): { requests: number; throttled: number; retries: number; waitedMs: number };
}
