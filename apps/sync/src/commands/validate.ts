import {
  checkPortability,
  checkWorkflow,
  checkWorkflowSet,
  fingerprint,
  VENDORS,
  type Vendor,
} from "@workflow-sync/core";
import type { CommandResult, Context } from "../context.ts";
import { CliError, UsageError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { formatLocatedIssue, type LocatedIssue, locateInSource } from "../sources/files.ts";
import { loadSource } from "../sources/source.ts";
import { vendorProfile } from "../vendors.ts";
import type { ParsedArgs } from "./registry.ts";

export async function run(ctx: Context, args: ParsedArgs): Promise<CommandResult> {
  const spec = args.positionals[0]!;
  const vendors = parseVendors(args.flags.vendor);
  const profiles = await Promise.all(vendors.map(vendorProfile));
  const source = await loadSource(ctx, spec);
  const issues: LocatedIssue[] = [...source.issues];

  for (const workflow of source.workflows) {
    issues.push(...locateInSource(source, workflow.key, checkWorkflow(workflow)));
    for (const profile of profiles) {
      issues.push(...locateInSource(source, workflow.key, checkPortability(workflow, profile)));
    }
  }
  issues.push(...checkWorkflowSet(source.workflows).map((issue) => ({ ...issue, file: source.label })));

  // Each problem is counted once: --strict makes warnings fail, it does not make them errors too.
  const errors = issues.filter((issue) => issue.severity === "error");
  const warnings = issues.filter((issue) => issue.severity === "warning");
  const strict = args.flags.strict === true;
  const workflows = source.workflows.map((workflow) => ({
    key: workflow.key,
    file: source.origins.get(workflow.key)?.file ?? source.label,
    fingerprint: fingerprint(workflow),
  }));

  issues.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  if (!ctx.json) {
    for (const issue of issues) ctx.out(formatLocatedIssue(issue));
  }
  if (errors.length > 0 || (strict && warnings.length > 0)) {
    throw new CliError(
      "invalid_workflow",
      `${spec}: ${errors.length} error${errors.length === 1 ? "" : "s"}, ${warnings.length} warning${warnings.length === 1 ? "" : "s"}` +
        (strict && warnings.length > 0 ? " (--strict: warnings fail)" : ""),
      { details: { issues, workflows } },
    );
  }
  if (workflows.length === 0) {
    throw new CliError("no_workflows", `${spec}: 0 workflows (no workflow file found)`, {
      suggestions: ["a source is a workflow file (YAML or JSON), a folder of them, or an environment"],
      details: { issues, workflows },
    });
  }
  ctx.out(
    `${workflows.length} workflow${workflows.length === 1 ? "" : "s"} valid` +
      (warnings.length ? `, ${warnings.length} warning${warnings.length === 1 ? "" : "s"}` : ""),
  );
  return { exitCode: ExitCode.ok, result: { workflows, issues } };
}

/** The vendors to check portability to: those named, or both (as --help says). */
function parseVendors(value: ParsedArgs["flags"][string]): Vendor[] {
  if (value === undefined) return [...VENDORS];
  const list = (Array.isArray(value) ? value : [String(value)]).flatMap((item) => item.split(","));
  for (const vendor of list) {
    if (!(VENDORS as readonly string[]).includes(vendor)) {
      throw new UsageError(`validate: --vendor must be one of ${VENDORS.join(", ")}, not "${vendor}"`);
    }
  }
  return list as Vendor[];
}
