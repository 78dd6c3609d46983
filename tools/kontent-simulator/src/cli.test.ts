import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TINY, tinySeed } from "./test-support/helpers.ts";

const CLI = new URL("./cli.ts", import.meta.url).pathname;

function start(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", () => {
      if (stdout.includes("\n")) resolve(stdout.split("\n")[0] as string);
    });
    child.on("exit", () => reject(new Error(`exited early: ${stderr}`)));
  });
  return { child, exited, firstLine, output: () => ({ stdout, stderr }) };
}

describe("cli", () => {
  it("prints exactly one line with its URL, serves the seed and stops on SIGTERM", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "kontent-cli-")), "seed.json");
    writeFileSync(file, JSON.stringify(tinySeed()));
    const cli = start(["--seed", file, "--port", "0", "--rate-limit", "off"]);
    const line = await cli.firstLine;
    const match = /^kontent simulator listening on (http:\/\/127\.0\.0\.1:\d+\/v2)$/.exec(line);
    expect(match).not.toBeNull();
    const response = await fetch(`${match![1]}/projects/${TINY.env}/workflows`, {
      headers: { authorization: `Bearer ${TINY.key}` },
    });
    expect(response.status).toBe(200);
    expect(
      ((await response.json()) as Array<{ codename: string }>).map((w: { codename: string }) => w.codename),
    ).toEqual(["default", "blog"]);
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    expect(cli.output().stdout).toBe(`${line}\n`);
  });

  it("stops on SIGINT", async () => {
    const cli = start([]);
    await cli.firstLine;
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(0);
  });

  it("exits with 2 and a message on bad arguments", async () => {
    const cli = start(["--rate-limit", "fast"]);
    expect(await cli.exited).toBe(2);
    expect(cli.output().stderr).toMatch(/Invalid rate limit 'fast'/);
    cli.firstLine.catch(() => undefined);
  });
});
