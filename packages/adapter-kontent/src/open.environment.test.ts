import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Workflow } from "@workflow-sync/core";
import type { KontentSimulator } from "@workflow-sync/kontent-simulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KontentEnvironment } from "./environment.ts";
import {
  KontentEnvironmentNotLoadedError,
  OpenedKontentEnvironment,
  openKontentEnvironment,
} from "./open.ts";
import { clientFor, DEV, fullSeed, PROD, requestLines, startSimulator } from "./test-support/sim.ts";
import { kontentVendor } from "./vendor.ts";

/*
 * The environment `openKontentEnvironment` opens (the CLI's, through `kontentVendor` or the `open`
 * entry) behaves as `KontentEnvironment`: the same reads, plans and writes, over one client.
 */

let sim: KontentSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: fullSeed() });
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(() => {
  sim.reset();
  sim.clearRequests();
});

const open = (env: { id: string; apiKey: string }, label?: string) =>
  openKontentEnvironment({ client: clientFor(sim, env), ...(label === undefined ? {} : { label }) });

/** What a call gives, or the error it throws (name, code, message). */
function outcome(call: () => unknown): unknown {
  try {
    return { value: call() };
  } catch (error) {
    const { name, code, message } = error as Error & { code?: string };
    return { error: { name, code, message } };
  }
}

describe("openKontentEnvironment", () => {
  it("is what kontentVendor opens; its label and write concurrency are KontentEnvironment's", () => {
    const options = { environmentId: DEV.id, apiKey: DEV.apiKey, baseUrl: sim.baseUrl };
    const opened = kontentVendor.openEnvironment({ ...options, concurrency: { writes: 3 } });
    expect(opened.environment).toBeInstanceOf(OpenedKontentEnvironment);
    expect(opened.writeConcurrency).toBe(3);
    expect(opened.environment.label).toBe(new KontentEnvironment(options).label);
    expect(open(DEV, "dev (staging)").environment.label).toBe("dev (staging)");
  });

  it("refuses to plan before its first read, naming the method and what to do", () => {
    const { environment } = open(DEV);
    const snapshot = { vendor: "kontent" } as Parameters<typeof environment.planDelete>[1];
    expect(() => environment.planDelete({} as Workflow, snapshot)).toThrow(KontentEnvironmentNotLoadedError);
    expect(() => environment.project({} as Workflow, snapshot)).toThrow(
      /project\(\) was called before read\(\)/,
    );
    expect(requestLines(sim, DEV)).toEqual([]);
  });

  it("reads, plans and writes as KontentEnvironment does, counting every request on its one client", async () => {
    const { environment } = open(PROD, "prod");
    const direct = new KontentEnvironment({ client: clientFor(sim, PROD), label: "prod" });
    const [source, target, expected] = await Promise.all([
      new KontentEnvironment({ client: clientFor(sim, DEV) }).read(),
      environment.read(),
      direct.read(),
    ]);
    expect(target).toEqual(expected);
    const missing = source.workflows.filter((w) => !target.workflows.some((t) => t.key === w.key));
    const present = source.workflows.filter((w) => target.workflows.some((t) => t.key === w.key));
    expect(missing.length).toBeGreaterThan(0);
    expect(present.length).toBeGreaterThan(0);
    for (const workflow of present) {
      const current = target.workflows.find((t) => t.key === workflow.key)!;
      expect(environment.project(workflow, target)).toEqual(direct.project(workflow, expected));
      expect(environment.planUpdate(workflow, current, target)).toEqual(
        direct.planUpdate(workflow, current, expected),
      );
      // The default workflow is refused (KontentDeleteRefusedError): the same refusal.
      expect(outcome(() => environment.planDelete(current, target))).toEqual(
        outcome(() => direct.planDelete(current, expected)),
      );
    }
    const created = missing[0]!;
    const plan = environment.planCreate(created, target);
    expect(plan).toEqual(direct.planCreate(created, expected));
    sim.clearRequests();
    environment.guardWrites!(target);
    expect(plan.value).toHaveLength(1);
    await environment.execute(plan.value[0]!);
    // Guarded: the same create again finds its codename taken since the snapshot (a stale write).
    await expect(environment.execute(plan.value[0]!)).rejects.toMatchObject({ code: "stale_write" });
    expect(requestLines(sim, PROD)).toEqual([
      "POST /workflows 201",
      "POST /workflows 400",
      "GET /workflows 200",
    ]);
    const after = await environment.read();
    expect(after.workflows.some((w) => w.key === created.key)).toBe(true);
    expect(environment.stats().requests).toBe(4 + 3 + 4);
  });

  it("a read that fails before its requests are written fails as KontentEnvironment's, with nothing unhandled", async () => {
    // Nothing listens on the port: the requests fail while the read still waits for them to be
    // written. The rejection is awaited after that wait (vitest fails a run with an unhandled one).
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const options = {
      environmentId: DEV.id,
      apiKey: DEV.apiKey,
      baseUrl: `http://127.0.0.1:${port}/v2`,
      retry: { limit: 0 },
    };
    const viaOpen = await openKontentEnvironment(options)
      .environment.read()
      .catch((error: Error) => error);
    const direct = await new KontentEnvironment(options).read().catch((error: Error) => error);
    expect(viaOpen).toBeInstanceOf(Error);
    expect({ name: (viaOpen as Error).name, message: (viaOpen as Error).message }).toEqual({
      name: (direct as Error).name,
      message: (direct as Error).message,
    });
  });
});
