import type { Issue, Loss, Workflow } from "@workflow-sync/core";
import type { Context } from "../context.ts";
import { configOf, isEnvironmentName, openEnvironment } from "../environments/resolve.ts";
import type { Environment, EnvironmentVendor, Snapshot } from "../environments/types.ts";
import { CliError } from "../errors.ts";
import type { LoadedDocument } from "./documents.ts";
import type { LocatedIssue } from "./files.ts";

/*
 * A source is read on the way to a run's first request. Reading workflow files needs core's schemas
 * (zod): sources/files.ts is loaded only when the source is a file or a folder, so that reading an
 * environment sends its requests first (docs/performance.md, "Start-up").
 */

/** Workflows read from a source, with where each came from. */
export interface LoadedSource {
  /** What the user typed: a path or an environment name. */
  label: string;
  vendor: EnvironmentVendor;
  workflows: Workflow[];
  /** Keys of workflows that cannot be written where they come from (system definitions). */
  readOnly: string[];
  /** Losses met while reading (vendor data the neutral model could not hold). */
  losses: Loss[];
  /** For files: the file (and its parsed document, to locate issues) of each workflow key. */
  origins: Map<string, { file: string; document?: LoadedDocument | undefined }>;
  /** Problems met while reading (parse issues). Semantic checks are the caller's. */
  issues: LocatedIssue[];
  /** For environments: the environment and what was read. */
  environment?: Environment;
  snapshot?: Snapshot;
}

/** What a caller of loadSource may learn on the way. */
export interface LoadHooks {
  /** Called once an environment's read has been started (its requests sent). */
  onReadStarted?: () => void;
}

/** Read a source given on the command line: an environment of the config, a file or a folder. */
export async function loadSource(ctx: Context, spec: string, hooks: LoadHooks = {}): Promise<LoadedSource> {
  if (await isEnvironmentName(ctx, spec)) {
    const environment = await openEnvironment(ctx, spec);
    ctx.debug(`reading ${spec} (${environment.vendor} ${environment.label})`);
    const reading = environment.read();
    hooks.onReadStarted?.();
    const snapshot = await reading;
    // A fingerprint costs a canonical form and a hash of every workflow: only for --verbose.
    if (ctx.verbose) {
      const { fingerprint } = await import("@workflow-sync/core");
      ctx.debug(
        `${spec}: ${snapshot.workflows.length} workflows, fingerprint ${fingerprint(snapshot.workflows).slice(0, 12)}`,
      );
    }
    return {
      label: spec,
      vendor: environment.vendor,
      workflows: snapshot.workflows,
      readOnly: snapshot.readOnly,
      losses: snapshot.losses,
      origins: new Map(),
      issues: [],
      environment,
      snapshot,
    };
  }
  const { readWorkflowFiles } = await import("./files.ts");
  const files = await readWorkflowFiles(spec, ctx.io.cwd, ctx.locale ? { locale: ctx.locale } : {}).catch(
    async (error: unknown) => {
      // A bare word that is neither a path nor an environment: name both possibilities.
      if (error instanceof CliError && error.code === "source_not_found" && !/[\\/.]/.test(spec)) {
        const loaded = await configOf(ctx);
        const known = Object.keys(loaded.config.environments);
        throw new CliError(
          "source_not_found",
          `${spec}: no environment of that name and no such file or folder`,
          {
            suggestions: known.length
              ? [`environments: ${known.join(", ")}`]
              : ["create workflow-sync.config.yaml (see the README)"],
          },
        );
      }
      throw error;
    },
  );
  const origins: LoadedSource["origins"] = new Map();
  for (const entry of files.files)
    origins.set(entry.workflow.key, { file: entry.file, document: entry.document });
  return {
    label: spec,
    vendor: "files",
    workflows: files.files.map((entry) => entry.workflow),
    readOnly: [],
    losses: files.losses,
    origins,
    issues: files.issues,
  };
}

/** A source that must be free of errors (diff, graph, plan): else one CliError listing every issue. */
export async function loadValidSource(
  ctx: Context,
  spec: string,
  hooks: LoadHooks = {},
): Promise<LoadedSource> {
  const source = await loadSource(ctx, spec, hooks);
  const errors = source.issues.filter((issue: Issue) => issue.severity === "error");
  if (errors.length > 0) {
    const { formatLocatedIssue } = await import("./files.ts");
    throw new CliError(
      "invalid_workflow",
      `${spec}: ${errors.length} problem${errors.length === 1 ? "" : "s"}:\n${errors.map((issue) => `  ${formatLocatedIssue(issue)}`).join("\n")}`,
      { details: { issues: errors }, suggestions: [`workflow-sync validate ${spec}`] },
    );
  }
  return source;
}
