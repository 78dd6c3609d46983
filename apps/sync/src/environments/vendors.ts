import type {
  EnvironmentSnapshot,
  MappingResult,
  OpenedEnvironment,
  TransitionOutcome,
  TransitionRequest,
  VendorEnvironment,
  VendorRequest,
  Workflow,
} from "@workflow-sync/core";
import type { HttpEvent } from "@workflow-sync/http";
import { readSecret } from "../config.ts";
import type { Context } from "../context.ts";
import { CliError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { openVendorEnvironment, type VendorEnvironmentConfig } from "../vendors.ts";
import type { WriteGate } from "../write-gate.ts";
import type { Environment, Snapshot } from "./types.ts";

/** A vendor adapter's environment with the name and protection the config gives it. */
class ConfiguredEnvironment implements Environment {
  readonly name: string;
  readonly vendor: VendorEnvironment["vendor"];
  readonly protected: boolean;
  readonly label: string;
  /** Private: reads go through the methods below, writes through writable() (the write gate). */
  readonly #inner: VendorEnvironment;
  readonly #gate: WriteGate;
  readonly writeConcurrency: number;

  readonly planPermissions?: Environment["planPermissions"];
  readonly planPermissionsRestore?: Environment["planPermissionsRestore"];

  constructor(name: string, isProtected: boolean, opened: OpenedEnvironment, gate: WriteGate) {
    const inner = opened.environment;
    this.name = name;
    this.protected = isProtected;
    this.#inner = inner;
    this.vendor = inner.vendor;
    this.label = inner.label;
    this.#gate = gate;
    this.writeConcurrency = opened.writeConcurrency;
    if (inner.planPermissions) {
      this.planPermissions = (desired, snapshot) =>
        inner.planPermissions!(desired, snapshot as EnvironmentSnapshot);
    }
    if (inner.planPermissionsRestore) {
      this.planPermissionsRestore = (native, snapshot) =>
        inner.planPermissionsRestore!(native, snapshot as EnvironmentSnapshot);
    }
  }

  /** The adapter's environment for a write: only once the write gate approved this environment. */
  writable(): VendorEnvironment {
    this.#gate.assertApproved(this);
    return this.#inner;
  }

  async read(): Promise<Snapshot> {
    try {
      return await this.#inner.read();
    } catch (error) {
      throw inEnvironment(this.name, error);
    }
  }
  project(desired: Workflow, snapshot: Snapshot): MappingResult<Workflow> {
    return this.#inner.project(desired, snapshot as EnvironmentSnapshot);
  }
  planCreate(desired: Workflow, snapshot: Snapshot): MappingResult<VendorRequest[]> {
    return this.#inner.planCreate(desired, snapshot as EnvironmentSnapshot);
  }
  planUpdate(desired: Workflow, current: Workflow, snapshot: Snapshot): MappingResult<VendorRequest[]> {
    return this.#inner.planUpdate(desired, current, snapshot as EnvironmentSnapshot);
  }
  planDelete(current: Workflow, snapshot: Snapshot): VendorRequest[] {
    return this.#inner.planDelete(current, snapshot as EnvironmentSnapshot);
  }
  checkSet(desired: readonly Workflow[], snapshot: Snapshot): void {
    this.#inner.checkSet?.(desired, snapshot as EnvironmentSnapshot);
  }
  incomplete(current: Workflow, snapshot: Snapshot): boolean {
    return this.#inner.incomplete?.(current, snapshot as EnvironmentSnapshot) ?? false;
  }
  async preflight(requests: readonly VendorRequest[], snapshot: Snapshot): Promise<void> {
    try {
      await this.#inner.preflight?.(requests, snapshot as EnvironmentSnapshot);
    } catch (error) {
      throw inEnvironment(this.name, error);
    }
  }
  async execute(request: VendorRequest): Promise<void> {
    return this.writable().execute(request);
  }
  guardWrites(snapshot: Snapshot): void {
    this.#inner.guardWrites?.(snapshot as EnvironmentSnapshot);
  }
  stats() {
    return this.#inner.stats();
  }
}

/**
 * A read error names the environment (several are read side by side, and a vendor's answer that
 * drifts from its schema says only which request it was); it keeps its code, status and request id.
 */
function inEnvironment(name: string, error: unknown): unknown {
  if (!(error instanceof Error) || error.message.startsWith(`${name}: `)) return error;
  const coded = error as Error & { code?: unknown; status?: unknown; requestId?: unknown };
  return new CliError(
    typeof coded.code === "string" ? coded.code : "read_failed",
    `${name}: ${error.message}`,
    {
      cause: error,
      exitCode: error instanceof CliError ? error.exitCode : ExitCode.error,
      details: {
        environment: name,
        ...(typeof coded.status === "number" ? { status: coded.status } : {}),
        ...(typeof coded.requestId === "string" ? { requestId: coded.requestId } : {}),
      },
    },
  );
}

/** --verbose: one line per request, retry and rate-limit wait (requests come redacted from the http package). */
function verboseEvents(ctx: Context, name: string): ((event: HttpEvent) => void) | undefined {
  if (!ctx.verbose) return undefined;
  return (event) => {
    const where = `${event.request.method} ${event.request.url}`;
    if (event.type === "response")
      ctx.debug(`${name}: ${where} → ${event.status} (${Math.round(event.durationMs)} ms)`);
    else if (event.type === "retry")
      ctx.debug(`${name}: ${where}: retry in ${event.waitMs} ms (${event.reason}: ${event.message})`);
    else if (event.type === "throttled") ctx.debug(`${name}: ${where}: 429, waiting ${event.waitMs} ms`);
  };
}

/** A vendor's environment of the config, named and protected as the config says. */
export async function openConfigured(
  ctx: Context,
  name: string,
  config: VendorEnvironmentConfig,
  secrets: Partial<Record<string, string>> = {},
): Promise<Environment> {
  const opened = await openVendorEnvironment(config, {
    secret(ref, field, confidential) {
      // Secrets given by the caller (tests that drive one environment) are the caller's to register.
      const given = secrets[field];
      if (given !== undefined) return given;
      const value = readSecret(ref, ctx.io.env, `environment ${name} (${field})`);
      if (confidential) ctx.registerSecret(value);
      return value;
    },
    locale: ctx.locale,
    onEvent: verboseEvents(ctx, name),
  });
  return new ConfiguredEnvironment(name, config.protected, opened, ctx.gate);
}

/** Invoke a workflow transition on content of a configured environment, through its write gate. */
export async function invokeTransitionIn(
  environment: Environment,
  request: TransitionRequest,
): Promise<TransitionOutcome> {
  const inner = environment instanceof ConfiguredEnvironment ? environment.writable() : undefined;
  if (!inner?.invokeTransition) {
    throw new Error(`${environment.name} is a folder of files: transitions are invoked on content in a CMS`);
  }
  // A transition writes (it can unpublish live content): `writable()` passed the write gate.
  return inner.invokeTransition(request);
}
