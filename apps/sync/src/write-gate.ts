import { CliError, RefusedError } from "./errors.ts";
import { ExitCode } from "./exit-codes.ts";
import type { Io } from "./io.ts";

/*
 * The one gate every write to an environment passes (docs/reliability.md): a protected environment
 * needs `--confirm-env NAME`; otherwise the person is asked, or `--yes` says yes in advance;
 * `--json` never asks and refuses without `--yes`.
 *
 * It is enforced where writes happen, not where commands remember to ask: the registry declares
 * which commands write (`CommandSpec.writes`), main gives each run one gate built from that
 * declaration and the flags, and every environment opened for the run holds the gate and asks it
 * for the environment's approval before each write request (`assertApproved`). A command that
 * never called `approve` therefore cannot write, and a command that is not declared as writing
 * cannot be approved at all.
 */

/** What a command writes: environments of the config (gated), or an output folder of its own (export). */
export type WriteKind = "environments" | "output";

/** Anything the gate approves: an environment, named and maybe protected. */
export interface Gated {
  readonly name: string;
  readonly protected: boolean;
}

export interface WriteGateOptions {
  command: string;
  /** From the registry; undefined: the command writes nothing. */
  kind: WriteKind | undefined;
  yes: boolean;
  confirmEnv: readonly string[];
  json: boolean;
  prompt: Io["prompt"];
}

export class WriteGate {
  readonly #options: WriteGateOptions;
  /** Approved environments, by identity: a second object of the same name is not approved by the first. */
  readonly #approved = new WeakSet<Gated>();

  constructor(options: WriteGateOptions) {
    this.#options = options;
  }

  /**
   * Ask once for every target that is about to be written (`writes` > 0): refuses a protected one
   * without `--confirm-env` (exit 4), then asks (or takes `--yes`; `--json` refuses, exit 4; "no"
   * aborts, exit 3). Targets already approved in this run are not asked again.
   */
  async approve(
    targets: ReadonlyArray<{ environment: Gated; writes: number }>,
    action: string,
  ): Promise<void> {
    const { command, kind, yes, confirmEnv, json, prompt } = this.#options;
    const pending = targets.filter((target) => target.writes > 0 && !this.#approved.has(target.environment));
    if (pending.length === 0) return;
    if (kind !== "environments") {
      throw new CliError(
        "write_not_declared",
        `${command} is not a command that writes to environments; nothing was written`,
      );
    }
    for (const { environment } of pending) {
      if (environment.protected && !confirmEnv.includes(environment.name)) {
        throw new RefusedError(
          "protected_environment",
          `${environment.name} is protected: confirm with --confirm-env ${environment.name}; nothing was written`,
          { suggestions: [`workflow-sync ${command} … --confirm-env ${environment.name}`] },
        );
      }
    }
    if (!yes) {
      if (json) {
        throw new RefusedError("confirmation_required", `--json never prompts: add --yes to ${command}`, {});
      }
      if (!prompt) {
        throw new RefusedError(
          "confirmation_required",
          `no terminal to ask for confirmation: add --yes to ${command}`,
          {},
        );
      }
      const answer = await prompt(`${action}? Only "yes" proceeds: `);
      if ((answer ?? "").trim().toLowerCase() !== "yes") {
        throw new CliError("aborted", "aborted at the prompt; nothing was written", {
          exitCode: ExitCode.aborted,
        });
      }
    }
    for (const { environment } of pending) this.#approved.add(environment);
  }

  /** `export`: its own output folder (never a protected environment) is approved without a question. */
  approveOutput(folder: Gated): void {
    if (this.#options.kind !== "output" || folder.protected) {
      throw new CliError(
        "write_not_declared",
        `${this.#options.command} cannot write to ${folder.name} without confirmation; nothing was written`,
      );
    }
    this.#approved.add(folder);
  }

  /** Called by an environment before each write request: no approval, no write. */
  assertApproved(environment: Gated): void {
    if (!this.#approved.has(environment)) {
      throw new CliError(
        "write_not_approved",
        `${environment.name}: ${this.#options.command} tried to write without passing the write gate; nothing was written`,
      );
    }
  }
}
