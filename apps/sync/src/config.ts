import { access, readFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { Issue } from "@workflow-sync/core";
import {
  common,
  ENVIRONMENT_NAME,
  oneOf,
  optional,
  plainObject,
  required,
  strictObject,
  string,
} from "./config-check.ts";
import type { Config, ConfigParse, EnvironmentConfig, FilesEnvironmentConfig } from "./config-schema.ts";
import { CliError } from "./errors.ts";
import { issueLines, readDocument } from "./sources/documents.ts";
import { urlFieldOf, VENDOR_SECTION_CHECKS } from "./vendors.ts";

/*
 * workflow-sync.config.yaml (or .json): named environments. The shape is a public interface
 * (README.md, "Environments"). Secrets are never in the file: it names environment variables.
 * Its schemas (config-schema.ts) are loaded only for a config that the fast checks here and in
 * config-check.ts are not sure of: a valid config is loaded without the schema library or core.
 */

export type { Config, EnvironmentConfig, FilesEnvironmentConfig };
export { ENVIRONMENT_NAME };

export const CONFIG_FILE_NAMES = [
  "workflow-sync.config.yaml",
  "workflow-sync.config.yml",
  "workflow-sync.config.json",
];

const filesEnvironment = strictObject<FilesEnvironmentConfig>({
  vendor: required(oneOf("files")),
  path: required(string(1)),
  ...common,
});

/** An environment section (EnvironmentConfig), chosen by its `vendor` like zod's discriminated union. */
function checkEnvironment(value: unknown): EnvironmentConfig | undefined {
  if (!plainObject(value)) return undefined;
  const vendor = value.vendor;
  if (vendor === "files") return filesEnvironment(value);
  if (typeof vendor !== "string" || !Object.hasOwn(VENDOR_SECTION_CHECKS, vendor)) return undefined;
  return VENDOR_SECTION_CHECKS[vendor as keyof typeof VENDOR_SECTION_CHECKS](value);
}

/** `environments`: a record of sections under names that match ENVIRONMENT_NAME. */
function checkEnvironments(value: unknown): Record<string, EnvironmentConfig> | undefined {
  if (!plainObject(value)) return undefined;
  const out: Record<string, EnvironmentConfig> = {};
  for (const name of Object.keys(value)) {
    if (!ENVIRONMENT_NAME.test(name)) return undefined;
    const environment = checkEnvironment(value[name]);
    if (environment === undefined) return undefined;
    out[name] = environment;
  }
  return out;
}

/**
 * The fast path of `Config.safeParse(value, { reportInput: true })`: its `data` for a config these
 * checks are sure of, else undefined (the schemas then decide). Proved against zod by
 * config-check.test.ts.
 */
export const checkConfig: (value: unknown) => Config | undefined = strictObject<Config>({
  $schema: optional(string()),
  environments: required(checkEnvironments),
  stateDir: optional(string()),
});

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
  const parsed = await parseConfig(document.value);
  const found = parsed.success ? await urlIssues(parsed.data) : parsed.issues;
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

/** The config's value, checked by the fast path, else by the schemas (loaded now) with their issues. */
async function parseConfig(value: unknown): Promise<ConfigParse> {
  const checked = checkConfig(value);
  if (checked !== undefined) return { success: true, data: checked };
  return (await import("./config-schema.ts")).parseConfigValue(value);
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
