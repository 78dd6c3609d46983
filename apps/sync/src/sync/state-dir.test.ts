import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { testCommand } from "../../test/support/test-command.ts";
import { smallWorkflow, tempWorkspace } from "../../test/support/workspace.ts";
import { processStart, StateDir } from "./state-dir.ts";

/*
 * Issue 9, item 11 (a): the apply lock records host, process id, the process's start time and a
 * token. A lock whose process is gone, or whose process id now belongs to another process (a later
 * start time), is stale and taken over; a live one is refused naming the lock file, its holder,
 * its age and how to clear it safely.
 */

let ws: ReturnType<typeof tempWorkspace>;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  ws?.cleanup();
});

/** A live process that is not this one (what a reused process id points at). */
async function otherProcess(): Promise<number> {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
  children.push(child);
  await new Promise((resolve) => child.once("spawn", resolve));
  return child.pid!;
}

function plantLock(environment: string, holder: Record<string, unknown>) {
  mkdirSync(ws.path(".workflow-sync/locks"), { recursive: true });
  writeFileSync(ws.path(`.workflow-sync/locks/${environment}.lock`), JSON.stringify(holder));
}

describe.skipIf(processStart(process.pid) === undefined)("the apply lock (Linux: /proc start times)", () => {
  it("records host, pid, the process start time and a token; released on unlock", async () => {
    ws = tempWorkspace();
    const unlock = await new StateDir(ws.path(".workflow-sync")).lock("prod");
    const holder = JSON.parse(readFileSync(ws.path(".workflow-sync/locks/prod.lock"), "utf8"));
    expect(holder).toMatchObject({
      host: hostname(),
      pid: process.pid,
      processStart: processStart(process.pid),
      token: expect.stringMatching(/^[0-9a-f]{16}$/),
      at: expect.any(String),
    });
    await unlock();
    expect(existsSync(ws.path(".workflow-sync/locks/prod.lock"))).toBe(false);
  });

  it("a lock whose pid now belongs to another process (another start time) is stale: taken over", async () => {
    ws = tempWorkspace();
    const pid = await otherProcess();
    plantLock("prod", {
      host: hostname(),
      pid,
      processStart: "1",
      token: "0".repeat(16),
      at: new Date().toISOString(),
    });
    const unlock = await new StateDir(ws.path(".workflow-sync")).lock("prod");
    expect(JSON.parse(readFileSync(ws.path(".workflow-sync/locks/prod.lock"), "utf8")).pid).toBe(process.pid);
    await unlock();
  });

  it("a lock whose process is gone is stale: taken over", async () => {
    ws = tempWorkspace();
    const pid = await otherProcess();
    const start = processStart(pid);
    children.pop()!.kill("SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 100));
    plantLock("prod", { host: hostname(), pid, processStart: start, at: new Date().toISOString() });
    const unlock = await new StateDir(ws.path(".workflow-sync")).lock("prod");
    await unlock();
  });

  it("the temporary file of a process killed while taking the lock is removed; a live process's is kept", async () => {
    ws = tempWorkspace();
    const live = await otherProcess();
    const gone = await otherProcess();
    children.pop()!.kill("SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 100));
    mkdirSync(ws.path(".workflow-sync/locks"), { recursive: true });
    const leftover = `prod.lock.${gone}.0fa94a1d.tmp`;
    const writing = `prod.lock.${live}.1b2c3d4e.tmp`;
    const otherEnvironment = `staging.lock.${gone}.5e6f7a8b.tmp`;
    for (const name of [leftover, writing, otherEnvironment])
      writeFileSync(ws.path(`.workflow-sync/locks/${name}`), "{}");
    const unlock = await new StateDir(ws.path(".workflow-sync")).lock("prod");
    await unlock();
    expect(readdirSync(ws.path(".workflow-sync/locks")).sort()).toEqual([writing, otherEnvironment].sort());
  });

  it("a live lock is refused (exit 4) naming the lock file, its holder, its age and how to clear it", async () => {
    ws = tempWorkspace({
      "workflow-sync.config.yaml": "environments:\n  prod: { vendor: files, path: ./prod }\n",
      "dev/article.json": smallWorkflow(),
      "prod/.keep": "",
    });
    const pid = await otherProcess();
    const taken = new Date(Date.now() - 125_000).toISOString();
    plantLock("prod", {
      host: hostname(),
      pid,
      processStart: processStart(pid),
      token: "1".repeat(16),
      at: taken,
    });
    const outcome = await testCommand(["sync", "dev", "prod", "--yes"], { cwd: ws.root });
    expect(outcome.exitCode, outcome.stderr).toBe(4);
    const path = join(ws.root, ".workflow-sync/locks/prod.lock");
    expect(outcome.stderr).toContain(
      `another apply holds the lock ${path} (process ${pid} on ${hostname()}, taken 2 min`,
    );
    expect(outcome.stderr).toContain(`ps -p ${pid}`);
    expect(outcome.stderr).toContain(`remove ${path} and run again`);
    expect(existsSync(ws.path("prod/article.yaml"))).toBe(false);
    // The same lock once its pid belongs to another process: the apply proceeds.
    plantLock("prod", { host: hostname(), pid, processStart: "1", token: "1".repeat(16), at: taken });
    const after = await testCommand(["sync", "dev", "prod", "--yes"], { cwd: ws.root });
    expect(after.exitCode, after.stderr).toBe(0);
    expect(existsSync(ws.path("prod/article.yaml"))).toBe(true);
    expect(existsSync(path)).toBe(false);
  });

  it("two locks in one process: the second is refused while the first is held", async () => {
    ws = tempWorkspace();
    const dir = new StateDir(ws.path(".workflow-sync"));
    const unlock = await dir.lock("prod");
    await expect(dir.lock("prod")).rejects.toMatchObject({ code: "locked" });
    await unlock();
    await (await dir.lock("prod"))();
  });

  it("another host's lock is never judged from here: refused, saying so", async () => {
    ws = tempWorkspace();
    plantLock("prod", { host: "ci-runner-7", pid: 12345, processStart: "99", at: new Date().toISOString() });
    await expect(new StateDir(ws.path(".workflow-sync")).lock("prod")).rejects.toMatchObject({
      code: "locked",
      suggestions: expect.arrayContaining([expect.stringContaining("if no apply is running on ci-runner-7")]),
    });
  });
});
