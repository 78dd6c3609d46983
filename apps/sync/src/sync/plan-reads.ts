import { requestsWritten } from "@workflow-sync/http";
import type { Context } from "../context.ts";
import { openTarget } from "../environments/resolve.ts";
import type { Environment, Snapshot } from "../environments/types.ts";
import { workflowPatterns } from "../review/select.ts";
import { type LoadedSource, loadValidSource } from "../sources/source.ts";
import type { PlanOptions } from "./orchestrate.ts";

/*
 * The reads a plan starts from (its source and every target), started before the code that plans
 * is loaded: `sync` and `plan` start them, then load the planner, the diff and the apply code while
 * the answers are on their way (docs/performance.md, "Start-up"). This module imports only what
 * opening and reading an environment needs.
 */

/** Targets: `--to a,b` or several arguments. */
export function splitTargets(specs: readonly string[]): string[] {
  const targets = specs
    .flatMap((spec) => spec.split(","))
    .map((spec) => spec.trim())
    .filter(Boolean);
  return [...new Set(targets)];
}

/** The plan options `plan` and `sync` take from their flags. */
export function planOptionsOf(flags: Readonly<Record<string, unknown>>): PlanOptions {
  return {
    prune: Boolean(flags.prune),
    acceptLoss: Boolean(flags["accept-loss"]),
    allowEmptySource: Boolean(flags["allow-empty-source"]),
    ...(typeof flags.map === "string" ? { map: flags.map } : {}),
    workflows: workflowPatterns(flags.workflow),
  };
}

export interface PlanReads {
  source: Promise<LoadedSource>;
  targets: Promise<Array<{ environment: Environment; snapshot: Snapshot }>>;
  /** Settles once every read has been sent (or has failed before it could be): time to load more. */
  sent: Promise<void>;
}

/**
 * Opens the source and every target and starts reading them, side by side: each environment has
 * its own rate budget. Nothing is awaited here; a failure surfaces where `source` or `targets` is
 * awaited (in makePlan, as before), never as an unhandled rejection while other code loads.
 */
export function startPlanReads(ctx: Context, fromSpec: string, targetSpecs: readonly string[]): PlanReads {
  const opened = targetSpecs.map(async (spec) => {
    const environment = await openTarget(ctx, spec);
    const snapshot = environment.read();
    snapshot.catch(() => {}); // handled where `targets` is awaited
    return { environment, snapshot };
  });
  const targets = Promise.all(
    opened.map(async (open) => {
      const { environment, snapshot } = await open;
      return { environment, snapshot: await snapshot };
    }),
  );
  let sourceSent: () => void = () => {};
  const sourceStarted = new Promise<void>((resolve) => {
    sourceSent = resolve;
  });
  const source = loadValidSource(ctx, fromSpec, { onReadStarted: sourceSent });
  // Handled here (awaited later): a read that fails while the planning code loads is not "unhandled".
  targets.catch(() => {});
  source.catch(() => {});
  const sent = Promise.allSettled([
    ...opened,
    Promise.race([
      sourceStarted,
      source.then(
        () => undefined,
        () => undefined,
      ),
    ]),
  ])
    // Written, not only started: `import()` reads and compiles the planner before it returns, and
    // would hold back a request whose connection is still opening.
    .then(requestsWritten);
  return { source, targets, sent };
}
