import type { Context } from "../context.ts";
import type { ApplyEvent } from "./apply.ts";
import type { Plan } from "./plan-format.ts";

/*
 * Ctrl-C during an apply: say what was written (per target, the operations done and the backup)
 * and how to go on, then stop. The journal of each target already records every finished request,
 * so running the same apply again resumes where this one stopped.
 */

export class InterruptWatch {
  readonly #ctx: Context;
  readonly #plan: Plan;
  readonly #resume: string;
  readonly #done = new Map<string, string[]>();
  /** Operations with a request sent and not finished, by environment (several when writes overlap). */
  readonly #underWay = new Map<string, Map<string, string>>();
  readonly #backups = new Map<string, string>();
  readonly #onSignal = () => this.#interrupted();

  constructor(ctx: Context, plan: Plan, resume: string) {
    this.#ctx = ctx;
    this.#plan = plan;
    this.#resume = resume;
    // Only the real process has signals to watch; tests running commands in-process do not.
    if (ctx.io.stderr === process.stderr) process.once("SIGINT", this.#onSignal);
  }

  on(event: ApplyEvent): void {
    if (event.type === "backup") this.#backups.set(event.environment, event.path);
    if (event.type === "request") {
      const underWay = this.#underWay.get(event.environment) ?? new Map<string, string>();
      underWay.set(event.operation.id, `${event.operation.action} ${event.operation.workflow}`);
      this.#underWay.set(event.environment, underWay);
    }
    if (event.type === "operation") {
      this.#underWay.get(event.environment)?.delete(event.operation.id);
      const list = this.#done.get(event.environment) ?? [];
      list.push(`${event.operation.action} ${event.operation.workflow}`);
      this.#done.set(event.environment, list);
    }
  }

  /** What to print on an interruption. */
  message(): string {
    const lines = ["", "interrupted: stopping now. What was written:"];
    for (const target of this.#plan.targets) {
      const done = this.#done.get(target.environment) ?? [];
      const underWay = [...(this.#underWay.get(target.environment)?.values() ?? [])];
      lines.push(
        `  ${target.environment}: ${done.length} of ${target.operations.length} operation(s) written` +
          (done.length ? ` (${done.join(", ")})` : "") +
          (underWay.length ? `; under way, may have landed: ${underWay.join(", ")}` : ""),
      );
      const backup = this.#backups.get(target.environment);
      if (backup)
        lines.push(
          `    backup: ${backup} (restore with: workflow-sync restore ${backup} --to ${target.environment})`,
        );
    }
    lines.push(`To finish, resume (the journal skips what is done): ${this.#resume}`);
    return lines.join("\n");
  }

  #interrupted(): void {
    this.#ctx.err(this.message());
    process.exit(130);
  }

  stop(): void {
    process.removeListener("SIGINT", this.#onSignal);
  }
}
