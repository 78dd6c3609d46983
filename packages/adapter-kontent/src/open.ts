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
import { requestsWritten } from "@workflow-sync/http";
import { createKontentClient, type KontentClient, type KontentClientOptions } from "./client.ts";
import type {
  KontentEnvironment,
  KontentEnvironmentOptions,
  KontentEnvironmentSnapshot,
} from "./environment.ts";
import { readKontent } from "./read.ts";

/*
 * The light entry (`@workflow-sync/adapter-kontent/open`): opening an environment and sending its
 * reads need neither zod nor the mapping. This module's static imports (client.ts, read.ts and the
 * HTTP package) evaluate no zod; `KontentEnvironment` (environment.ts, with the mapping and the
 * schemas) comes through a dynamic import started with the first read, so it loads while the
 * answers travel. A CLI run sends its first requests sooner (docs/performance.md, "Start-up").
 * Everything but the start of a read is `KontentEnvironment`'s own code: one behaviour.
 */

/**
 * A Kontent.ai environment (core's `VendorEnvironment`) that sends its first read before its
 * implementation (`KontentEnvironment`, options as for it) is loaded; `writeConcurrency` is its
 * client's. `kontentVendor.openEnvironment` is this function.
 */
export function openKontentEnvironment(options: KontentEnvironmentOptions): OpenedEnvironment {
  const environment = new OpenedKontentEnvironment(options);
  return { environment, writeConcurrency: environment.client.pacer.writeConcurrency };
}

/** A planning method was called before the environment's implementation was loaded (see `read`). */
export class KontentEnvironmentNotLoadedError extends Error {
  readonly code = "environment_not_loaded";
  constructor(label: string, method: string) {
    super(
      `${label}: ${method}() was called before read(): an environment opened with openKontentEnvironment loads its planning code with its first read (or \`await environment.implementation()\`)`,
    );
    this.name = "KontentEnvironmentNotLoadedError";
  }
}

/**
 * `KontentEnvironment` behind a first read that needs only the client. Its client (pacer, budget and
 * counts) is the one the implementation uses. The planning methods are synchronous: they need the
 * implementation loaded, which a read of this environment does (their snapshot comes from one).
 */
export class OpenedKontentEnvironment implements VendorEnvironment {
  readonly vendor = "kontent" as const;
  readonly label: string;
  readonly client: KontentClient;
  readonly #options: KontentEnvironmentOptions;
  #implementation: KontentEnvironment | undefined;
  #loading: Promise<KontentEnvironment> | undefined;

  constructor(options: KontentEnvironmentOptions) {
    this.client = options.client ?? createKontentClient(options as KontentClientOptions);
    this.label = options.label ?? `Kontent.ai environment ${this.client.environmentId}`;
    this.#options = options;
  }

  /** `KontentEnvironment` over the same client, loaded on first use (once). */
  implementation(): Promise<KontentEnvironment> {
    this.#loading ??= import("./environment.ts").then(({ KontentEnvironment }) => {
      this.#implementation = new KontentEnvironment({
        ...this.#options,
        client: this.client,
        label: this.label,
      });
      return this.#implementation;
    });
    return this.#loading;
  }

  /** The requests go out first; the implementation loads meanwhile and maps the answers. */
  async read(): Promise<KontentEnvironmentSnapshot> {
    if (this.#implementation) return this.#implementation.read();
    const reading = readKontent(this.client);
    reading.catch(() => {}); // awaited below, after the wait: a failure meanwhile is not unhandled
    // import() reads and compiles before it returns: it starts once the reads are on their way.
    await requestsWritten();
    const [implementation] = await Promise.all([this.implementation(), reading]);
    return implementation.readFrom(reading);
  }

  project(desired: Workflow, snapshot: EnvironmentSnapshot): MappingResult<Workflow> {
    return this.#loaded("project").project(desired, snapshot);
  }

  planCreate(desired: Workflow, snapshot: EnvironmentSnapshot): MappingResult<VendorRequest[]> {
    return this.#loaded("planCreate").planCreate(desired, snapshot);
  }

  planUpdate(
    desired: Workflow,
    current: Workflow,
    snapshot: EnvironmentSnapshot,
  ): MappingResult<VendorRequest[]> {
    return this.#loaded("planUpdate").planUpdate(desired, current, snapshot);
  }

  planDelete(current: Workflow, snapshot: EnvironmentSnapshot): VendorRequest[] {
    return this.#loaded("planDelete").planDelete(current, snapshot);
  }

  guardWrites(snapshot: EnvironmentSnapshot): void {
    this.#loaded("guardWrites").guardWrites(snapshot);
  }

  async preflight(requests: readonly VendorRequest[], snapshot: EnvironmentSnapshot): Promise<void> {
    return (await this.implementation()).preflight(requests, snapshot);
  }

  async execute(request: VendorRequest): Promise<void> {
    return (await this.implementation()).execute(request);
  }

  async invokeTransition(request: TransitionRequest): Promise<TransitionOutcome> {
    return (await this.implementation()).invokeTransition(request);
  }

  stats(): { requests: number; throttled: number; retries: number; waitedMs: number } {
    return this.client.stats();
  }

  #loaded(method: string): KontentEnvironment {
    if (this.#implementation) return this.#implementation;
    throw new KontentEnvironmentNotLoadedError(this.label, method);
  }
}
