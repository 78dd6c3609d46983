import { StaleWriteError, stableStringify, UnknownWriteOutcomeError } from "@workflow-sync/core";
import { UnclearWriteError } from "@workflow-sync/http";
import { type KontentClient, workflowPath } from "./client.ts";
import { KontentApiError } from "./errors.ts";
import type { KontentNativeSnapshot } from "./read.ts";
import {
  type KontentReference,
  type KontentWorkflow,
  KontentWorkflowSchema,
  type KontentWorkflowWrite,
  parseWire,
} from "./wire.ts";

/*
 * Guarded writes: Kontent.ai has no version field and no conditional request (no ETag/If-Match on
 * workflows, https://kontent.ai/learn/docs/apis/openapi/management-api-v2/#tag/Workflows), so
 * before each PUT or DELETE the workflows are listed again (there is no GET of one workflow) and the
 * one about to be written must still be what the plan saw, or what this apply's own last write of
 * it left. A POST needs no read: Kontent.ai refuses a taken codename, and the refusal is checked
 * (someone created it since the plan: stale). The window between a read and its write remains
 * (docs/reliability.md).
 *
 * A PUT is sent once (never retried blindly): when its answer is lost (timeout, dropped
 * connection), the workflow is re-read until the write shows up or `settleMs` passes, so that the
 * next request to that workflow (the second of a two-request update) is never sent while the first
 * one may still land after it. A PUT that never shows up is sent once more; the first attempt may
 * then still land late, so any further write to that workflow stops with UnknownWriteOutcomeError
 * (as does a second lost answer). An answered 5xx is a finished request: re-read, then sent again.
 */

/** Attempts of one PUT (answered 5xx included); a second lost answer stops earlier. */
const MAX_ATTEMPTS = 4;

export interface WriteGuardOptions {
  /** How long to re-read for a write whose answer was lost (ms). */
  settleMs: number;
  /** Label of the environment, for messages. */
  label: string;
}

export class WriteGuard {
  readonly #client: KontentClient;
  readonly #options: WriteGuardOptions;
  readonly #native: KontentNativeSnapshot;
  /** By workflow id: what it should hold now (as read, or as our last write answered); null: deleted. */
  readonly #expected = new Map<string, KontentWorkflow | null>();
  /** Workflow ids with a write that may still land (a lost answer, sent again). */
  readonly #unsettled = new Set<string>();
  /** Workflow ids this apply wrote (created, updated, deleted). */
  readonly #written = new Set<string>();

  constructor(client: KontentClient, native: KontentNativeSnapshot, options: WriteGuardOptions) {
    this.#client = client;
    this.#native = native;
    this.#options = options;
    for (const workflow of native.workflows) this.#expected.set(workflow.id, workflow);
  }

