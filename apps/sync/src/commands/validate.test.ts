import { afterEach, describe, expect, it } from "vitest";
import { testCommand } from "../../test/support/test-command.ts";
import { smallWorkflow, tempWorkspace } from "../../test/support/workspace.ts";

const yamlOf = (value: object) => JSON.stringify(value, null, 2); // JSON is YAML

describe("validate", () => {
  let workspace: ReturnType<typeof tempWorkspace>;
  afterEach(() => workspace?.cleanup());

  const run = (files: Record<string, string | object>, ...args: string[]) => {
    workspace = tempWorkspace(files);
    return testCommand(["validate", ...args], { cwd: workspace.root });
  };

  it("accepts a valid workflow file and a folder of them", async () => {
    const file = await run(
      { "wf/article.json": smallWorkflow(), "wf/news.yaml": yamlOf(smallWorkflow({ key: "news" })) },
      "wf/article.json",
    );
    expect(file.exitCode).toBe(0);
    expect(file.stdout).toContain("1 workflow valid");
    const folder = await testCommand(["validate", "wf"], { cwd: workspace.root });
    expect(folder.exitCode).toBe(0);
    expect(folder.stdout).toContain("2 workflows valid");
  });

  const bad: Array<[string, string | object, RegExp]> = [
    ["malformed YAML", "key: [unclosed\nname: x\n", /error: wf\.yaml:\d+:\d+: invalid YAML/],
    ["truncated JSON", '{"key": "article", "states": [', /error: wf\.json:\d+:\d+: invalid JSON/],
    ["a duplicate key", "key: a\nkey: b\n", /error: wf\.yaml:2:1: duplicate key/],
    ["an empty file", "   \n", /wf\.yaml: the file is empty/],
    [
      "an unknown field",
      smallWorkflow({ colour: "red" } as object),
      /wf\.json:\d+:\d+: error colour: unknown field "colour" \(unknown_field\)/,
    ],
    [
      "a wrong enum value",
      smallWorkflow({ states: [{ key: "draft", name: { en: "D" }, kind: "bogus" as "step" }] }),
      /wf\.json:\d+:\d+: error states\[0\]\.kind: .*\(invalid_value\)/,
    ],
    [
      "a missing field",
      { ...smallWorkflow(), initial: undefined },
      /error initial: required field is missing \(missing_field\)/,
    ],
    [
      "a dangling reference",
      smallWorkflow({
        transitions: [
          { key: "submit", from: "draft", to: "nowhere", name: { en: "Submit" } },
          { key: "approve", from: "draft", to: "published", name: { en: "Approve" } },
        ],
      }),
      /wf\.json:\d+:\d+: error transitions\[0\]\.to: .*nowhere.*\(dangling_reference\)/,
    ],
    ["a bad key", smallWorkflow({ key: "../etc/passwd" }), /error key: a key holds letters/],
  ];
  for (const [what, content, message] of bad) {
    it(`reports ${what} with the file, the path and the rule (exit 1)`, async () => {
      const name = typeof content === "string" && !content.startsWith("{") ? "wf.yaml" : "wf.json";
      const outcome = await run({ [name]: content }, name);
      expect(outcome.exitCode).toBe(1);
      expect(outcome.stdout + outcome.stderr).toMatch(message);
    });
  }

  it("reports a missing file as an error, not a crash", async () => {
    const outcome = await run({}, "nope.yaml");
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain("nope.yaml: no such file or folder");
  });

  it("reports duplicate workflow keys across files", async () => {
    const outcome = await run({ "wf/a.json": smallWorkflow(), "wf/b.json": smallWorkflow() }, "wf");
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toMatch(/article/);
    expect(outcome.stdout).toMatch(/duplicate_key/);
  });

  it("warns about portability without failing, tagged with the vendor", async () => {
    const workflow = smallWorkflow({
      states: [
        { key: "draft", name: { "en-GB": "Draft" }, kind: "initial", color: "fuchsia" },
        { key: "published", name: { "en-GB": "Published" }, kind: "published" },
      ],
      transitions: [{ key: "approve", from: "draft", to: "published", name: { "en-GB": "Approve" } }],
    });
    const outcome = await run({ "wf.json": workflow }, "wf.json", "--vendor", "kontent");
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toMatch(/warning states\[0\]\.color: .*\(not_portable \[kontent\]\)/);
    const strict = await testCommand(["validate", "wf.json", "--vendor", "kontent", "--strict"], {
      cwd: workspace.root,
    });
    expect(strict.exitCode).toBe(1);
  });

  it("--json: one envelope; on failure ok false with every issue", async () => {
    const good = await run({ "wf.json": smallWorkflow() }, "wf.json", "--json");
    expect(good.exitCode).toBe(0);
    expect(good.json()).toMatchObject({
      ok: true,
      command: "validate",
      result: { workflows: [{ key: "article" }] },
    });
    const badOutcome = await testCommand(["validate", "missing.json", "--json"], { cwd: workspace.root });
    expect(badOutcome.exitCode).toBe(1);
    expect(badOutcome.json()).toMatchObject({
      ok: false,
      command: "validate",
      error: { code: "source_not_found" },
    });
    workspace.write("broken.json", smallWorkflow({ initial: "nowhere" }));
    const broken = await testCommand(["validate", "broken.json", "--json"], { cwd: workspace.root });
    const envelope = broken.json<{
      ok: boolean;
      error: { code: string; issues: Array<{ code: string; path: unknown[]; line: number }> };
    }>();
    expect(envelope.ok).toBe(false);
    expect(envelope.error.code).toBe("invalid_workflow");
    expect(envelope.error.issues.some((issue) => issue.code === "dangling_reference" && issue.line > 0)).toBe(
      true,
    );
  });
});
