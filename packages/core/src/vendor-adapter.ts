import type { EnvironmentSnapshot, VendorRequest, WorkflowEnvironment } from "./environment.ts";
import type { Issue } from "./issues.ts";
import type { Loss, MappingResult } from "./mapping.ts";
import type { Vendor, Workflow } from "./model.ts";
import type { VendorProfile } from "./profile.ts";

/*
 * What an application (the sync CLI) needs from a vendor adapter, as one object per vendor: its
 * rules, its own workflow documents read and written offline, its environments opened, and the
 * renames of `--map` applied to what its extensions hold. Each adapter exports one (`kontentVendor`,
 * `contensisVendor`), so that an application holds no vendor-format code and no `if vendor` branch.
 */

/** How a document of the vendor's own format is read. */
export interface ReadDocumentOptions {
  /** For messages: the file (and index) read. */
  what: string;
  /** The locale that plain-string names are read as. */
  locale?: string;
}

/**
 * One vendor document read offline: a neutral workflow with the losses on the way, or the vendor's
 * rules the document breaks (each issue's `path` points inside the document; nothing is mapped).
 */
export type DocumentReading = { ok: true; value: Workflow; losses: Loss[] } | { ok: false; issues: Issue[] };

/** How a neutral workflow is written as the vendor's document. */
export interface WriteDocumentOptions {
  /** The locale that plain-string names are written from. */
  locale?: string;
}

/** Renames of `--map` (source name → target name) that a vendor's extensions may refer to. */
export interface ReferenceRenames {
  roles?: Readonly<Record<string, string>>;
  contentTypes?: Readonly<Record<string, string>>;
}

/**
 * A vendor's environment as an adapter opens it: core's `WorkflowEnvironment` and the optional
 * extras an application may plan with.
 */
export interface VendorEnvironment extends WorkflowEnvironment {
  /** Set-level checks before anything is planned (e.g. one workflow per content type); throws. */
  checkSet?(desired: readonly Workflow[], snapshot: EnvironmentSnapshot): void;
  /** Whether `current` was written but is not in effect yet, so that an update finishes it. */
  incomplete?(current: Workflow, snapshot: EnvironmentSnapshot): boolean;
  /** Restore: the writes that put the permissions back as a backup's `native` holds them. */
  planPermissionsRestore?(backupNative: unknown, snapshot: EnvironmentSnapshot): VendorRequest[];
}

/** An opened environment and how many writes its pacer lets run at once. */
export interface OpenedEnvironment {
  environment: VendorEnvironment;
  writeConcurrency: number;
}

/** One vendor, as an application uses it. `Options`: how the adapter's environment is opened. */
export interface VendorAdapter<Options> {
  readonly vendor: Vendor;
  /** The vendor's documented limits, palettes and portability checks. */
  readonly profile: VendorProfile;
  /** Whether `document` is one workflow in the vendor's own file format (by shape). */
  recognises(document: unknown): boolean;
  /**
   * One document of the vendor's format as a neutral workflow, offline (names stand for ids, and
   * that is a loss). Throws the adapter's error when the document is malformed.
   */
  readDocument(document: unknown, options: ReadDocumentOptions): DocumentReading;
  /** A neutral workflow as the vendor's document, offline (what `convert` prints). Pure. */
  writeDocument(workflow: Workflow, options: WriteDocumentOptions): MappingResult<unknown>;
  /** An environment of the vendor (nothing is read until it is asked to). */
  openEnvironment(options: Options): OpenedEnvironment;
  /** `workflow` with the role and content type references its vendor extensions hold renamed. Pure. */
  renameReferences(workflow: Workflow, renames: ReferenceRenames): Workflow;
}
