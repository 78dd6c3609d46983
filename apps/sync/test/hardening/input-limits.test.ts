import { readFileSync, truncateSync, writeFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { firstInvalidUtf8, MAX_INPUT_BYTES } from "../../src/sources/input-file.ts";
import { testCommand } from "../support/test-command.ts";
import { smallWorkflow, tempWorkspace } from "../support/workspace.ts";
import { configYaml, SECRET_ENV, type Servers, startServers, vendorEnvironments } from "./support.ts";

/*
 * Issue 9, item 11 (b, c, d): input files that are not UTF-8 are refused with the file and the byte
 * offset of the first invalid byte (never read with replacement characters); input files over the
 * documented limit (16 MiB) are refused before they are parsed, naming the file, its size and the
 * limit; a lossy apply without --accept-loss does not claim the losses were accepted. Nothing is
 * written to either simulator in any refused case.
 */

let servers: Servers;
let ws: ReturnType<typeof tempWorkspace>;

beforeAll(async () => {
  servers = await startServers();
});
afterAll(async () => {
  await servers?.close();
});
afterEach(() => ws?.cleanup());

const run = (...argv: string[]) => testCommand(argv, { cwd: ws.root, env: SECRET_ENV });
const roleless = () =>
  smallWorkflow({ states: smallWorkflow().states.map((state) => ({ ...state, roles: [] })) });

function setup() {
  ws = tempWorkspace({
    "workflow-sync.config.yaml": configYaml(vendorEnvironments(servers)),
    "wf/article.json": roleless(),
    "map.yaml": "roles:\n  Reviewer: Reviewer\n",
  });
}

/** Each kind of input file, with a command that reads it. */
const inputs: Array<{ kind: string; file: string; argv: () => string[]; prepare?: () => Promise<void> }> = [
  { kind: "a workflow file", file: "wf/article.json", argv: () => ["validate", "wf"] },
  { kind: "the config", file: "workflow-sync.config.yaml", argv: () => ["validate", "wf"] },
  {
    kind: "a mapping file",
    file: "map.yaml",
    argv: () => ["plan", "wf", "kontent-dev", "--map", "map.yaml", "--out", "plan.json"],
  },
  {
    kind: "a plan",
    file: "plan.json",
    argv: () => ["apply", "plan.json", "--yes"],
    prepare: async () => {
      const plan = await run("plan", "wf", "kontent-dev", "--out", "plan.json", "--accept-loss");
      expect(plan.exitCode, plan.stderr).toBe(0);
    },
  },
  {
    kind: "a backup",
    file: "backup.json",
    argv: () => ["restore", "backup.json", "--to", "kontent-dev", "--yes"],
    prepare: async () => writeFileSync(ws.path("backup.json"), "{}\n"),
  },
];

describe("input files that are not UTF-8 are refused with the file and the byte offset", () => {
  for (const input of inputs) {
    it(input.kind, async () => {
      setup();
      await input.prepare?.();
      const before = servers.writes();
      // Latin-1 "é" (0xE9) in the middle of the file, where a name would hold it.
      const text = readFileSync(ws.path(input.file));
      const offset = Math.floor(text.length / 2);
      const latin1 = Buffer.concat([text.subarray(0, offset), Buffer.from([0xe9]), text.subarray(offset)]);
      writeFileSync(ws.path(input.file), latin1);
      const outcome = await run(...input.argv());
      expect(outcome.exitCode, outcome.stderr).toBe(1);
      expect(outcome.stderr).toContain(`${input.file}: not UTF-8: the byte 0xe9 at offset ${offset} (line `);
      const json = await run(...input.argv(), "--json");
      expect(json.json()).toMatchObject({ ok: false, error: { code: "not_utf8", offset } });
      expect(servers.writes()).toBe(before);
    });
  }

  it("the offset is that of the first byte of the first ill-formed sequence (Unicode table 3-7)", () => {
    const bytes = (...values: number[]) => Uint8Array.from(values);
    expect(firstInvalidUtf8(Buffer.from("plain ascii and é, ✓, 𝄞", "utf8"))).toBe(-1);
    expect(firstInvalidUtf8(bytes(0x61, 0xe9, 0x62))).toBe(1); // Latin-1 é
    expect(firstInvalidUtf8(bytes(0x61, 0xc0, 0xaf))).toBe(1); // overlong "/"
    expect(firstInvalidUtf8(bytes(0xe0, 0x80, 0xaf))).toBe(0); // overlong, 3 bytes
    expect(firstInvalidUtf8(bytes(0x61, 0x62, 0xed, 0xa0, 0x80))).toBe(2); // a surrogate
    expect(firstInvalidUtf8(bytes(0xf4, 0x90, 0x80, 0x80))).toBe(0); // above U+10FFFF
    expect(firstInvalidUtf8(bytes(0x61, 0xe2, 0x9c))).toBe(1); // truncated at the end
    expect(firstInvalidUtf8(bytes(0xff, 0xfe, 0x61, 0x00))).toBe(0); // UTF-16 LE
  });
});

describe(`input files over ${MAX_INPUT_BYTES} bytes (16 MiB) are refused before they are parsed`, () => {
  for (const input of inputs) {
    it(input.kind, async () => {
      setup();
      await input.prepare?.();
      const before = servers.writes();
      // A sparse file: its size is over the limit without writing 17 MiB to the disk.
      const size = MAX_INPUT_BYTES + 1024 * 1024;
      truncateSync(ws.path(input.file), size);
      const outcome = await run(...input.argv());
      expect(outcome.exitCode, outcome.stderr).toBe(1);
      expect(outcome.stderr).toContain(
        `${input.file}: ${size} bytes (17.0 MiB) is over the limit of 16.0 MiB (${MAX_INPUT_BYTES} bytes) for an input file`,
      );
      expect(servers.writes()).toBe(before);
    });
  }

  it("a file of exactly the limit is read (then judged on its content)", async () => {
    setup();
    const text = JSON.stringify(roleless());
    writeFileSync(ws.path("wf/article.json"), text + " ".repeat(MAX_INPUT_BYTES - Buffer.byteLength(text)));
    const outcome = await run("validate", "wf");
    expect(outcome.exitCode, outcome.stderr).toBe(0);
  });
});

describe("a lossy apply without --accept-loss prints only the truth", () => {
  it("the summary does not call the losses accepted when apply then refuses them", async () => {
    setup();
    const plan = await run("plan", "wf", "contensis-dev", "--out", "plan.json");
    expect(plan.exitCode, plan.stderr).toBe(0);
    const before = servers.writes();
    const refused = await run("apply", "plan.json", "--yes");
    expect(refused.exitCode).toBe(4);
    expect(refused.stdout + refused.stderr).not.toMatch(/loss\(es\) accepted/);
    expect(refused.stdout).toMatch(/\d+ loss\(es\) \(not accepted: --accept-loss\)/);
    expect(refused.stderr).toMatch(/the plan loses \d+ thing\(s\) on the way/);
    expect(servers.writes()).toBe(before);
    const accepted = await run("apply", "plan.json", "--yes", "--accept-loss");
    expect(accepted.stdout).toMatch(/\d+ loss\(es\) accepted/);
    expect(accepted.exitCode, accepted.stderr).toBe(0);
  });
});
