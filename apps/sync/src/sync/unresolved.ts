import { type Loss, UnresolvedReferencesError, type Workflow } from "@workflow-sync/core";
import type { Environment, Snapshot } from "../environments/types.ts";
import { CliError } from "../errors.ts";

/*
 * Names the target lacks (roles, content types, collections, states): gathered over every workflow
 * and every kind, then reported once with the `--map` lines that would fix them. `diff` and `plan`
 * both go through `projectAll`, so they never disagree about what is missing.
 */

type Kind = UnresolvedReferencesError["kind"];
const MAP_KEY: Record<Kind, string> = {
  role: "roles",
  contentType: "contentTypes",
  collection: "collections",
  state: "states",
};
const ORDER: Kind[] = ["role", "contentType", "collection", "state"];

export class UnresolvedNames {
  readonly #names = new Map<Kind, Set<string>>();

  /** Take the names of an unresolved-references error (every kind it carries); false for other errors. */
  collect(error: unknown): boolean {
    if (!(error instanceof UnresolvedReferencesError)) return false;
    // An adapter may report every kind at once (`all`), or one kind per error.
    const all = (error as UnresolvedReferencesError & { all?: Partial<Record<Kind, readonly string[]>> }).all;
    const kinds = all ?? { [error.kind]: error.names };
    for (const kind of ORDER) {
      const names = kinds[kind];
      if (!names?.length) continue;
      const set = this.#names.get(kind) ?? new Set<string>();
      for (const name of names) set.add(name);
      this.#names.set(kind, set);
    }
    return true;
  }

  get size(): number {
    return this.#names.size;
  }

  /** One error listing every missing name of every kind, and the `--map` lines that would fix them. */
  error(environment: string): CliError {
    const kinds = ORDER.filter((kind) => this.#names.has(kind));
    const sorted = Object.fromEntries(kinds.map((kind) => [kind, [...(this.#names.get(kind) ?? [])].sort()]));
    const lines = kinds.map((kind) => `  ${kind}: ${sorted[kind]!.join(", ")}`);
    const mapLines = kinds.flatMap((kind) => [
      `  ${MAP_KEY[kind]}:`,
      ...sorted[kind]!.map(
        (name) =>
          `    ${JSON.stringify(name)}: <the ${kind === "contentType" ? "content type" : kind} in ${environment}>`,
      ),
    ]);
    return new CliError(
      "unresolved_references",
      `${environment}: names that do not exist there (nothing was planned):\n${lines.join("\n")}`,
      {
        details: { unresolved: Object.fromEntries(kinds.map((kind) => [kind, sorted[kind]])) },
        suggestions: [
          "create them in the target, or rename them with --map mapping.yaml, for example:",
          ...mapLines,
        ],
      },
    );
  }
}

/**
 * Every desired workflow in the target's terms, with its losses. Names the target lacks are
 * gathered over all workflows and all kinds and thrown as one error at the end.
 */
export function projectAll(
  desired: readonly Workflow[],
  environment: Environment,
  snapshot: Snapshot,
): { workflows: Workflow[]; losses: Array<Loss & { workflow: string }> } {
  const unresolved = new UnresolvedNames();
  const workflows: Workflow[] = [];
  const losses: Array<Loss & { workflow: string }> = [];
  for (const workflow of desired) {
    try {
      const projected = environment.project(workflow, snapshot);
      workflows.push(projected.value);
      losses.push(...projected.losses.map((loss) => ({ ...loss, workflow: workflow.key })));
    } catch (error) {
      if (!unresolved.collect(error)) throw error;
    }
  }
  if (unresolved.size > 0) throw unresolved.error(environment.name);
  return { workflows, losses };
}
