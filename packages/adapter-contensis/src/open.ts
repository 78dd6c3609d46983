import type {
  EnvironmentSnapshot,
  Loss,
  MappingResult,
  OpenedEnvironment,
  TransitionOutcome,
  TransitionRequest,
  VendorEnvironment,
  VendorRequest,
  Workflow,
} from "@workflow-sync/core";
import { type ContensisClient, createContensisClient } from "./client.ts";
import type { ContensisEnvironment } from "./environment.ts";
import { readContensisNative } from "./read.ts";

/*
 * The light entry (`@workflow-sync/adapter-contensis/open`): opening an environment and sending its
 * token request and reads need neither zod nor the mapping. This module's static imports (client.ts,
 * read.ts and the HTTP package) evaluate no zod; `ContensisEnvironment` (environment.ts, with the
 * mapping and the schemas) comes through a dynamic import started once the reads are on their way
 * (after the token), so it loads while their answers travel. A CLI run sends its first requests
 * sooner (docs/performance.md, "Start-up"). Everything but the start of a read is
 * `ContensisEnvironment`'s own code: one behaviour.
 */

/** What `ContensisEnvironment` is opened with: the client's options, or a client. */
export type OpenContensisOptions = ConstructorParameters<typeof ContensisEnvironment>[0];

/**
 * A Contensis environment (core's `VendorEnvironment`) that sends its first read before its
 * implementation (`ContensisEnvironment`, options as for it) is loaded; `writeConcurrency` is its
 * client's. `contensisVendor.openEnvironment` is this function.
 */
export function openContensisEnvironment(options: OpenContensisOptions): OpenedEnvironment {
  const environment = new OpenedContensisEnvironment(options);
  return { environment, writeConcurrency: environment.client.pacer.writeConcurrency };
}

/** A planning method was called before the environment's implementation was loaded (see `read`). */
export class ContensisEnvironmentNotLoadedError extends Error {
  readonly code = "environment_not_loaded";
  constructor(label: string, method: string) {
    super(
      `${label}: ${method}() was called before read(): an environment opened with openContensisEnvironment loads its planning code with its first read (or \`await environment.implementation()\`)`,
    );
    this.name = "ContensisEnvironmentNotLoadedError";
  }
}

/**
 * `ContensisEnvironment` behind a first read that needs only the client. Its client (token, pacer
 * and counts) is the one the implementation uses. The planning methods are synchronous: they need
 * the implementation loaded, which a read of this environment does (their snapshot comes from one).
 * It has exactly `ContensisEnvironment`'s methods (no `preflight`), each delegating to it.
 */
export class OpenedContensisEnvironment implements VendorEnvironment {
  readonly vendor = "contensis" as const;
  readonly label: string;
  readonly client: ContensisClient;
  readonly roleGrants: "write" | "report";
  readonly #locale: string | undefined;
  #implementation: ContensisEnvironment | undefined;
  #loading: Promise<ContensisEnvironment> | undefined;

  constructor(options: OpenContensisOptions) {
    this.client = "client" in options ? options.client : createContensisClient(options);
    this.label = options.label ?? `contensis:${this.client.projectId}`;
    this.roleGrants = options.roleGrants ?? "write";
    this.#locale = options.locale;
  }

  /** `ContensisEnvironment` over the same client, loaded on first use (once). */
  implementation(): Promise<ContensisEnvironment> {
    this.#loading ??= import("./environment.ts").then(({ ContensisEnvironment }) => {
      this.#implementation = new ContensisEnvironment({
        client: this.client,
        label: this.label,
        roleGrants: this.roleGrants,
        ...(this.#locale === undefined ? {} : { locale: this.#locale }),
      });
      return this.#implementation;
    });
    return this.#loading;
  }

  /** The token request and the reads go out first; the implementation loads meanwhile and maps the answers. */
  async read(): Promise<EnvironmentSnapshot> {
    if (this.#implementation) return this.#implementation.read();
    const reading = readContensisNative(this.client);
    // Handled here too: a refused token fails the read while the wait below is under way.
    reading.catch(() => {});
    // import() reads and compiles before it returns: it starts once the reads (which wait for the
    // token) are on their way.
    await this.client.requestsWritten();
    const [implementation] = await Promise.all([this.implementation(), reading]);
    return implementation.readFrom(reading);
  }

  project(desired: Workflow, snapshot: EnvironmentSnapshot): MappingResult<Workflow> {
    return this.#loaded("project").project(desired, snapshot);
  }

  checkSet(desired: readonly Workflow[], snapshot: EnvironmentSnapshot): void {
    this.#loaded("checkSet").checkSet(desired, snapshot);
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

  planPermissions(
    desired: readonly Workflow[],
    snapshot: EnvironmentSnapshot,
  ): MappingResult<VendorRequest[]> & { notes: Loss[]; narrowing: VendorRequest[] } {
    return this.#loaded("planPermissions").planPermissions(desired, snapshot);
  }

  planPermissionsRestore(backupNative: unknown, snapshot: EnvironmentSnapshot): VendorRequest[] {
    return this.#loaded("planPermissionsRestore").planPermissionsRestore(backupNative, snapshot);
  }

  incomplete(current: Workflow, snapshot: EnvironmentSnapshot): boolean {
    return this.#loaded("incomplete").incomplete(current, snapshot);
  }

  guardWrites(snapshot: EnvironmentSnapshot): void {
    this.#loaded("guardWrites").guardWrites(snapshot);
  }

  async execute(request: VendorRequest): Promise<void> {
    return (await this.implementation()).execute(request);
  }

  async invokeTransition(request: TransitionRequest): Promise<TransitionOutcome> {
    return (await this.implementation()).invokeTransition(request);
  }

  stats(): { requests: number; throttled: number; retries: number; waitedMs: number } {
    const { requests, throttled, retries, waitedMs } = this.client.stats();
    return { requests, throttled, retries, waitedMs };
  }

  #loaded(method: string): ContensisEnvironment {
    if (this.#implementation) return this.#implementation;
    throw new ContensisEnvironmentNotLoadedError(this.label, method);
  }
}
