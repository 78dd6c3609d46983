import { access, readFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fromZodIssues, type Issue } from "@workflow-sync/core";
import { z } from "zod";
import { common } from "./config-fields.ts";
import { CliError } from "./errors.ts";
import { issueLines, readDocument } from "./sources/documents.ts";
import { urlFieldOf, VENDOR_SECTIONS } from "./vendors.ts";

/*
 * workflow-sync.config.yaml (or .json): named environments. The shape is a public interface
 * (README.md, "Environments"). Secrets are never in the file: it names environment variables.
 */

export const CONFIG_FILE_NAMES = [
  "workflow-sync.config.yaml",
  "workflow-sync.config.yml",
  "workflow-sync.config.json",
];

const FilesEnvironment = z.strictObject({
  vendor: z.literal("files"),
  path: z.string().min(1),
  ...common,
});

/** An environment: a vendor's (their sections: vendors.ts) or a folder of files. */
export const EnvironmentConfig = z.discriminatedUnion("vendor", [...VENDOR_SECTIONS, FilesEnvironment]);
export type EnvironmentConfig = z.infer<typeof EnvironmentConfig>;
export type FilesEnvironmentConfig = z.infer<typeof FilesEnvironment>;

export const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const Config = z.strictObject({
  $schema: z.string().optional(),
  environments: z.record(z.string().regex(ENVIRONMENT_NAME), EnvironmentConfig, {
    error: (issue) =>
      issue.code === "invalid_key"
        ? "an environment name holds letters, digits, _ . - and starts with a letter or digit (at most 64)"
        : undefined,
  }),
  /** Where backups, journals and locks go (default .workflow-sync next to the config). */
  stateDir: z.string().optional(),
});
export type Config = z.infer<typeof Config>;

export interface LoadedConfig {
  file: string | undefined;
  /** The folder relative paths in the config are resolved from. */
  dir: string;
  config: Config;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * The config file for a run started in `cwd`: workflow-sync.config.{yaml,yml,json} in `cwd` or the
 * nearest folder above it, up to the repository's root (the folder with `.git`), like git finds its
 * own files; never above the repository.
 */
export async function findConfig(cwd: string): Promise<string | undefined> {
  let dir = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (await exists(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir || (await exists(join(dir, ".git")))) return undefined;
    dir = parent;
  }
}

/** Find and read the config: --config FILE, else the nearest workflow-sync.config.{yaml,yml,json} (findConfig). */
export async function loadConfig(cwd: string, explicit: string | undefined): Promise<LoadedConfig> {
  const file = explicit ? (isAbsolute(explicit) ? explicit : join(cwd, explicit)) : await findConfig(cwd);
  if (!file) return { file: undefined, dir: cwd, config: { environments: {} } };
  const display = explicit ?? (relative(cwd, file) || file);
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text !== undefined && text.replace(/^\s*#.*$/gm, "").trim() === "") {
    throw new CliError(
      "invalid_config",
      `${display}: the config file is empty (expected \`environments:\` with at least one environment)`,
      { suggestions: ["workflow-sync init writes a commented starter config"] },
    );
  }
  const document = await readDocument(file, display);
  // reportInput: a wrong type is reported as one ("expected string, got number"), not as missing.
  const parsed = Config.safeParse(document.value, { reportInput: true });
  const found = parsed.success ? await urlIssues(parsed.data) : fromZodIssues(parsed.error.issues);
  if (!parsed.success || found.length > 0) {
    const issues = found.map((issue) => ({
      ...issue,
      file: display,
      ...document.locate(issue.path),
    }));
    const lines = issueLines(display, found, document);
    throw new CliError("invalid_config", `${display}: the config is not valid:\n${lines.join("\n")}`, {
      details: { issues },
    });
  }
  const dir = file.slice(0, file.length - (file.split(/[\\/]/).pop()?.length ?? 0)) || cwd;
  return { file, dir, config: parsed.data };
}

/**
 * Vendor URLs must not send credentials in clear text (https, or http only to a loopback host) and
 * must not hold credentials themselves. Checked here so that the message names the config and the
 * field; the adapters check again. The http package is loaded only when a vendor URL is configured.
 */
async function urlIssues(config: Config): Promise<Issue[]> {
  const issues: Issue[] = [];
  for (const [name, environment] of Object.entries(config.environments)) {
    if (environment.vendor === "files") continue;
    const { field, value } = urlFieldOf(environment);
    if (value === undefined) continue;
    const path = ["environments", name, field];
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (url && (url.username || url.password)) {
      issues.push({
        code: "invalid_value",
        path,
        message: "a URL cannot hold a user name or password: secrets come from environment variables",
        severity: "error",
      });
      continue;
    }
    const { assertSecureUrl } = await import("@workflow-sync/http");
    try {
      assertSecureUrl(value, field);
    } catch (error) {
      issues.push({ code: "invalid_value", path, message: (error as Error).message, severity: "error" });
    }
  }
  return issues;
}

/** The value of a secret reference; a missing variable is an error naming it (never the value). */
export function readSecret(
  ref: { env: string },
  env: Readonly<Record<string, string | undefined>>,
  where: string,
): string {
  const value = env[ref.env];
  if (value === undefined || value === "") {
    throw new CliError("missing_secret", `${where}: the environment variable ${ref.env} is not set`, {
      suggestions: [`export ${ref.env}=…  (the secret for ${where})`],
    });
  }
  return value;
}
