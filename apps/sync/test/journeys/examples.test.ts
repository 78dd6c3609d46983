import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ContensisSimulator, startContensisSimulator } from "@workflow-sync/contensis-simulator";
import { type KontentSimulator, startKontentSimulator } from "@workflow-sync/kontent-simulator";
import { CONTENSIS_TO_KONTENT, DEMO_SECRETS, KONTENT_DEV } from "@workflow-sync/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../src/commands/registry.ts";
import { configText, contensisEnvironments, kontentEnvironments } from "../support/demo-config.ts";
import { testCommand } from "../support/test-command.ts";
import { tempWorkspace } from "../support/workspace.ts";

/*
 * Every example in every command's --help and in the README runs, as written, in a workspace whose
 * environments (kontent-dev, kontent-prod, contensis-dev, contensis-prod, repo) are the simulators
 * with their demo seeds. An example that cannot run as written is listed in MARKED with the reason.
 */

const root = new URL("../../../../", import.meta.url).pathname;

/** Examples that need something a workspace cannot give, with the reason. */
const MARKED: Record<string, string> = {
  'workflow-sync transition contensis-prod --item 6a1f… --language en-GB --event awaitingApproval.decline --data message="Needs a source"':
    "needs the id of an entry in the user's project (6a1f… stands for it)",
};

const env = DEMO_SECRETS;

/** Words of a shell command line: quotes respected, `> file` taken apart. */
function parseLine(line: string): { args: string[]; redirect?: string } {
  const words: string[] = [];
  let current = "";
  let quote: string | undefined;
  let started = false;
  for (const char of line) {
    if (quote) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      started = true;
    } else if (char === " ") {
      if (started || current) words.push(current);
      current = "";
      started = false;
    } else current += char;
  }
  if (started || current) words.push(current);
  const at = words.indexOf(">");
  const redirect = at >= 0 ? words[at + 1] : undefined;
  const args = at >= 0 ? words.slice(0, at) : words;
  return { args: args.slice(args[0] === "npx" ? 2 : 1), ...(redirect ? { redirect } : {}) };
}

interface Example {
  line: string;
  /** The exit code the text says (README transcripts print `(exit N)`). */
  exit?: number;
  where: string;
}

/** Command lines of the README: `$ workflow-sync …` in console blocks, `workflow-sync …` in sh blocks. */
function readmeExamples(): Example[] {
  const text = readFileSync(join(root, "README.md"), "utf8");
  const examples: Example[] = [];
  for (const block of text.matchAll(/```(console|sh)\n([\s\S]*?)```/g)) {
    const lines = block[2]!.split("\n");
    lines.forEach((raw, index) => {
      const line = block[1] === "console" ? (raw.startsWith("$ ") ? raw.slice(2) : "") : raw;
      const command = line.replace(/\s+#.*$/, "").trim();
      if (!/^(npx )?workflow-sync /.test(command)) return;
      let exit: number | undefined;
      for (const next of lines.slice(index + 1)) {
        if (next.startsWith("$ ") || next.startsWith("## ")) break;
        const said = /^\(exit (\d+)\)$/.exec(next.trim());
        if (said) exit = Number(said[1]);
      }
      examples.push({ line: command, ...(exit !== undefined ? { exit } : {}), where: "README.md" });
    });
  }
  return examples;
}

describe("every example in --help and in the README runs", () => {
  let kontent: KontentSimulator;
  let contensis: ContensisSimulator;
  let workspace: ReturnType<typeof tempWorkspace>;

  beforeAll(async () => {
    kontent = await startKontentSimulator({ rateLimit: false });
    contensis = await startContensisSimulator();
    workspace = tempWorkspace({ "mapping.yaml": CONTENSIS_TO_KONTENT });
    cpSync(join(root, "examples"), workspace.path("examples"), { recursive: true });
    writeFileSync(
      workspace.path("workflow-sync.config.yaml"),
      configText(
        kontentEnvironments(kontent.baseUrl, { prod: ["protected: true"] }),
        contensisEnvironments(contensis.url),
        ["  repo:", "    vendor: files", "    path: ./workflows"],
      ),
    );
    // The Kontent.ai workflow file that `convert --to neutral` reads: one workflow as the Management
    // API returns it (GET /projects/{environment_id}/workflows).
    const listed = await fetch(`${kontent.baseUrl}/projects/${KONTENT_DEV}/workflows`, {
      headers: { authorization: `Bearer ${env.KONTENT_DEV_API_KEY}` },
    });
    const workflows = (await listed.json()) as unknown[];
    writeFileSync(workspace.path("kontent-workflow.json"), JSON.stringify(workflows[0], null, 2));
  }, 60_000);

  afterAll(async () => {
    await kontent?.close();
    await contensis?.close();
    workspace?.cleanup();
  });

  async function run(example: Example) {
    let { args, redirect } = parseLine(example.line);
    // A backup's name holds the time it was made: the example writes it with an ellipsis.
    args = args.map((arg) => {
      const at = arg.indexOf("…");
      if (at < 0 || !arg.includes(".workflow-sync/backups/")) return arg;
      const prefix = arg.slice(arg.lastIndexOf("/") + 1, at);
      const found = readdirSync(workspace.path(".workflow-sync/backups"))
        .filter((name) => name.startsWith(prefix))
        .sort();
      return `.workflow-sync/backups/${found.at(-1)}`;
    });
    const init = args[0] === "init";
    const cwd = init ? workspace.path(`init-${Math.random().toString(36).slice(2)}`) : workspace.root;
    if (init) cpSync(workspace.path("mapping.yaml"), join(cwd, ".keep"));
    const outcome = await testCommand(args, { cwd, env, answers: ["yes"] });
    if (redirect) writeFileSync(join(cwd, redirect), outcome.stdout);
    const expected = example.exit ?? (args.includes("--detailed-exitcode") && outcome.exitCode === 2 ? 2 : 0);
    expect(outcome.exitCode, `${example.where}: ${example.line}\n${outcome.stderr}`).toBe(expected);
  }

  it("the examples of every command's --help", async () => {
    const seen: string[] = [];
    for (const command of commands) {
      for (const line of command.examples) {
        if (MARKED[line]) {
          console.info(`not run: ${line}: ${MARKED[line]}`);
          continue;
        }
        seen.push(line);
        await run({ line, where: `${command.name} --help` });
      }
    }
    expect(seen.length).toBeGreaterThan(commands.length);
  }, 300_000);

  it("the command lines of the README", async () => {
    const examples = readmeExamples();
    expect(examples.length).toBeGreaterThan(8);
    for (const example of examples) {
      if (MARKED[example.line]) continue;
      await run(example);
    }
  }, 300_000);
});
