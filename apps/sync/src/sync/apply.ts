import { readFile } from "node:fs/promises";
import {
  diffWorkflow,
  fingerprint,
  StaleWriteError,
  UnknownWriteOutcomeError,
  type Workflow,
} from "@workflow-sync/core";
import { z } from "zod";
import type { Environment, Snapshot } from "../environments/types.ts";
import { CliError, RefusedError } from "../errors.ts";
import { createBackup } from "./backup.ts";
import type { Operation, Plan, TargetPlan } from "./plan-format.ts";
import { planTarget } from "./planner.ts";
import { runOperations } from "./run-operations.ts";
import { type StateDir, writeAtomic } from "./state-dir.ts";

/*
 * Applying one target of a plan. Safety rules (docs/architecture.md, "read → plan → apply"; docs/reliability.md):
 * - the target is re-read; a plan whose target fingerprint changed is refused (nothing written);
 * - before the first write the target is backed up;
 * - every write checks, right before it is sent, that the workflow it replaces is still what the
 *   plan saw (the adapters' `guardWrites`); a mismatch stops the target with exit 4;
 * - after the last write the target is read back: every workflow the plan wrote must hold what the
 *   plan wanted (otherwise exit 1, the journal stays open);
 * - a journal records every request before and after it is sent. A finished plan is finished:
 *   applied again, it writes nothing and says so when the target still holds its result, and is
 *   refused as stale when not. An interrupted apply resumes only when each workflow it wrote still
 *   holds what it wrote and each one it did not write yet is still as the plan saw it; it re-plans
 *   what is left from the plan's desired workflows (a create that landed becomes nothing or an update);
 * - one apply at a time per environment and state folder (a lock; a dead holder's lock is taken over).
 */

/** A request that may have been sent and not answered: the operation's id and the request's index in it. */
const InFlight = z.object({ operation: z.string(), request: z.number() });
type InFlight = z.infer<typeof InFlight>;

/**
 * The journal of one target's apply (`.workflow-sync/journals/<plan>-<env>.json`). `inflight` names
 * every request in flight (several when writes overlap); version 1 named one, as an object, and is
 * still read (an apply interrupted under an earlier version resumes).
 */
const Journal = z.object({
  formatVersion: z.union([z.literal(1), z.literal(2)]).transform((): 2 => 2),
  planId: z.string(),
  environment: z.string(),
  startedAt: z.string(),
  backup: z.string(),
  completed: z.array(z.string()),
  inflight: z
    .union([z.array(InFlight), InFlight])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])),
  finishedAt: z.string().optional(),
});
type Journal = z.output<typeof Journal>;

export type ApplyEvent =
  | { type: "read"; environment: string }
  | { type: "backup"; environment: string; path: string }
  | { type: "request"; environment: string; operation: Operation; description: string }
  | { type: "operation"; environment: string; operation: Operation; done: number; total: number };

export interface ApplyTargetOptions {
  stateDir: StateDir;
  /** What was read from the target moments ago in this same process (sync); otherwise it is read here. */
  snapshot?: Snapshot;
  onEvent?: (event: ApplyEvent) => void;
}

export interface ApplyTargetResult {
  environment: string;
  status: "applied" | "resumed" | "nothing to do" | "already applied";
  operations: Array<{ id: string; action: Operation["action"]; workflow: string }>;
  backup: string | undefined;
  journal: string;
  stats: ReturnType<Environment["stats"]>;
}

/** One target's apply as it goes: what every step of it needs. */
interface TargetApply {
  plan: Plan;
  target: TargetPlan;
  environment: Environment;
  snapshot: Snapshot;
  /** The plan's desired workflows that its operations write. */
  desired: Workflow[];
  /** The command that makes a new plan for this target, for refusals. */
  replan: string;
  journalPath: string;
  emit: (event: ApplyEvent) => void;
}

