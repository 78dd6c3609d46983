import type {
  Actor,
  EnvironmentSnapshot,
  Loss,
  MappingResult,
  TransitionOutcome,
  TransitionRequest,
  VendorRequest,
  Workflow,
  WorkflowEnvironment,
} from "@workflow-sync/core";
import {
  createKontentClient,
  type KontentClient,
  type KontentClientOptions,
  languageFromText,
  referenceFromText,
} from "./client.ts";
import {
  fireOnVariant,
  type InvokeTransitionOptions,
  type InvokeTransitionResult,
  refuseRemovingUsedSteps,
  type VariantPosition,
  variantsByWorkflow,
} from "./content.ts";
import { KontentDeleteRefusedError, KontentMappingError, KontentVariantStateError } from "./errors.ts";
import { fromNeutral } from "./mapping/from-neutral.ts";
import { toNeutral } from "./mapping/to-neutral.ts";
import {
  type PlanOptions,
  planCreateRequests,
  planDeleteRequests,
  planUpdateRequests,
  projectWorkflow,
} from "./plan-writes.ts";
import { type KontentNativeSnapshot, readKontent } from "./read.ts";
import type { KontentWorkflowWrite } from "./wire.ts";
import { WriteGuard } from "./write.ts";

export type KontentEnvironmentOptions = (
  | { client: KontentClient }
  | (KontentClientOptions & { client?: undefined })
) & {
  /** Locale of Kontent.ai's plain-string names (default `en-US`). */
  locale?: string;
  /** For messages (default: the environment id). Never a secret. */
  label?: string;
  /**
   * Before a DELETE, refuse (sending nothing) when a language variant is in the workflow. The
   * variants are listed once by collection (one request per collection page, see `variantsByWorkflow` in content.ts) and
   * that list serves every delete until the environment is read again. Off by default: the vendor
   * refuses such a delete anyway ("Deletes an unused workflow") and that refusal is reported as a
   * `KontentDeleteRefusedError` too.
   */
  checkVariantsBeforeDelete?: boolean;
  /**
   * After a write whose answer was lost, how long to re-read for it before deciding that it did
   * not land (ms). Default: twice the client's timeout (`timeoutMs`, default 30 s).
   */
  settleMs?: number;
};

/** The snapshot `read()` returns, with the native data typed. */
export interface KontentEnvironmentSnapshot extends EnvironmentSnapshot {
  vendor: "kontent";
  native: KontentNativeSnapshot;
}

function nativeOf(snapshot: EnvironmentSnapshot): KontentNativeSnapshot {
  const native = snapshot.native as Partial<KontentNativeSnapshot> | undefined;
  if (snapshot.vendor !== "kontent" || native?.vendor !== "kontent" || !Array.isArray(native.workflows)) {
    throw new KontentMappingError("the snapshot was not read from a Kontent.ai environment");
  }
  return native as KontentNativeSnapshot;
}

/**
 * One Kontent.ai environment behind core's `WorkflowEnvironment`: read (neutral workflows and what
 * mapping needs), plan (pure, literal requests) and execute (paced, retried, creates re-checked).
 */
export class KontentEnvironment implements WorkflowEnvironment {
  readonly vendor = "kontent" as const;
  readonly label: string;
  readonly client: KontentClient;
  readonly #locale: string | undefined;
  readonly #checkVariants: boolean;
  readonly #settleMs: number;
  #guard: WriteGuard | undefined;
  /** The last read (the in-use check lists variants by its collections and names its workflows). */
  #native: KontentNativeSnapshot | undefined;
  /** Variants by workflow, listed at most once between two reads (see `checkVariantsBeforeDelete`). */
  #usage: Promise<Map<string, VariantPosition[]>> | undefined;
  /**
   * Projections already made, by desired workflow, with the part of the snapshot they depend on: the
   * read-back after an apply asks again for every workflow the plan projected.
   */
  #projections = new WeakMap<Workflow, { context: string; result: MappingResult<Workflow> }>();
  /** Write bodies by desired workflow, with the read they were mapped for (see `#planOptions`). */
  #bodies = new WeakMap<
    Workflow,
    { native: KontentNativeSnapshot; result: MappingResult<KontentWorkflowWrite> }
  >();

  constructor(options: KontentEnvironmentOptions) {
    this.client = options.client ?? createKontentClient(options as KontentClientOptions);
    this.label = options.label ?? `Kontent.ai environment ${this.client.environmentId}`;
    this.#locale = options.locale;
    this.#checkVariants = options.checkVariantsBeforeDelete ?? false;
    const timeoutMs = (options as { timeoutMs?: number }).timeoutMs ?? 30_000;
    this.#settleMs = options.settleMs ?? 2 * timeoutMs;
  }

