import type {
  EnvironmentSnapshot,
  MappingResult,
  VendorRequest,
  Workflow,
  WorkflowEnvironment,
} from "@workflow-sync/core";
import type { HttpEvent } from "@workflow-sync/http";
import type { ContensisEnvironmentConfig, KontentEnvironmentConfig } from "../config.ts";
import type { Context } from "../context.ts";
import type { Environment, Snapshot } from "./types.ts";

/** A vendor adapter's environment with the name and protection the config gives it. */
class ConfiguredEnvironment implements Environment {
  readonly name: string;
  readonly vendor: WorkflowEnvironment["vendor"];
  readonly protected: boolean;
  readonly label: string;
  readonly inner: WorkflowEnvironment;

  constructor(name: string, isProtected: boolean, inner: WorkflowEnvironment) {
    this.name = name;
    this.protected = isProtected;
    this.inner = inner;
    this.vendor = inner.vendor;
    this.label = inner.label;
  }

  read(): Promise<Snapshot> {
    return this.inner.read();
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
  execute(request: VendorRequest): Promise<void> {
    return this.inner.execute(request);
  }
  stats() {
    return this.inner.stats();
  }
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
    ...(config.rateLimit ? { rateLimit: config.rateLimit } : {}),
    ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
    ...(onEvent ? { onEvent } : {}),
  });
  return new ConfiguredEnvironment(name, config.protected, inner);
}
