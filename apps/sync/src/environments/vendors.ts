import type { ContensisEnvironmentConfig, KontentEnvironmentConfig } from "../config.ts";
import type { Context } from "../context.ts";
import { CliError } from "../errors.ts";
import type { Environment } from "./types.ts";

// Wired to the adapters once they land (issue 3 and 4).
export async function openKontent(
  _ctx: Context,
  name: string,
  _config: KontentEnvironmentConfig,
  _apiKey: string,
): Promise<Environment> {
  throw new CliError("not_available", `${name}: the Kontent.ai adapter is not wired yet`);
}

export async function openContensis(
  _ctx: Context,
  name: string,
  _config: ContensisEnvironmentConfig,
  _secrets: { clientId: string; clientSecret: string },
): Promise<Environment> {
  throw new CliError("not_available", `${name}: the Contensis adapter is not wired yet`);
}