  /**
   * From now on every write re-reads the workflows first and refuses (`StaleWriteError`, nothing
   * sent) when the workflow it replaces is not as in `snapshot` or as this environment's own last
   * write left it; a create refuses a codename taken meanwhile. See `write.ts`.
   */
  guardWrites(snapshot: EnvironmentSnapshot): void {
    this.#guard = new WriteGuard(this.client, nativeOf(snapshot), {
      settleMs: this.#settleMs,
      label: this.label,
    });
  }

  read(): Promise<KontentEnvironmentSnapshot> {
    return this.readFrom(readKontent(this.client));
  }

  /**
   * The snapshot of a read of this environment's client already under way (`readKontent`): what
   * `read()` gives. The environment `openKontentEnvironment` opens starts the read before this
   * module is loaded (open.ts), then hands it over here.
   */
  async readFrom(reading: Promise<KontentNativeSnapshot>): Promise<KontentEnvironmentSnapshot> {
    this.#usage = undefined;
    const native = await reading;
    this.#native = native;
    const losses: Loss[] = [];
    const workflows: Workflow[] = native.workflows.map((wire, index) => {
      const mapped = toNeutral(wire, {
        roles: native.roles,
        ...(native.rolesUnavailable === undefined ? {} : { rolesUnavailable: native.rolesUnavailable }),
        contentTypes: native.contentTypes,
        collections: native.collections,
        environment: this.label,
        ...(this.#locale === undefined ? {} : { locale: this.#locale }),
      });
      // Paths of read losses point into `native`: ["workflows", index, …].
      losses.push(...mapped.losses.map((loss) => ({ ...loss, path: ["workflows", index, ...loss.path] })));
      return mapped.value;
    });
    return {
      vendor: "kontent",
      workflows,
      losses,
      roles: native.roles.map((role) => role.name),
      contentTypes: native.contentTypes.map((type) => type.codename),
      collections: native.collections.map((collection) => collection.codename),
      readOnly: [],
      native,
    };
  }

  /** What the target would hold after `desired` is written (see `projectWorkflow`); made once per context. */
  project(desired: Workflow, snapshot: EnvironmentSnapshot): MappingResult<Workflow> {
    const native = nativeOf(snapshot);
    const context = projectionContext(native);
    const known = this.#projections.get(desired);
    if (known?.context === context) return known.result;
    const result = projectWorkflow(desired, native, this.#planOptions(native));
    this.#projections.set(desired, { context, result });
    return result;
  }

  planCreate(desired: Workflow, snapshot: EnvironmentSnapshot): MappingResult<VendorRequest[]> {
    const native = nativeOf(snapshot);
    return planCreateRequests(desired, native, this.#planOptions(native));
  }

  planUpdate(
    desired: Workflow,
    current: Workflow,
    snapshot: EnvironmentSnapshot,
  ): MappingResult<VendorRequest[]> {
    const native = nativeOf(snapshot);
    return planUpdateRequests(desired, current, native, this.#planOptions(native));
  }

  planDelete(current: Workflow, snapshot: EnvironmentSnapshot): VendorRequest[] {
    return planDeleteRequests(current, nativeOf(snapshot));
  }

  /**
   * Before anything is written: refuses planned updates that remove a step content is in
   * (`KontentStepInUseError`). Reads the language variants once, only when a step is removed.
   */
  async preflight(requests: readonly VendorRequest[], snapshot: EnvironmentSnapshot): Promise<void> {
    await refuseRemovingUsedSteps(this.client, requests, nativeOf(snapshot));
  }

  /**
   * Sends one planned request. A create goes through `addWorkflow` (re-listed after an unclear
   * failure, never blindly retried); updates and deletes are idempotent and retried by the
   * transport. Nothing else is sent: no read before a write (unless `checkVariantsBeforeDelete`),
   * until `guardWrites` is called: then each write is checked and sent as `write.ts` says.
   */
  async execute(request: VendorRequest): Promise<void> {
    const guard = this.#guard;
    if (request.method === "POST" && request.path === "/workflows") {
      if (guard) await guard.create(request.body as KontentWorkflowWrite);
      else await this.client.addWorkflow(request.body as KontentWorkflowWrite);
      return;
    }
    const match = /^\/workflows\/(?:codename\/([^/]+)|([^/]+))$/.exec(request.path);
    const ref = match
      ? match[1] !== undefined
        ? { codename: decodeURIComponent(match[1]) }
        : { id: decodeURIComponent(match[2]!) }
      : undefined;
    if (request.method === "PUT" && ref) {
      if (guard && match?.[2] !== undefined)
        await guard.update(decodeURIComponent(match[2]), request.body as KontentWorkflowWrite);
      else await this.client.updateWorkflow(ref, request.body as KontentWorkflowWrite);
      return;
    }
    if (request.method === "DELETE" && ref) {
      if (this.#checkVariants) await this.#refuseIfUsed(ref);
      if (guard && match?.[2] !== undefined)
        await guard.delete(decodeURIComponent(match[2]), () => this.client.deleteWorkflow(ref));
      else await this.client.deleteWorkflow(ref);
      return;
    }
    await this.client.send(
      request.method,
      request.path,
      request.body === undefined ? {} : { json: request.body },
    );
  }

  /**
   * Invoke a transition on a language variant of this environment (core's `invokeTransition`): the
   * item and language are read from text (a UUID is an id, anything else a codename), then
   * `invokeTransitionOn` checks and sends it.
   */
  async invokeTransition(request: TransitionRequest): Promise<TransitionOutcome> {
    const result = await this.invokeTransitionOn({
      item: referenceFromText(request.item),
      language: languageFromText(request.language),
      transition: request.transition,
      ...(request.roles ? { actor: { roles: request.roles } } : {}),
      data: request.data,
    });
    return { from: result.from, to: result.to, transition: result.transition.key };
  }

  /**
   * Invoke a transition on a language variant of this environment: the variant's workflow is found
   * from what `read` gives (one read of the lists and one of the variant), then checked and sent as
   * `invokeTransition` of content.ts does. Without `actor`, the check runs as holding every role of
   * the environment (the structure is checked; the vendor still checks the key's permissions).
   */
  async invokeTransitionOn(
    options: Omit<InvokeTransitionOptions, "actor"> & { actor?: Actor },
  ): Promise<InvokeTransitionResult> {
    const [snapshot, variant] = await Promise.all([
      this.read(),
      this.client.getVariant(options.item, options.language),
    ]);
    const workflowId = variant.workflow?.workflow_identifier.id;
    const index = snapshot.native.workflows.findIndex((wire) => wire.id === workflowId);
    const workflow = snapshot.workflows[index];
    if (!workflow) {
      throw new KontentVariantStateError(
        `the variant's workflow ${workflowId ?? "(none)"} is not in ${this.label}; nothing was sent`,
      );
    }
    return fireOnVariant(this.client, workflow, variant, snapshot.native.workflows, {
      ...options,
      actor: options.actor ?? { roles: snapshot.roles },
    });
  }

  stats(): { requests: number; throttled: number; retries: number; waitedMs: number } {
    return this.client.stats();
  }

  /** Plan options for writing into `native`'s environment: a workflow's body is mapped once per read. */
  #planOptions(native: KontentNativeSnapshot): PlanOptions {
    return {
      environment: this.label,
      ...(this.#locale === undefined ? {} : { locale: this.#locale }),
      mapWorkflow: (workflow, context) => {
        const known = this.#bodies.get(workflow);
        if (known?.native === native) return known.result;
        const result = fromNeutral(workflow, context);
        this.#bodies.set(workflow, { native, result });
        return result;
      },
    };
  }

  async #refuseIfUsed(ref: { id: string } | { codename: string }): Promise<void> {
    // Planned deletes name the workflow by id; by codename, the workflows are listed to find it.
    const id =
      "id" in ref ? ref.id : (await this.client.listWorkflows()).find((w) => w.codename === ref.codename)?.id;
    if (id === undefined) return; // the DELETE answers 404, reported by the client
    this.#usage ??= variantsByWorkflow(this.client, this.#native?.collections);
    const usage = this.#usage;
    usage.catch(() => {
      if (this.#usage === usage) this.#usage = undefined; // a failed listing is not kept
    });
    const used = (await usage).get(id) ?? [];
    if (used.length > 0) {
      const codename =
        "codename" in ref ? ref.codename : (this.#native?.workflows.find((w) => w.id === id)?.codename ?? id);
      throw new KontentDeleteRefusedError(
        codename,
        "in_use",
        `${used.length} language variant${used.length === 1 ? " is" : "s are"} in it: ${used
          .slice(0, 5)
          .map((v) => `item ${v.item} (language ${v.language})`)
          .join(", ")}${used.length > 5 ? ", …" : ""}; move them to another workflow first`,
      );
    }
  }
}

const projectionContexts = new WeakMap<KontentNativeSnapshot, string>();
/**
 * What a projection reads from a snapshot besides the desired workflow: the roles, content types and
 * collections references resolve against, and how the target names its predefined steps.
 */
function projectionContext(native: KontentNativeSnapshot): string {
  let context = projectionContexts.get(native);
  if (context === undefined) {
    const sample = native.workflows[0];
    context = JSON.stringify([
      native.environmentId,
      native.rolesUnavailable ?? null,
      native.roles,
      native.contentTypes,
      native.collections,
      sample ? [sample.published_step.name, sample.scheduled_step?.name, sample.archived_step.name] : null,
    ]);
    projectionContexts.set(native, context);
  }
  return context;
}
