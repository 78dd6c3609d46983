import { describe, expect, it } from "vitest";
import { phases, runOperations } from "./run-operations.ts";

const op = (id: string, action: "create" | "update" | "delete") => ({ id, action });
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("runOperations", () => {
  it("keeps at most `concurrency` operations in flight, and deletes after every create and update", async () => {
    const operations = [
      op("a", "create"),
      op("b", "create"),
      op("c", "create"),
      op("d", "update"),
      op("e", "update"),
      op("x", "delete"),
      op("y", "delete"),
    ];
    const events: string[] = [];
    let running = 0;
    let most = 0;
    await runOperations(operations, 3, async (operation) => {
      running++;
      most = Math.max(most, running);
      events.push(`start ${operation.id}`);
      await tick();
      events.push(`end ${operation.id}`);
      running--;
    });
    expect(most).toBe(3);
    // Started in plan order.
    expect(events.filter((e) => e.startsWith("start")).map((e) => e.slice(6))).toEqual([
      "a",
      "b",
      "c",
      "d",
      "e",
      "x",
      "y",
    ]);
    // No delete starts before the last create or update ended.
    const lastEnd = Math.max(...["a", "b", "c", "d", "e"].map((id) => events.indexOf(`end ${id}`)));
    expect(events.indexOf("start x")).toBeGreaterThan(lastEnd);
  });

  it("with concurrency 1 runs one after another", async () => {
    const events: string[] = [];
    await runOperations([op("a", "create"), op("b", "update")], 1, async (operation) => {
      events.push(`start ${operation.id}`);
      await tick();
      events.push(`end ${operation.id}`);
    });
    expect(events).toEqual(["start a", "end a", "start b", "end b"]);
  });

  it("starts nothing after a failure, lets what runs finish, and throws the first error", async () => {
    const started: string[] = [];
    const finished: string[] = [];
    const run = runOperations(
      ["a", "b", "c", "d", "e"].map((id) => op(id, "create")).concat([op("z", "delete")]),
      2,
      async (operation) => {
        started.push(operation.id);
        if (operation.id === "a") throw new Error("a failed");
        await tick();
        finished.push(operation.id);
      },
    );
    await expect(run).rejects.toThrow("a failed");
    expect(started).toEqual(["a", "b"]);
    expect(finished).toEqual(["b"]);
  });

  it("groups consecutive operations into phases", () => {
    expect(
      phases([op("a", "create"), op("b", "update"), op("c", "delete"), op("d", "update")]).map((group) =>
        group.map((operation) => operation.id),
      ),
    ).toEqual([["a", "b"], ["c"], ["d"]]);
  });
});
