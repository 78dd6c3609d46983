import {
  type EnvironmentSnapshot,
  type MappingResult,
  type VendorRequest,
  type Workflow,
  type WorkflowEnvironment,
  WorkflowSyncError,
} from "@workflow-sync/core";
import type { HttpEvent } from "@workflow-sync/http";
import type { ContensisEnvironmentConfig, KontentEnvironmentConfig } from "../config.ts";
import type { Context } from "../context.ts";
import { CliError, RefusedError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import type { Environment, Snapshot } from "./types.ts";

/** A vendor adapter's environment with the name and protection the config gives it. */
class ConfiguredEnvironment implements Environment {
  readonly name: string;
  readonly vendor: WorkflowEnvironment["vendor"];
  readonly protected: boolean;
  readonly label: string;
  readonly inner: WorkflowEnvironment;

  readonly planPermissions?: Environment["planPermissions"];
  readonly planPermissionsRestore?: Environment["planPermissionsRestore"];

  constructor(name: string, isProtected: boolean, inner: WorkflowEnvironment) {
    this.name = name;
    this.protected = isProtected;
    this.inner = inner;
    this.vendor = inner.vendor;
    this.label = inner.label;
    if (inner.planPermissions) {
      this.planPermissions = (desired, snapshot) =>
        inner.planPermissions!(desired, snapshot as EnvironmentSnapshot);
    }
    const restore = (inner as Pick<Environment, "planPermissionsRestore">).planPermissionsRestore;
    if (restore) {
      this.planPermissionsRestore = (native, snapshot) => restore.call(inner, native, snapshot);
    }
  }

  async read(): Promise<Snapshot> {
    try {
      return await this.inner.read();
    } catch (error) {
      throw inEnvironment(this.name, error);
    }
  }
  project(desired: Workflow, snapshot: Snapshot): MappingResult<Workflow> {
    return this.inner.project(desired, snapshot as EnvironmentSnapshot);
  }
  planCreate(desired: Workflow, snapshot: Snapshot): MappingResult<VendorRequest[]> {
    return this.inner.planCreate(desired, snapshot as EnvironmentSnapshot);
  }
  planUpdate(desired: Workflow, current: Workflow, snapshot: Snapshot): MappingResult<VendorRequest[]> {
    return this.inner.planUpdate(desired, current, snapshot as EnvironmentSnapshot);
  }
  planDelete(current: Workflow, snapshot: Snapshot): VendorRequest[] {
    return this.inner.planDelete(current, snapshot as EnvironmentSnapshot);
  }
  incomplete(current: Workflow, snapshot: Snapshot): boolean {
    const inner = this.inner as WorkflowEnvironment & Pick<Environment, "incomplete">;
    return inner.incomplete?.(current, snapshot) ?? false;
  }
  async execute(request: VendorRequest): Promise<void> {
    try {
      await this.inner.execute(request);
    } catch (error) {
      // A role that changed since the plan read it: refused like a stale plan (exit 4).
      if (error instanceof WorkflowSyncError && error.code === "stale_role") {
        throw new RefusedError("stale_role", `${this.name}: ${error.message}`, {
          details: { roleId: (error as WorkflowSyncError & { roleId?: string }).roleId },
          suggestions: ["make a new plan: workflow-sync plan <from> <to> --out plan.json"],
        });
      }
      throw error;
    }
  }
  stats() {
    return this.inner.stats();
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

export async function openKontent(
  ctx: Context,
  name: string,
  config: KontentEnvironmentConfig,
  apiKey: string,
): Promise<Environment> {
  const { KontentEnvironment } = await import("@workflow-sync/adapter-kontent");
  const onEvent = verboseEvents(ctx, name);
  const inner = new KontentEnvironment({
    environmentId: config.environmentId,
    apiKey,
    // A workflow that content is in is refused before its DELETE is sent (the adapter lists the
    // variants first; this costs requests only when a delete runs).
    checkVariantsBeforeDelete: true,
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    ...(config.rateLimit ? { rateLimit: config.rateLimit } : {}),
    ...(config.locale ? { locale: config.locale } : {}),
    ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
    ...(onEvent ? { onEvent } : {}),
  });
  return new ConfiguredEnvironment(name, config.protected, inner);
}

export async function openContensis(
  ctx: Context,
  name: string,
  config: ContensisEnvironmentConfig,
  secrets: { clientId: string; clientSecret: string },
): Promise<Environment> {
  const adapter = await import("@workflow-sync/adapter-contensis");
  const onEvent = verboseEvents(ctx, name);
  const inner = new adapter.ContensisEnvironment({
    rootUrl: config.rootUrl,
    projectId: config.projectId,
    clientId: secrets.clientId,
    clientSecret: secrets.clientSecret,
    roleGrants: config.roleGrants,
    ...(config.rateLimit ? { rateLimit: config.rateLimit } : {}),
    ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
    ...(onEvent ? { onEvent } : {}),
  });
  return new ConfiguredEnvironment(name, config.protected, inner);
}

export interface TransitionRequest {
  item: string;
  language: string;
  /** The transition (Kontent.ai: the neutral key, e.g. the target step's codename or "unpublish"; Contensis: the event, `state.event` or bare). */
  event: string;
  data: Record<string, string>;
  /** The roles of whoever invokes it; undefined: every role the environment knows (structure checked, not permissions). */
  roles: string[] | undefined;
}

export interface TransitionOutcome {
  from: string;
  to: string;
  event: string;
}

/** Invoke a workflow transition on a Kontent.ai language variant or a Contensis entry, checked locally first. */
export async function invokeTransitionIn(
  environment: Environment,
  request: TransitionRequest,
): Promise<TransitionOutcome> {
  const inner = (environment as ConfiguredEnvironment).inner as unknown;
  if (environment.vendor === "kontent") {
    const adapter = await import("@workflow-sync/adapter-kontent");
    const kontent = inner as InstanceType<typeof adapter.KontentEnvironment>;
    const result = await kontent.invokeTransition({
      item: adapter.referenceFromText(request.item),
      language: adapter.languageFromText(request.language),
      transition: request.event,
      ...(request.roles ? { actor: { roles: request.roles } } : {}),
      data: request.data,
    });
    return { from: result.from, to: result.to, event: result.transition.key };
  }
  if (environment.vendor === "contensis") {
    const adapter = await import("@workflow-sync/adapter-contensis");
    const contensis = inner as InstanceType<typeof adapter.ContensisEnvironment>;
    const entry = await adapter.getEntry(contensis.client, request.item, request.language);
    const from = entry.sys.workflow?.state ?? "(unknown)";
    const updated = await adapter.invokeWorkflowByTrigger(contensis.client, entry, {
      event: request.event,
      language: request.language,
      ...(Object.keys(request.data).length ? { data: request.data } : {}),
    });
    return { from, to: updated.sys.workflow?.state ?? "(unknown)", event: request.event };
  }
  throw new Error(`${environment.name} is a folder of files: transitions are invoked on content in a CMS`);
}