export async function applyTarget(
  plan: Plan,
  target: TargetPlan,
  environment: Environment,
  options: ApplyTargetOptions,
): Promise<ApplyTargetResult> {
  const emit = options.onEvent ?? (() => {});
  const unlock = await options.stateDir.lock(environment.name);
  try {
    emit({ type: "read", environment: environment.name });
    const snapshot = options.snapshot ?? (await environment.read());
    const journalPath = await options.stateDir.journalPath(plan.id, environment.name);
    const previous = await readJournal(journalPath);
    const sources = new Set(target.operations.map((operation) => operation.source ?? operation.workflow));
    const run: TargetApply = {
      plan,
      target,
      environment,
      snapshot,
      desired: target.desired.filter((workflow) => sources.has(workflow.key)),
      replan: replanCommand(plan, target),
      journalPath,
      emit,
    };
    if (previous?.finishedAt) return alreadyApplied(run, previous, previous.finishedAt);
    const { operations, journal } = previous
      ? { operations: await resumedOperations(run, previous), journal: previous }
      : await startApply(run, options.stateDir);
    // Each write from here on checks that what it replaces is still as in `snapshot` (which was
    // just checked against the plan).
    environment.guardWrites?.(snapshot);
    // Refused before the first write: what the vendor would refuse half-way (content moved since the plan).
    await environment.preflight?.(
      operations.flatMap((operation) => operation.requests),
      snapshot,
    );
    // The journal is first saved with the first request's in-flight record (or when the apply ends).
    const save = journalWriter(journalPath, journal);
    const carried = previous ? carriedInFlight(run, previous, operations) : [];
    await writeOperations(run, operations, { journal, save, carried });
    if (operations.length > 0) await verifyWritten(run);
    journal.finishedAt = new Date().toISOString();
    await save();
    return {
      environment: environment.name,
      status: operations.length === 0 ? "nothing to do" : previous ? "resumed" : "applied",
      operations: operations.map((operation) => ({
        id: operation.id,
        action: operation.action,
        workflow: operation.workflow,
      })),
      backup: journal.backup || undefined,
      journal: journalPath,
      stats: environment.stats(),
    };
  } finally {
    await unlock();
  }
}

/** A finished plan is finished: nothing is resumed, nothing is written (refused if its result changed since). */
function alreadyApplied(run: TargetApply, previous: Journal, finishedAt: string): ApplyTargetResult {
  const { environment } = run;
  const changed = notAsWritten(run.target.operations, run.desired, environment, run.snapshot);
  if (changed.length > 0) {
    throw new RefusedError(
      "stale_plan",
      `${environment.name}: this plan was applied (finished ${finishedAt}), and since then ${changed.join(", ")} changed; nothing was written`,
      {
        suggestions: [`make a new plan: ${run.replan}`],
        details: { changed, finishedAt },
      },
    );
  }
  return {
    environment: environment.name,
    status: "already applied",
    operations: [],
    backup: previous.backup || undefined,
    journal: run.journalPath,
    stats: environment.stats(),
  };
}

/**
 * An interrupted apply: what is left, re-planned from the plan's desired workflows, once the target
 * is checked to hold what this apply wrote and, elsewhere, what the plan saw.
 */
async function resumedOperations(run: TargetApply, previous: Journal): Promise<Operation[]> {
  const { target, environment, snapshot, desired } = run;
  const planned = new Set(target.operations.map((operation) => operation.workflow));
  const lostToPlan = await ownScopeChanges(previous, desired, environment, snapshot);
  const drifted = changedSincePlan(target, snapshot).filter(
    (key) => !planned.has(key) && !lostToPlan.has(key),
  );
  if (drifted.length > 0) {
    throw new RefusedError(
      "drift",
      `${environment.name} changed outside this plan since it was made (${drifted.join(", ")}); nothing was written`,
      { suggestions: [`make a new plan: ${run.replan}`], details: { drifted } },
    );
  }
  refuseChangedSinceStopped(run, previous, lostToPlan);
  const replanned = planTarget(desired, environment, snapshot, { prune: false, sourceReadOnly: [] });
  const operations = replanned.operations.filter((operation) => planned.has(operation.workflow));
  const now = new Set(snapshot.workflows.map((workflow) => workflow.key));
  for (const operation of target.operations) {
    if (operation.action !== "delete" || !now.has(operation.workflow)) continue;
    const current = snapshot.workflows.find((workflow) => workflow.key === operation.workflow)!;
    operations.push({ ...operation, requests: environment.planDelete(current, snapshot) });
  }
  return operations;
}

/**
 * Resume only when what this apply wrote still holds what it wrote, and what it did not write yet
 * is still as the plan saw it. An operation with a request in flight when it stopped may have
 * landed or not: it is held to neither (re-planned from what its workflow holds now).
 */
