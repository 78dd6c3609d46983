import type { Context } from "../context.ts";
import type { Environment } from "../environments/types.ts";
import type { ApplyEvent } from "./apply.ts";
import type { Plan } from "./plan-format.ts";

/**
 * Progress of an apply on stderr: a live line on a terminal (operations done / total, requests,
 * rate-limit waits), plain lines otherwise, nothing with --json.
 */
export class ProgressReporter {
  readonly #ctx: Context;
  readonly #live: boolean;
  readonly #totals = new Map<string, number>();
  readonly #done = new Map<string, number>();
  #lastLength = 0;

  constructor(ctx: Context, plan: Plan) {
    this.#ctx = ctx;
    this.#live = !ctx.json && Boolean(ctx.io.stderr.isTTY);
    for (const target of plan.targets) this.#totals.set(target.environment, target.operations.length);
  }

  on(event: ApplyEvent, environments: Map<string, Environment>): void {
    if (this.#ctx.json) return;
    if (event.type === "backup") {
      this.#print(`${event.environment}: backup written to ${event.path}`);
      return;
    }
    if (event.type === "operation") {
      this.#done.set(event.environment, event.done);
      this.#totals.set(event.environment, event.total);
      if (!this.#live) {
        this.#print(
          `${event.environment}: ${event.operation.action} ${event.operation.workflow} (${event.done}/${event.total})`,
        );
      }
    }
    if (event.type === "request") this.#ctx.debug(`${event.environment}: ${event.description}`);
    if (this.#live) this.#render(environments);
  }

  #render(environments: Map<string, Environment>): void {
    const parts = [...this.#totals].map(([name, total]) => {
      const stats = environments.get(name)?.stats();
      const waits = stats && stats.throttled > 0 ? ` · ${stats.throttled} rate-limit waits` : "";
      return `${name} ${this.#done.get(name) ?? 0}/${total} ops · ${stats?.requests ?? 0} requests${waits}`;
    });
    const line = parts.join("  |  ");
    this.#ctx.io.stderr.write(`\r${line.padEnd(this.#lastLength)}`);
    this.#lastLength = line.length;
  }

  #print(line: string): void {
    if (this.#live && this.#lastLength > 0) {
      this.#ctx.io.stderr.write(`\r${" ".repeat(this.#lastLength)}\r`);
      this.#lastLength = 0;
    }
    this.#ctx.err(line);
  }

  stop(): void {
    if (this.#live && this.#lastLength > 0) this.#ctx.io.stderr.write("\n");
    this.#lastLength = 0;
  }
}
