import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type KontentSimulator, startKontentSimulator } from "@workflow-sync/kontent-simulator";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";
import { tempWorkspace } from "../support/workspace.ts";

/*
 * The config's `concurrency` reaches apply: by default (Kontent.ai advises against parallel
 * requests) no two writes overlap at the server; with `writes: 4` several are in flight at once. Checked on the simulator's log (arrival time and how
 * long each request took there, 400 ms of added latency), not on wall time.
 */

const env = { SRC_KEY: "src-key", DST_KEY: "dst-key" };

function workflow(index: number) {
  return {
    id: randomUUID(),
    name: `Workflow ${index}`,
    codename: `workflow_${index}`,
    steps: [
      {
        id: randomUUID(),
        name: "Draft",
        codename: "draft",
        color: "gray" as const,
        transitions_to: [{ step: { codename: "published" } }],
      },
    ],
  };
}

/** The most requests the server was handling at once, from arrival times and durations. */
function mostAtOnce(entries: Array<{ time: string; durationMs: number }>): number {
  const edges = entries.flatMap((entry) => {
    const start = Date.parse(entry.time);
    return [
      { at: start, delta: 1 },
      { at: start + entry.durationMs, delta: -1 },
    ];
  });
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let now = 0;
  let most = 0;
  for (const edge of edges) {
    now += edge.delta;
    most = Math.max(most, now);
  }
  return most;
}

describe("journey: writes side by side, as the config allows", () => {
  let sim: KontentSimulator | undefined;
  let workspace: ReturnType<typeof tempWorkspace> | undefined;
  afterEach(async () => {
    await sim?.close();
    workspace?.cleanup();
  });

  async function syncWith(concurrencyLine: string[]) {
    sim = await startKontentSimulator({
      rateLimit: false,
      latencyMs: 400,
      seed: {
        environments: {
          src: { apiKeys: ["src-key"], workflows: Array.from({ length: 8 }, (_, i) => workflow(i)) },
          dst: { apiKeys: ["dst-key"] },
        },
      },
    });
    workspace = tempWorkspace();
    const lines = ["environments:"];
    for (const name of ["src", "dst"]) {
      lines.push(
        `  ${name}:`,
        "    vendor: kontent",
        `    environmentId: ${name}`,
        `    apiKey: { env: ${name.toUpperCase()}_KEY }`,
        `    baseUrl: ${sim.baseUrl}`,
        ...(name === "dst" ? concurrencyLine : []),
      );
    }
    writeFileSync(join(workspace.root, "workflow-sync.config.yaml"), `${lines.join("\n")}\n`);
    const run = await runCli(["sync", "src", "dst", "--yes", "--json"], { cwd: workspace.root, env });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    const writes = sim.requests().filter((entry) => entry.environmentId === "dst" && entry.write);
    expect(writes.map((entry) => entry.status)).toEqual(Array(8).fill(201));
    expect(sim.state("dst").workflows.filter((w) => w.codename.startsWith("workflow_"))).toHaveLength(8);
    return writes;
  }

  it("by default, one write at a time", async () => {
    const writes = await syncWith([]);
    expect(mostAtOnce(writes)).toBe(1);
  }, 60_000);

  it("with concurrency.writes 4, several writes in flight at once (and never more than 4)", async () => {
    const writes = await syncWith(["    concurrency: { writes: 4 }"]);
    const most = mostAtOnce(writes);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
  }, 60_000);

  it("refuses a concurrency outside 1–64, naming the field", async () => {
    workspace = tempWorkspace({
      "workflow-sync.config.yaml": [
        "environments:",
        "  dst:",
        "    vendor: kontent",
        "    environmentId: dst",
        "    apiKey: { env: DST_KEY }",
        "    concurrency: { writes: 0 }",
        "    rateLimit: { perSecond: 10, windows: [{ requests: 2000, seconds: 10 }] }",
        "",
      ].join("\n"),
    });
    const run = await runCli(["diff", "dst", "dst"], { cwd: workspace.root, env });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("environments.dst.concurrency.writes");
    expect(run.stderr).not.toContain("windows");
  }, 60_000);
});
