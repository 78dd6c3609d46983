import { describe, expect, it } from "vitest";
import type { Context } from "../context.ts";
import { InterruptWatch } from "./interrupt.ts";
import type { Operation, Plan } from "./plan-format.ts";

/* What Ctrl-C prints while writes overlap: what was written, and every operation still under way. */

const operation = (workflow: string, action: Operation["action"] = "update") =>
  ({ id: `${workflow}:${action}`, action, workflow, changes: [], requests: [] }) as unknown as Operation;

describe("InterruptWatch", () => {
  it("names every operation under way (several when writes overlap), not those written", () => {
    const [a, b, c, d] = [operation("a", "create"), operation("b"), operation("c"), operation("d")];
    const plan = { targets: [{ environment: "prod", operations: [a, b, c, d] }] } as unknown as Plan;
    const ctx = { io: { stderr: {} }, err: () => {} } as unknown as Context;
    const watch = new InterruptWatch(ctx, plan, "workflow-sync apply plan.json");
    const request = (op: Operation) =>
      watch.on({ type: "request", environment: "prod", operation: op, description: "" });
    request(a);
    request(b);
    request(c);
    watch.on({ type: "operation", environment: "prod", operation: a, done: 1, total: 4 });

    const message = watch.message();
    expect(message).toContain(
      "prod: 1 of 4 operation(s) written (create a); under way, may have landed: update b, update c",
    );
    expect(message).not.toContain("update d");
    expect(message).toContain(
      "To finish, resume (the journal skips what is done): workflow-sync apply plan.json",
    );
  });
});