function refuseChangedSinceStopped(
  run: TargetApply,
  previous: Journal,
  lostToPlan: ReadonlySet<string>,
): void {
  const { target, environment, snapshot } = run;
  const completed = new Set(previous.completed);
  const inflight = new Set(previous.inflight.map((record) => record.operation));
  const changed = [
    ...notAsWritten(
      target.operations.filter((operation) => completed.has(operation.id)),
      run.desired,
      environment,
      snapshot,
    ),
    ...target.operations
      .filter((operation) => !completed.has(operation.id) && !inflight.has(operation.id))
      .filter((operation) => !asPlanned(operation, target, snapshot, lostToPlan))
      .map((operation) => operation.workflow),
  ];
  if (changed.length > 0) {
    throw new RefusedError(
      "stale_plan",
      `${environment.name} changed since this plan was partly applied (${[...new Set(changed)].sort().join(", ")}); nothing more was written`,
      { suggestions: [`make a new plan: ${run.replan}`], details: { changed: [...new Set(changed)].sort() } },
    );
  }
}

/** A first apply: the target must be as planned; it is backed up before the first write, and a journal opened. */
async function startApply(
  run: TargetApply,
  stateDir: StateDir,
): Promise<{ operations: Operation[]; journal: Journal }> {
  const { plan, target, environment, snapshot } = run;
  if (fingerprint(snapshot.workflows) !== target.fingerprint) {
    const changed = changedSincePlan(target, snapshot);
    throw new RefusedError(
      "stale_plan",
      `${environment.name} changed since the plan was made (${changed.join(", ") || "workflows"}); nothing was written`,
      {
        suggestions: [`make a new plan: ${run.replan}`],
        details: { changed },
      },
    );
  }
  const operations = target.operations;
  const backupPath = await stateDir.backupPath(environment.name, plan.id);
  if (operations.length > 0) {
    await writeAtomic(
      backupPath,
      `${JSON.stringify(createBackup(environment, snapshot, target.fingerprint), null, 2)}\n`,
    );
    run.emit({ type: "backup", environment: environment.name, path: backupPath });
  }
  const journal: Journal = {
    formatVersion: 2,
    planId: plan.id,
    environment: environment.name,
    startedAt: new Date().toISOString(),
    backup: operations.length > 0 ? backupPath : "",
    completed: [],
    inflight: [],
  };
  return { operations, journal };
}

/**
 * Saves of the journal. Operations run side by side: saves run one after another, each writing the
 * journal as it is when the write starts. Callers that ask while one is waiting to start share it
 * (it will hold their change).
 */
function journalWriter(path: string, journal: Journal): () => Promise<void> {
  let writing: Promise<void> = Promise.resolve();
  let waiting: Promise<void> | undefined;
  return () => {
    waiting ??= writing
      .catch(() => {})
      .then(() => {
        waiting = undefined;
        // Compact: it is saved before every request (a person reads it with `jq`).
        writing = writeAtomic(path, `${JSON.stringify(journal)}\n`);
        return writing;
      });
    return waiting;
  };
}

/**
 * A resumed apply: what became of the operations the interrupted one had in flight. Those whose
 * workflow needs nothing more (the re-plan has no operation for it: the write landed) are
 * completed; the others stay named as in flight until the operation that now writes their
 * workflow completes (if this apply stops too, the next resume still holds them to neither).
 */
function carriedInFlight(run: TargetApply, previous: Journal, operations: readonly Operation[]): InFlight[] {
  const workflowOf = new Map(run.target.operations.map((operation) => [operation.id, operation.workflow]));
  const rewritten = new Set(operations.map((operation) => operation.workflow));
  const carried: InFlight[] = [];
  for (const record of previous.inflight) {
    const workflow = workflowOf.get(record.operation);
    if (workflow !== undefined && rewritten.has(workflow)) carried.push(record);
    else if (!previous.completed.includes(record.operation)) previous.completed.push(record.operation);
  }
  return carried;
}

interface JournalWrites {
  journal: Journal;
  save: () => Promise<void>;
  /** In-flight records of the interrupted apply this one resumes (`carriedInFlight`). */
  carried: readonly InFlight[];
}

/**
 * The writes. Before each request is sent, the journal on disk names it in flight, with every
 * other request in flight. An operation's completion is not saved on its own: it goes with the
 * next save (the next request's, or the one after the last write), and until then the journal
 * still names the operation in flight, which a resume treats as "may have landed or not" (never
 * refused as stale, never assumed done). So a sequential apply saves once per request.
 */
