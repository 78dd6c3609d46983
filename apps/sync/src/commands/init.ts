import { access, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { VENDORS as CMS_VENDORS } from "@workflow-sync/core";
import { CONFIG_FILE_NAMES } from "../config.ts";
import type { CommandResult, Context } from "../context.ts";
import { CliError, UsageError } from "../errors.ts";
import { VENDOR_CONFIG_STARTERS } from "../vendors.ts";
import type { ParsedArgs } from "./registry.ts";

const VENDORS = [...CMS_VENDORS, "files"] as const;
type InitVendor = (typeof VENDORS)[number];

const HEADER = `# workflow-sync config: the environments that commands name (diff, plan, apply, sync, ...).
# Secrets are never written here: each one names an environment variable, as { env: NAME }.
# Reference: workflow-sync --help, and the README of @workflow-sync/cli.
environments:
`;

const BLOCKS: Record<InitVendor, string> = {
  ...VENDOR_CONFIG_STARTERS,
  files: `  # Workflows as code: a folder of YAML files, one per workflow, reviewed in git.
  # The path is relative to this config file.
  repo:
    vendor: files
    path: ./workflows
`,
};

const STATE_DIR = ".workflow-sync/";

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** `init`: a commented starter config, and the state folder in .gitignore. Never overwrites a config. */
export async function run(ctx: Context, args: ParsedArgs): Promise<CommandResult> {
  const given = ((args.flags.vendor as string[] | undefined) ?? []).flatMap((value) => value.split(","));
  for (const vendor of given) {
    if (!(VENDORS as readonly string[]).includes(vendor)) {
      throw new UsageError(`init: --vendor must be one of ${VENDORS.join(", ")}, not "${vendor}"`);
    }
  }
  const vendors = (
    given.length > 0 ? VENDORS.filter((vendor) => given.includes(vendor)) : [...VENDORS]
  ) as InitVendor[];
  for (const name of CONFIG_FILE_NAMES) {
    if (await exists(join(ctx.io.cwd, name))) {
      throw new CliError("config_exists", `${name} already exists here; init never overwrites a config`, {
        suggestions: ["edit it, or remove it first to start again"],
      });
    }
  }
  const file = CONFIG_FILE_NAMES[0]!;
  await writeFile(join(ctx.io.cwd, file), HEADER + vendors.map((vendor) => BLOCKS[vendor]).join(""), {
    flag: "wx",
  });
  const gitignore = join(ctx.io.cwd, ".gitignore");
  const current = await readFile(gitignore, "utf8").catch(() => "");
  const listed = current
    .split(/\r?\n/)
    .some((line) => [".workflow-sync", STATE_DIR, `/${STATE_DIR}`].includes(line.trim()));
  if (!listed) {
    const prefix = current === "" || current.endsWith("\n") ? "" : "\n";
    await writeFile(
      gitignore,
      `${current}${prefix}# workflow-sync backups, journals and locks\n${STATE_DIR}\n`,
    );
  }
  ctx.out(`Wrote ${file} (${vendors.join(", ")})${listed ? "" : ` and added ${STATE_DIR} to .gitignore`}.`);
  ctx.out("Next: fill in the ids, export the secrets it names, then: workflow-sync validate <environment>");
  return { result: { config: file, vendors, gitignore: !listed } };
}
