import { fromZodIssues, type Issue } from "@workflow-sync/core";
import { z } from "zod";
import { ENVIRONMENT_NAME } from "./config-check.ts";
import * as fields from "./config-fields.ts";
import { vendorSections } from "./vendors.ts";

/*
 * The zod schemas of workflow-sync.config.yaml (its format: README.md, "Environments"). Loaded by
 * config.ts with a dynamic import, only for a config its fast checks (config-check.ts) are not sure
 * of: they decide, and their issues are the messages a person reads. Other modules import only the
 * types from here.
 */

const FilesEnvironment = z.strictObject({
  vendor: z.literal("files"),
  path: z.string().min(1),
  ...fields.common,
});

/** An environment: a vendor's (their sections: vendors.ts) or a folder of files. */
export const EnvironmentConfig = z.discriminatedUnion("vendor", [
  ...vendorSections(
    { strictObject: z.strictObject, literal: z.literal, string: z.string, url: z.url, enum: z.enum },
    fields,
  ),
  FilesEnvironment,
]);
export type EnvironmentConfig = z.infer<typeof EnvironmentConfig>;
export type FilesEnvironmentConfig = z.infer<typeof FilesEnvironment>;

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

export type ConfigParse = { success: true; data: Config } | { success: false; issues: Issue[] };

/** The config's value checked by the schemas: its data, or its issues (core's, with paths). */
export function parseConfigValue(value: unknown): ConfigParse {
  // reportInput: a wrong type is reported as one ("expected string, got number"), not as missing.
  const parsed = Config.safeParse(value, { reportInput: true });
  return parsed.success
    ? { success: true, data: parsed.data }
    : { success: false, issues: fromZodIssues(parsed.error.issues) };
}