async function writeOperations(
  run: TargetApply,
  operations: Operation[],
  { journal, save, carried }: JournalWrites,
): Promise<void> {
  const { environment, emit } = run;
  let done = 0;
  const inflight = new Map<string, number>();
  const completed = new Set(journal.completed);
  const carriedByWorkflow = Map.groupBy(
    carried,
    (record) => run.target.operations.find((operation) => operation.id === record.operation)!.workflow,
  );
  const record = () => {
    journal.completed = [...completed];
    journal.inflight = [
      // (an operation re-planned under the same id is named once, by its request in flight now)
      ...[...carriedByWorkflow.values()].flat().filter((earlier) => !inflight.has(earlier.operation)),
      ...[...inflight].map(([operation, request]) => ({ operation, request })),
    ];
  };
  const write = async (operation: Operation) => {
    for (const [index, request] of operation.requests.entries()) {
      inflight.set(operation.id, index);
      record();
      await save();
      emit({ type: "request", environment: environment.name, operation, description: request.description });
      try {
        await environment.execute(request);
      } catch (error) {
        // Refused (it found the workflow changed by someone else): this request did not land, and a
        // resume holds the workflow to what the plan saw, so it refuses the plan as stale.
        if (error instanceof StaleWriteError) inflight.delete(operation.id);
        throw writeFailure(run, error, { done, total: operations.length, backup: journal.backup });
      }
    }
    inflight.delete(operation.id);
    completed.add(operation.id);
    for (const earlier of carriedByWorkflow.get(operation.workflow) ?? []) completed.add(earlier.operation);
    carriedByWorkflow.delete(operation.workflow);
    done++;
    emit({ type: "operation", environment: environment.name, operation, done, total: operations.length });
  };
  if (operations.length === 0) return;
  try {
    await runOperations(operations, environment.writeConcurrency ?? 1, write);
  } catch (error) {
    record();
    await save().catch(() => {}); // the write's failure is what the user needs to hear of
    throw error;
  }
  // Before the read-back: a resume after a failed read-back holds these to what they wrote.
  record();
  await save();
}

/** A write that failed, as the user is told: a refused stale write (exit 4), an unknown outcome, or as thrown. */
function writeFailure(
  run: TargetApply,
  error: unknown,
  progress: { done: number; total: number; backup: string },
): unknown {
  const { environment, journalPath } = run;
  const { done, total } = progress;
  if (error instanceof StaleWriteError) {
    return new RefusedError(
      error.code,
      `${environment.name}: ${error.message}. Stopped: ${done} of ${total} operation(s) were written before it, nothing more was written`,
      {
        suggestions: [
          `make a new plan from what ${environment.name} holds now: ${run.replan}`,
          `the backup taken before the first write: ${progress.backup || "(none)"}`,
        ],
        details: { workflow: error.workflow, done, total, journal: journalPath },
      },
    );
  }
  if (error instanceof UnknownWriteOutcomeError) {
    return new CliError(
      "write_outcome_unknown",
      `${environment.name}: ${error.message}; ${done} of ${total} operation(s) were written`,
      {
        suggestions: [
          "apply the same plan again to resume (workflow-sync apply <plan.json>): it re-reads the target first and refuses if anyone else changed it",
        ],
        details: { workflow: error.workflow, done, total, journal: journalPath },
        cause: error,
      },
    );
  }
  return error;
}

/**
 * Read back: every workflow of the plan holds what the plan wanted (a write that landed late, or
 * another writer between our check and our write, shows here).
 */
async function verifyWritten(run: TargetApply): Promise<void> {
  const { plan, target, environment } = run;
  const after = await environment.read();
  const wrong = notAsWritten(target.operations, run.desired, environment, after);
  if (wrong.length > 0) {
    throw new CliError(
      "verify_failed",
      `${environment.name}: after the writes, ${wrong.join(", ")} do(es) not hold what the plan wanted (another writer, or a write that landed late); the journal stays open`,
      {
        suggestions: [
          `look at it: workflow-sync diff ${plan.source.environment} ${environment.name}`,
          "apply the same plan again to resume: it refuses if anyone else changed what it wrote",
        ],
        details: { workflows: wrong, journal: run.journalPath },
      },
    );
  }
}

/** The command that makes a new plan for this target (as the plan was made). */
function replanCommand(plan: Plan, target: TargetPlan): string {
  const flags = [
    ...(plan.options.prune ? ["--prune"] : []),
    ...(plan.options.acceptLoss ? ["--accept-loss"] : []),
    ...(plan.options.map ? ["--map", plan.options.map] : []),
  ];
  return [
    "workflow-sync plan",
    plan.source.environment,
    target.environment,
    "--out plan.json",
    ...flags,
  ].join(" ");
}

