import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tinySeed } from "./test-support/http.ts";

const CLI = join(import.meta.dirname, "cli.ts");
const LINE = /^contensis simulator listening on (http:\/\/127\.0\.0\.1:(\d+))\n$/;
const dir = mkdtempSync(join(tmpdir(), "contensis-sim-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(args: string[]): { child: ChildProcessWithoutNullStreams; firstLine: Promise<string> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve(out);
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
  return { child, firstLine };
}

function exit(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe("cli", () => {
  it("prints one line with its URL, serves the seed, stops on SIGTERM", async () => {
    const seedFile = join(dir, "seed.json");
    writeFileSync(seedFile, JSON.stringify(tinySeed()));
    const { child, firstLine } = start(["--seed", seedFile, "--port", "0"]);
    const line = await firstLine;
    const match = LINE.exec(line);
    expect(match).not.toBeNull();
    const url = match?.[1] ?? "";
    const state = (await (await fetch(`${url}/__admin/state?project=website-dev`)).json()) as {
      contentTypes: { id: string }[];
    };
    expect(state.contentTypes.map((c) => c.id)).toEqual(["page"]);
    const exited = exit(child);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("uses the demo seed by default and stops on SIGINT", async () => {
    const { child, firstLine } = start([]);
    const url = LINE.exec(await firstLine)?.[1] ?? "";
    expect((await fetch(`${url}/__admin/state?project=website-prod`)).status).toBe(200);
    const exited = exit(child);
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  });

  it("exits 64 on a bad argument and 1 on a bad seed", async () => {
    const bad = spawn(process.execPath, [CLI, "--nope"]);
    expect(await exit(bad as ChildProcessWithoutNullStreams)).toBe(64);
    const seedFile = join(dir, "bad.json");
    writeFileSync(seedFile, "{}");
    const broken = spawn(process.execPath, [CLI, "--seed", seedFile]);
    let err = "";
    broken.stderr.on("data", (c: Buffer) => {
      err += c.toString();
    });
    expect(await exit(broken as ChildProcessWithoutNullStreams)).toBe(1);
    expect(err).toContain("contensis simulator");
  });
});
