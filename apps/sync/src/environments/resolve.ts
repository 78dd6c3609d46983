import { lstat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { type EnvironmentConfig, type LoadedConfig, loadConfig } from "../config.ts";
import type { Context } from "../context.ts";
import { CliError } from "../errors.ts";
import type { Environment } from "./types.ts";

/*
 * Opening an environment is on the way to a run's first request: this module loads the files
 * environment (and, in vendors.ts, a vendor's adapter) only when a run uses one, so that a sync
 * between two CMS environments sends its reads before the schemas a folder of files needs are loaded
 * (docs/performance.md, "Start-up").
 */

/** The config of this run, read once. */
export async function configOf(ctx: Context): Promise<LoadedConfig> {
  const cache = ctx as Context & { loadedConfig?: Promise<LoadedConfig> };
  cache.loadedConfig ??= loadConfig(ctx.io.cwd, ctx.configPath).then((loaded) => {
    ctx.debug(
      loaded.file
        ? `config: ${loaded.file}`
        : "config: none found (here or above, up to the repository root)",
    );
    return loaded;
  });
  return cache.loadedConfig;
}

/** An environment of the config, by name, ready to read and write (secrets read from the environment now). */
export async function openEnvironment(ctx: Context, name: string): Promise<Environment> {
  const loaded = await configOf(ctx);
  const config = loaded.config.environments[name];
  if (!config) {
    const known = Object.keys(loaded.config.environments);
    throw new CliError(
      "unknown_environment",
      `no environment named "${name}" in ${loaded.file ? loaded.file : "the config (none found)"}`,
      {
        suggestions: known.length
          ? [`environments: ${known.join(", ")}`]
          : ["create workflow-sync.config.yaml (see the README)"],
      },
    );
  }
  return createEnvironment(ctx, name, config, loaded.dir);
}

export async function createEnvironment(
  ctx: Context,
  name: string,
  config: EnvironmentConfig,
  configDir: string,
): Promise<Environment> {
  switch (config.vendor) {
    case "files": {
      // The path is absolute, or relative to the config file's folder (never to the working folder).
      const { FilesEnvironment } = await import("./files.ts");
      return new FilesEnvironment({
        name,
        folder: resolve(configDir, config.path),
        cwd: ctx.io.cwd,
        gate: ctx.gate,
        protected: config.protected,
        origin: `path: ${config.path} of environment ${name} in the config`,
      });
    }
    default: {
      const { openConfigured } = await import("./vendors.ts");
      return openConfigured(ctx, name, config);
    }
  }
}

/** Whether a spec names a configured environment. */
export async function isEnvironmentName(ctx: Context, spec: string): Promise<boolean> {
  const loaded = await configOf(ctx);
  return Object.hasOwn(loaded.config.environments, spec);
}

/**
 * A target given on the command line: an environment of the config, or a folder (a files
 * environment named after it).
 */
export async function openTarget(ctx: Context, spec: string): Promise<Environment> {
  if (await isEnvironmentName(ctx, spec)) return openEnvironment(ctx, spec);
  // The folder of a configured files environment is that environment (its name, its protection),
  // however it is spelled on the command line.
  const configured = await configuredFolderOf(ctx, spec);
  if (configured) return openEnvironment(ctx, configured);
  const stats = await lstat(resolve(ctx.io.cwd, spec)).catch(() => undefined);
  if (stats && !stats.isDirectory()) {
    throw new CliError(
      "invalid_target",
      `${spec}: a target is an environment of the config or a folder, not a file`,
    );
  }
  if (!stats && /[\\/]/.test(spec) === false && !spec.includes(".")) {
    const loaded = await configOf(ctx);
    const known = Object.keys(loaded.config.environments);
    throw new CliError("unknown_environment", `no environment named "${spec}" and no folder ${spec}`, {
      suggestions: known.length
        ? [`environments: ${known.join(", ")}`]
        : ["create workflow-sync.config.yaml (see the README)"],
    });
  }
  const name =
    basename(spec)
      .replace(/[^A-Za-z0-9_.-]/g, "_")
      .replace(/^[^A-Za-z0-9]+/, "") || "files";
  // A folder named on the command line as a target may be new: it is created at the first write.
  const { FilesEnvironment } = await import("./files.ts");
  return new FilesEnvironment({ name, folder: spec, cwd: ctx.io.cwd, gate: ctx.gate, createIfMissing: true });
}

/** The name of the configured files environment whose folder `folder` (relative to the working folder) is. */
export async function configuredFolderOf(ctx: Context, folder: string): Promise<string | undefined> {
  const loaded = await configOf(ctx);
  const wanted = resolve(ctx.io.cwd, folder);
  return Object.entries(loaded.config.environments).find(
    ([, config]) => config.vendor === "files" && resolve(loaded.dir, config.path) === wanted,
  )?.[0];
}
