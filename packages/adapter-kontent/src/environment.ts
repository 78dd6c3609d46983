import type {
  Actor,
  EnvironmentSnapshot,
  Loss,
  MappingResult,
  VendorRequest,
  Workflow,
  WorkflowEnvironment,
} from "@workflow-sync/core";
import { createKontentClient, type KontentClient, type KontentClientOptions } from "./client.ts";
import { fireOnVariant, type InvokeTransitionOptions, type InvokeTransitionResult } from "./content.ts";
import { KontentDeleteRefusedError, KontentMappingError, KontentVariantStateError } from "./errors.ts";
import { toNeutral } from "./mapping.ts";
import { type KontentNativeSnapshot, readKontent } from "./read.ts";
import type { KontentWorkflowWrite } from "./wire.ts";
import { planCreateRequests, planDeleteRequests, planUpdateRequests, projectWorkflow } from "./write.ts";

export type KontentEnvironmentOptions = (
  | { client: KontentClient }
  | (KontentClientOptions & { client?: undefined })
) & {
  /** Locale of Kontent.ai's plain-string names (default `en-US`). */
  locale?: string;
  /** For messages (default: the environment id). Never a secret. */
  label?: string;
  /**
   * Before a DELETE, list the variants of every content type and refuse (sending nothing) when
   * one is in the workflow. Costs one request per content type page; off by default, the vendor
   * refuses such a delete anyway ("Deletes an unused workflow") and that refusal is reported as a
   * `KontentDeleteRefusedError` too.
   */
  checkVariantsBeforeDelete?: boolean;
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

  constructor(options: KontentEnvironmentOptions) {
    this.client = options.client ?? createKontentClient(options as KontentClientOptions);
    this.label = options.label ?? `Kontent.ai environment ${this.client.environmentId}`;
    this.#locale = options.locale;
    this.#checkVariants = options.checkVariantsBeforeDelete ?? false;
  }

  async read(): Promise<KontentEnvironmentSnapshot> {
    const native = await readKontent(this.client);
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

  project(desired: Workflow, snapshot: EnvironmentSnapshot): MappingResult<Workflow> {
    return projectWorkflow(desired, nativeOf(snapshot), this.#planOptions());
  }

  planCreate(desired: Workflow, snapshot: EnvironmentSnapshot): MappingResult<VendorRequest[]> {
    return planCreateRequests(desired, nativeOf(snapshot), this.#planOptions());
  }

  planUpdate(
    desired: Workflow,
    current: Workflow,
    snapshot: EnvironmentSnapshot,
  ): MappingResult<VendorRequest[]> {
    return planUpdateRequests(desired, current, nativeOf(snapshot), this.#planOptions());
  }

  planDelete(current: Workflow, snapshot: EnvironmentSnapshot): VendorRequest[] {
    return planDeleteRequests(current, nativeOf(snapshot));
  }

  /**
   * Sends one planned request. A create goes through `addWorkflow` (re-listed after an unclear
   * failure, never blindly retried); updates and deletes are idempotent and retried by the
   * transport. Nothing else is sent: no read before a write (unless `checkVariantsBeforeDelete`).
   */
  async execute(request: VendorRequest): Promise<void> {
    if (request.method === "POST" && request.path === "/workflows") {
      await this.client.addWorkflow(request.body as KontentWorkflowWrite);
      return;
    }
    const match = /^\/workflows\/(?:codename\/([^/]+)|([^/]+))$/.exec(request.path);
    const ref = match
      ? match[1] !== undefined
        ? { codename: decodeURIComponent(match[1]) }
        : { id: decodeURIComponent(match[2]!) }
      : undefined;
    if (request.method === "PUT" && ref) {
      await this.client.updateWorkflow(ref, request.body as KontentWorkflowWrite);
      return;
    }
    if (request.method === "DELETE" && ref) {
      if (this.#checkVariants) await this.#refuseIfUsed(ref);
      await this.client.deleteWorkflow(ref);
      return;
    }
    await this.client.send(
      request.method,
      request.path,
      request.body === undefined ? {} : { json: request.body },
    );
  }

  /**
   * Invoke a transition on a language variant of this environment: the variant's workflow is found
   * from what `read` gives (one read of the lists and one of the variant), then checked and sent as
   * `invokeTransition` does. Without `actor`, the check runs as holding every role of the
   * environment (the structure is checked; the vendor still checks the key's permissions).
   */
  async invokeTransition(
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

  #planOptions() {
    return { environment: this.label, ...(this.#locale === undefined ? {} : { locale: this.#locale }) };
  }

  async #refuseIfUsed(ref: { id: string } | { codename: string }): Promise<void> {
    const [workflows, types] = await Promise.all([
      this.client.listWorkflows(),
      this.client.listContentTypes(),
    ]);
    const workflow = workflows.find((w) => ("id" in ref ? w.id === ref.id : w.codename === ref.codename));
    if (!workflow) return; // the DELETE answers 404, reported by the client
    const used: string[] = [];
    for (const type of types) {
      for (const variant of await this.client.listVariantsOfType({ id: type.id })) {
        const id = variant.workflow?.workflow_identifier.id;
        if (id === workflow.id) used.push(`item ${variant.item.id} (language ${variant.language.id})`);
      }
    }
    if (used.length > 0) {
      throw new KontentDeleteRefusedError(
        workflow.codename,
        "in_use",
        `${used.length} language variant${used.length === 1 ? " is" : "s are"} in it: ${used.slice(0, 5).join(", ")}${used.length > 5 ? ", …" : ""}; move them to another workflow first`,
      );
    }
  }
}