/**
 * The workflows of `operations` that do not hold what the plan wanted in `snapshot`, sorted: a
 * create or update whose workflow differs from the desired one as the environment would hold it
 * (the planner's "nothing to change" relation), a delete whose workflow is still there.
 */
function notAsWritten(
  operations: readonly Operation[],
  desired: readonly Workflow[],
  environment: Environment,
  snapshot: Snapshot,
): string[] {
  const wrong = operations.filter((operation) => {
    const existing = snapshot.workflows.find((workflow) => workflow.key === operation.workflow);
    if (operation.action === "delete") return existing !== undefined;
    const wanted = desired.find((workflow) => workflow.key === (operation.source ?? operation.workflow));
    // No desired workflow: an operation that only gives a read-only workflow its content types
    // back (restore), checked by restore's own fingerprint comparison.
    if (!wanted) return false;
    if (!existing) return true;
    try {
      const projected = environment.project(wanted, snapshot).value;
      const differs =
        diffWorkflow(existing, projected, { extensions: "shared" }).length > 0 ||
        Boolean(environment.incomplete?.(existing, snapshot));
      // What differs but would not be written (e.g. role grants that a Contensis environment with
      // `roleGrants: report` only reports) is not a failed write: the planner's own relation decides.
      return differs && environment.planUpdate(wanted, existing, snapshot).value.length > 0;
    } catch {
      return true; // it cannot even be projected any more (a role or content type went away)
    }
  });
  return [...new Set(wrong.map((operation) => operation.workflow))].sort();
}

/** Whether the workflow of a not-yet-written operation is still as the plan saw it. */
function asPlanned(
  operation: Operation,
  target: TargetPlan,
  snapshot: Snapshot,
  lostToPlan: ReadonlySet<string>,
): boolean {
  const existing = snapshot.workflows.find((workflow) => workflow.key === operation.workflow);
  const seen = target.workflows[operation.workflow];
  if (seen === undefined) return existing === undefined;
  return existing !== undefined && (fingerprint(existing) === seen || lostToPlan.has(operation.workflow));
}

/** Keys of the workflows added, removed or changed in the target since the plan was made, sorted. */
function changedSincePlan(target: TargetPlan, snapshot: Snapshot): string[] {
  const now = new Map(snapshot.workflows.map((workflow) => [workflow.key, fingerprint(workflow)]));
  const keys = new Set([...now.keys(), ...Object.keys(target.workflows)]);
  return [...keys].filter((key) => now.get(key) !== target.workflows[key]).sort();
}

/**
 * Workflows outside the plan whose only change since the backup is that they lost content types
 * the plan's workflows take: our own writes, not drift. (Contensis gives each content type one
 * workflow, so assigning it to a planned workflow takes it from the one that had it.)
 */
async function ownScopeChanges(
  journal: Journal,
  desired: readonly Workflow[],
  environment: Environment,
  snapshot: Snapshot,
): Promise<Set<string>> {
  const backup = journal.backup
    ? await readFile(journal.backup, "utf8")
        .then((text) => JSON.parse(text) as { workflows?: Workflow[] })
        .catch(() => undefined)
    : undefined;
  if (!Array.isArray(backup?.workflows)) return new Set();
  const taken = new Set(
    desired.flatMap((workflow) => environment.project(workflow, snapshot).value.scope.contentTypes),
  );
  const before = new Map(backup.workflows.map((workflow) => [workflow.key, workflow]));
  const own = new Set<string>();
  for (const workflow of snapshot.workflows) {
    const was = before.get(workflow.key);
    if (!was) continue;
    const types = workflow.scope.contentTypes;
    const lost = was.scope.contentTypes.filter((type) => !types.includes(type));
    if (lost.length === 0 || !lost.every((type) => taken.has(type))) continue;
    if (!types.every((type) => was.scope.contentTypes.includes(type))) continue;
    const expected = { ...was, scope: { ...was.scope, contentTypes: types } };
    if (fingerprint(expected) === fingerprint(workflow)) own.add(workflow.key);
  }
  return own;
}

async function readJournal(path: string): Promise<Journal | undefined> {
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      "invalid_journal",
      `${path}: not a journal (${(error as Error).message}); nothing was written`,
      {
        suggestions: [
          "move the file away to apply the plan from the start (a changed target is then refused)",
        ],
      },
    );
  }
  const parsed = Journal.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