  /**
   * The workflows as listed now, after checking that every workflow this apply wrote earlier still
   * holds what it wrote (the list is read anyway): another apply or a person writing over them
   * stops this one at its next write instead of only at the read-back.
   */
  async #list(): Promise<KontentWorkflow[]> {
    const listed = await this.#client.listWorkflows();
    for (const id of this.#written) {
      const expected = this.#expected.get(id);
      const now = listed.find((workflow) => workflow.id === id);
      const same =
        expected === null ? now === undefined : now !== undefined && shapeOf(now) === shapeOf(expected!);
      if (!same) {
        const name = now?.codename ?? expected?.codename ?? id;
        throw new StaleWriteError(
          name,
          `workflow ${name} changed in ${this.#options.label} after this apply wrote it (another writer); nothing more was written`,
        );
      }
    }
    return listed;
  }

  /**
   * POST /workflows. No read first: Kontent.ai refuses a codename that is taken (codenames are
   * unique per object type, https://kontent.ai/learn/docs/apis/management-api-v2/references), so a
   * workflow someone else created since the plan is found by the refusal, at the cost of no request.
   */
  async create(body: KontentWorkflowWrite): Promise<void> {
    let created: KontentWorkflow;
    try {
      created = await this.#client.addWorkflow(body);
    } catch (error) {
      // Refused: when the codename is taken now, someone else created it since the plan.
      if (!(error instanceof KontentApiError && error.status === 400)) throw error;
      if (!(await this.#client.listWorkflows()).some((w) => w.codename === body.codename)) throw error;
      throw new StaleWriteError(
        body.codename,
        `workflow ${body.codename} was created in ${this.#options.label} since the plan was made; not overwritten`,
        { cause: error },
      );
    }
    this.#expected.set(created.id, created);
    this.#written.add(created.id);
  }

  /** PUT /workflows/{id}, after checking that the workflow is still as expected. */
  async update(id: string, body: KontentWorkflowWrite): Promise<void> {
    const before = (await this.#check(id, false))!;
    const path = workflowPath({ id });
    // Whether an earlier attempt got no answer and has not shown up: it may still land.
    let pending = false;
    const done = (stored: KontentWorkflow) => {
      this.#expected.set(id, stored);
      this.#written.add(id);
      if (pending) this.#unsettled.add(id);
    };
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.#client.send("PUT", path, { json: body, idempotent: false });
        done(parseWire(KontentWorkflowSchema, response.body, `PUT ${path}`));
        return;
      } catch (error) {
        if (!(error instanceof UnclearWriteError)) throw error;
        // An answered 5xx is a finished request: one re-read tells. A lost answer may still land.
        const lost = error.reason !== "server_error";
        const landed = await this.#settle(before, body, lost ? this.#options.settleMs : 0);
        if (landed) {
          done(landed);
          return;
        }
        if (lost && pending) {
          throw new UnknownWriteOutcomeError(
            before.codename,
            `PUT of workflow ${before.codename} in ${this.#options.label}: no answer twice, and it has not shown up after re-reading for ${this.#options.settleMs} ms; nothing more was sent to it`,
            { cause: error },
          );
        }
        pending ||= lost;
        if (attempt >= MAX_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }

  /** DELETE /workflows/{id}, after checking that the workflow is still as expected. */
  async delete(id: string, send: () => Promise<void>): Promise<void> {
    const current = await this.#check(id, true);
    if (current) await send();
    this.#expected.set(id, null);
    this.#written.add(id);
  }

  /**
   * The workflow as listed now; a StaleWriteError when it is not what is expected (undefined: gone,
   * only when `allowGone`: a delete finds nothing left to do).
   */
  async #check(id: string, allowGone: boolean): Promise<KontentWorkflow | undefined> {
    const expected = this.#expected.get(id);
    const name = expected?.codename ?? id;
    if (this.#unsettled.has(id)) {
      throw new UnknownWriteOutcomeError(
        name,
        `an earlier write of workflow ${name} in ${this.#options.label} got no answer and may still land; nothing more is sent to it`,
      );
    }
    const current = (await this.#list()).find((workflow) => workflow.id === id);
    if (!current) {
      if (allowGone && expected !== undefined) return undefined;
      throw new StaleWriteError(
        name,
        `workflow ${name} was deleted from ${this.#options.label} since the plan was made; not written`,
      );
    }
    if (expected === null || (expected !== undefined && shapeOf(current) !== shapeOf(expected))) {
      throw new StaleWriteError(
        current.codename,
        `workflow ${current.codename} changed in ${this.#options.label} since the plan was made; not overwritten`,
      );
    }
    return current;
  }

  /**
   * After a write without an answer: re-read until it shows up (returns the workflow as stored) or
   * `settleMs` passes with the workflow unchanged (returns undefined). Anything else is someone
   * else's change: a StaleWriteError.
   */
  async #settle(
    before: KontentWorkflow,
    body: KontentWorkflowWrite,
    settleMs: number,
  ): Promise<KontentWorkflow | undefined> {
    const wanted = shapeOfWrite(body, before, this.#native);
    const unchanged = shapeOf(before);
    const deadline = Date.now() + settleMs;
    const pause = Math.max(20, Math.min(1000, Math.round(settleMs / 8)));
    for (;;) {
      const now = (await this.#client.listWorkflows()).find((workflow) => workflow.id === before.id);
      if (now && shapeOf(now) === wanted) return now;
      if (!now || shapeOf(now) !== unchanged) {
        throw new StaleWriteError(
          before.codename,
          `workflow ${before.codename} changed in ${this.#options.label} while the outcome of this apply's write of it was unknown; nothing more was sent to it`,
        );
      }
      if (Date.now() >= deadline) return undefined;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(pause, Math.max(0, deadline - Date.now()))),
      );
    }
  }
}

/**
 * A comparable form of a stored workflow: codenames instead of step ids, sets sorted; what the
 * server keeps of a write body and nothing it makes up (ids of new steps, predefined step names).
 */
export function shapeOf(workflow: KontentWorkflow): string {
  const steps = new Map<string, string>();
  for (const step of [
    ...workflow.steps,
    workflow.published_step,
    workflow.archived_step,
    ...(workflow.scheduled_step ? [workflow.scheduled_step] : []),
  ]) {
    steps.set(step.id, step.codename);
  }
  return stableStringify({
    name: workflow.name,
    codename: workflow.codename,
    scopes: workflow.scopes.map((scope) => ({
      content_types: scope.content_types.map((ref) => ref.id).sort(),
      collections: scope.collections.map((ref) => ref.id).sort(),
    })),
    steps: workflow.steps.map((step) => ({
      codename: step.codename,
      name: step.name,
      color: step.color,
      to: step.transitions_to.map((t) => steps.get(t.step.id) ?? t.step.id).sort(),
      roles: [...step.role_ids].sort(),
    })),
    published: {
      unpublish: [...workflow.published_step.unpublish_role_ids].sort(),
      newVersion: [...workflow.published_step.create_new_version_role_ids].sort(),
    },
    archived: [...workflow.archived_step.role_ids].sort(),
  });
}

/** The form `shapeOf` gives the workflow `before` once `body` is stored over it. */
export function shapeOfWrite(
  body: KontentWorkflowWrite,
  before: KontentWorkflow | undefined,
  native: Pick<KontentNativeSnapshot, "contentTypes" | "collections">,
): string {
  const steps = new Map<string, string>();
  if (before) {
    for (const step of [
      before.published_step,
      before.archived_step,
      ...(before.scheduled_step ? [before.scheduled_step] : []),
    ]) {
      steps.set(step.id, step.codename);
    }
    for (const step of before.steps) steps.set(step.id, step.codename);
  }
  for (const step of body.steps) if (step.id) steps.set(step.id, step.codename);
  const stepName = (ref: KontentReference) =>
    "id" in ref
      ? (steps.get(ref.id) ?? ref.id)
      : "codename" in ref
        ? ref.codename
        : `external_id:${ref.external_id}`;
  const idIn = (list: ReadonlyArray<{ id: string; codename: string }>, ref: KontentReference) =>
    "id" in ref
      ? ref.id
      : "codename" in ref
        ? (list.find((entry) => entry.codename === ref.codename)?.id ?? ref.codename)
        : `external_id:${ref.external_id}`;
  return stableStringify({
    name: body.name,
    codename: body.codename,
    scopes: body.scopes.map((scope) => ({
      content_types: scope.content_types.map((ref) => idIn(native.contentTypes, ref)).sort(),
      collections: scope.collections.map((ref) => idIn(native.collections, ref)).sort(),
    })),
    steps: body.steps.map((step) => ({
      codename: step.codename,
      name: step.name,
      color: step.color,
      to: step.transitions_to.map((t) => stepName(t.step)).sort(),
      roles: [...step.role_ids].sort(),
    })),
    published: {
      unpublish: [...body.published_step.unpublish_role_ids].sort(),
      newVersion: [...body.published_step.create_new_version_role_ids].sort(),
    },
    archived: [...body.archived_step.role_ids].sort(),
  });
}
