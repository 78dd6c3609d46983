import type { EnvironmentSnapshot, Workflow } from "@workflow-sync/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ContensisEnvironment } from "./environment.ts";
import { fromNeutral } from "./mapping/from-neutral.ts";
import {
  ContensisEnvironmentNotLoadedError,
  OpenedContensisEnvironment,
  openContensisEnvironment,
} from "./open.ts";
import {
  ADMIN,
  type ContensisSimulator,
  clientFor,
  DEV,
  lines,
  PROD,
  startContensisSimulator,
} from "./test-support/sim.ts";
import { contensisVendor } from "./vendor.ts";
import { updateDefinition } from "./write.ts";

/*
 * The environment `openContensisEnvironment` opens (the CLI's, through `contensisVendor` or the
 * `open` entry) behaves as `ContensisEnvironment`: the same methods, reads, plans and writes, over
 * one client.
 */

let sim: ContensisSimulator;
beforeAll(async () => {
  sim = await startContensisSimulator();
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(() => {
  sim.reset();
  sim.setFaults(undefined);
});

/** The opened environment, typed as the class (core's type marks the extras optional). */
const open = (projectId: string, extra: { label?: string; roleGrants?: "write" | "report" } = {}) =>
  openContensisEnvironment({ client: clientFor(sim, projectId), ...extra })
    .environment as OpenedContensisEnvironment;

/** What a call gives, or the error it throws (name, code, message). */
function outcome(call: () => unknown): unknown {
  try {
    return { value: call() };
  } catch (error) {
    const { name, code, message } = error as Error & { code?: string };
    return { error: { name, code, message } };
  }
}

/** The public methods of a class (its prototype's own functions). */
const methods = (prototype: object) =>
  Object.getOwnPropertyNames(prototype)
    .filter((name) => name !== "constructor")
    .sort();

describe("openContensisEnvironment", () => {
  it("is what contensisVendor opens; its label, role grants and write concurrency are ContensisEnvironment's", () => {
    const options = { rootUrl: sim.url, projectId: DEV, ...ADMIN };
    const opened = contensisVendor.openEnvironment({
      ...options,
      concurrency: { writes: 3 },
      roleGrants: "report",
    });
    expect(opened.environment).toBeInstanceOf(OpenedContensisEnvironment);
    expect(opened.writeConcurrency).toBe(3);
    expect((opened.environment as OpenedContensisEnvironment).roleGrants).toBe("report");
    const full = new ContensisEnvironment(options);
    expect(opened.environment.label).toBe(full.label);
    expect(open(DEV).roleGrants).toBe(full.roleGrants);
    expect(contensisVendor.openEnvironment(options).writeConcurrency).toBe(
      full.client.pacer.writeConcurrency,
    );
    expect(open(DEV, { label: "dev (staging)" }).label).toBe("dev (staging)");
  });

  it("has exactly ContensisEnvironment's methods (no preflight), besides loading it", () => {
    expect(methods(OpenedContensisEnvironment.prototype).filter((name) => name !== "implementation")).toEqual(
      methods(ContensisEnvironment.prototype).filter((name) => name !== "readFrom"),
    );
    expect("preflight" in OpenedContensisEnvironment.prototype).toBe(false);
  });

  it("refuses to plan before its first read, naming the method and what to do; sends nothing", () => {
    const environment = open(DEV);
    const snapshot = { vendor: "contensis" } as EnvironmentSnapshot;
    const workflow = {} as Workflow;
    expect(() => environment.planDelete(workflow, snapshot)).toThrow(ContensisEnvironmentNotLoadedError);
    expect(() => environment.checkSet([workflow], snapshot)).toThrow(
      /checkSet\(\) was called before read\(\)/,
    );
    expect(() => environment.planPermissions([workflow], snapshot)).toThrow(
      ContensisEnvironmentNotLoadedError,
    );
    expect(() => environment.incomplete(workflow, snapshot)).toThrow(ContensisEnvironmentNotLoadedError);
    expect(() => environment.guardWrites(snapshot)).toThrow(
      /guardWrites\(\) was called before read\(\): an environment opened with openContensisEnvironment/,
    );
    expect(lines(sim)).toEqual([]);
  });

  it("reads, plans and writes as ContensisEnvironment does, counting every request on its one client", async () => {
    const environment = open(PROD, { label: "prod" });
    const direct = new ContensisEnvironment({ client: clientFor(sim, PROD), label: "prod" });
    const [source, target, expected] = await Promise.all([
      new ContensisEnvironment({ client: clientFor(sim, DEV) }).read(),
      environment.read(),
      direct.read(),
    ]);
    expect(target).toEqual(expected);
    const present = source.workflows.filter((w) => target.workflows.some((t) => t.key === w.key));
    expect(present.length).toBeGreaterThan(1);
    for (const workflow of present) {
      const current = target.workflows.find((t) => t.key === workflow.key)!;
      expect(environment.project(workflow, target)).toEqual(direct.project(workflow, expected));
      // System definitions are refused (ReadOnlyWorkflowError): the same refusal.
      expect(outcome(() => environment.planUpdate(workflow, current, target))).toEqual(
        outcome(() => direct.planUpdate(workflow, current, expected)),
      );
      expect(outcome(() => environment.planDelete(current, target))).toEqual(
        outcome(() => direct.planDelete(current, expected)),
      );
      expect(environment.incomplete(current, target)).toBe(direct.incomplete(current, expected));
    }
    const copy = { ...present[0]!, key: "copyOfFirst" };
    expect(outcome(() => environment.planCreate(copy, target))).toEqual(
      outcome(() => direct.planCreate(copy, expected)),
    );
    // Two workflows scoping the same content types: the same ScopeOverlapError; none for the source's.
    const scoped = source.workflows.find((w) => w.scope.contentTypes.length > 0)!;
    const overlapping = [scoped, { ...scoped, key: "sameScope" }];
    const refused = outcome(() => environment.checkSet(overlapping, target));
    expect(refused).toMatchObject({ error: { code: "scope_overlap" } });
    expect(refused).toEqual(outcome(() => direct.checkSet(overlapping, expected)));
    expect(outcome(() => environment.checkSet(source.workflows, target))).toEqual({ value: undefined });
    expect(environment.planPermissions(source.workflows, target)).toEqual(
      direct.planPermissions(source.workflows, expected),
    );
    expect(environment.planPermissionsRestore(source.native, target)).toEqual(
      direct.planPermissionsRestore(source.native, expected),
    );

    // An update planned on `target`, guarded: someone else changes the definition first, so the
    // write is refused (a stale write) and theirs is kept.
    const legal = present.find((w) => w.key === "legalReview")!;
    const current = (snapshot: EnvironmentSnapshot) => snapshot.workflows.find((t) => t.key === legal.key)!;
    const stale = environment.planUpdate(legal, current(target), target);
    environment.guardWrites(target);
    const theirs = fromNeutral({ ...current(target), description: { "en-GB": "Theirs" } }).value;
    await updateDefinition(clientFor(sim, PROD), theirs);
    await expect(environment.execute(stale.value[0]!)).rejects.toMatchObject({ code: "stale_write" });
    const latest = () => sim.state(PROD).definitions.find((d) => d.id === "legalReview")?.latest;
    expect(latest()?.description).toEqual({ "en-GB": "Theirs" });

    // Planned again on a new read, it is written; the read-back is the projection, and what the
    // full environment reads. Every request went through the one client.
    const now = await environment.read();
    const plan = environment.planUpdate(legal, current(now), now);
    expect(plan).toEqual(direct.planUpdate(legal, current(now), now));
    expect(plan.value.length).toBeGreaterThan(0);
    const before = environment.stats().requests;
    sim.clearRequests();
    environment.guardWrites(now);
    for (const request of plan.value) await environment.execute(request);
    expect(environment.stats().requests - before).toBe(sim.requests().length);
    const after = await environment.read();
    expect(after).toEqual(await direct.read());
    expect(current(after)).toEqual(environment.project(legal, now).value);
  });
});
