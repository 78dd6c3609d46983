import { describe, expect, it } from "vitest";
import { testCommand } from "../test/support/test-command.ts";

describe("workflow-sync (global)", () => {
  it("--help lists every command and exits 0", async () => {
    const outcome = await testCommand(["--help"]);
    expect(outcome.exitCode).toBe(0);
    for (const command of ["validate", "diff", "graph", "plan", "apply", "sync", "restore", "export"]) {
      expect(outcome.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    }
  });

  it("no command is a usage error (64) that still shows the help", async () => {
    const outcome = await testCommand([]);
    expect(outcome.exitCode).toBe(64);
    expect(outcome.stdout).toContain("Usage: workflow-sync <command>");
  });

  it("an unknown command is a usage error naming it", async () => {
    const outcome = await testCommand(["frobnicate"]);
    expect(outcome.exitCode).toBe(64);
    expect(outcome.stderr).toContain('unknown command "frobnicate"');
  });

  it("an unknown flag is a usage error naming the command", async () => {
    const outcome = await testCommand(["validate", "x.yaml", "--frob"]);
    expect(outcome.exitCode).toBe(64);
    expect(outcome.stderr).toMatch(/validate: .*--frob/);
  });

  it("a mistyped command or flag gets a did-you-mean, and a flag error reads plainly", async () => {
    const command = await testCommand(["valdate", "x"]);
    expect(command.exitCode).toBe(64);
    expect(command.stderr).toContain('did you mean "validate"?');
    const flag = await testCommand(["validate", "x", "--vendr", "kontent"]);
    expect(flag.exitCode).toBe(64);
    expect(flag.stderr).toContain("validate: unknown flag --vendr");
    expect(flag.stderr).toContain("did you mean --vendor?");
    const value = await testCommand(["plan", "a", "b", "--out"]);
    expect(value.stderr).toContain("plan: --out needs a value");
    expect(value.stderr).not.toMatch(/'/);
    const far = await testCommand(["validate", "x", "--zzzzzzzz"]);
    expect(far.stderr).not.toContain("did you mean");
  });

  it("--version prints the version", async () => {
    const outcome = await testCommand(["--version"]);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("a missing argument is a usage error with the usage line", async () => {
    const outcome = await testCommand(["diff", "a"]);
    expect(outcome.exitCode).toBe(64);
    expect(outcome.stderr).toContain("diff: missing <to>");
    expect(outcome.stderr).toContain("usage: workflow-sync diff");
  });

  it("--json turns a usage error into one JSON document with ok false", async () => {
    const outcome = await testCommand(["diff", "a", "--json"]);
    expect(outcome.exitCode).toBe(64);
    const envelope = outcome.json<{
      ok: boolean;
      command: string;
      error: { code: string; message: string };
    }>();
    expect(envelope).toMatchObject({ ok: false, command: "diff", error: { code: "usage" } });
    expect(outcome.stderr).toBe("");
  });

  it("every command has --help with its usage and examples", async () => {
    for (const command of ["validate", "diff", "graph", "plan", "apply", "sync", "restore", "export"]) {
      const outcome = await testCommand([command, "--help"]);
      expect(outcome.exitCode, command).toBe(0);
      expect(outcome.stdout, command).toContain(`Usage: workflow-sync ${command}`);
      expect(outcome.stdout, command).toContain("Examples:");
    }
  });
});
