import { isAbsolute, join } from "node:path";
import { fromZodIssues, type Workflow } from "@workflow-sync/core";
import { z } from "zod";
import { CliError } from "../errors.ts";
import { issueLines, readDocument } from "../sources/documents.ts";
import { renameVendorReferences } from "../vendors.ts";

/**
 * `--map mapping.yaml`: renames between the two sides of a plan.
 *
 *   roles:   { "Content editor": "Editor" }     # source role name → target role name
 *   states:  { awaitingApproval: review }       # source state key → target state key
 *   locales: { en-GB: en-US }                   # source locale → target locale
 *   contentTypes: { pressRelease: press_release }  # scope: source codename → target codename
 *   collections: { default: marketing }
 */
export const MappingFile = z.strictObject({
  roles: z.record(z.string().min(1), z.string().min(1)).default({}),
  states: z
    .record(z.string().min(1), z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a state key"))
    .default({}),
  locales: z.record(z.string().min(1), z.string().min(1)).default({}),
  contentTypes: z
    .record(z.string().min(1), z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a codename"))
    .default({}),
  collections: z
    .record(z.string().min(1), z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a codename"))
    .default({}),
});
export type MappingFile = z.infer<typeof MappingFile>;

export async function readMappingFile(path: string, display: string): Promise<MappingFile> {
  const document = await readDocument(path, display);
  const parsed = MappingFile.safeParse(document.value, { reportInput: true });
  if (!parsed.success) {
    const lines = issueLines(display, fromZodIssues(parsed.error.issues), document);
    throw new CliError("invalid_mapping", `${display}: the mapping file is not valid:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

const renameKeys = (text: Record<string, string>, locales: Record<string, string>) =>
  Object.fromEntries(Object.entries(text).map(([locale, value]) => [locales[locale] ?? locale, value]));

/**
 * Apply the renames to workflows (and, through each vendor's adapter, to the references their
 * extensions hold). Names the mapping uses that no workflow has are returned.
 */
export async function applyMappingFile(
  workflows: readonly Workflow[],
  mapping: MappingFile,
): Promise<{ workflows: Workflow[]; unused: string[] }> {
  const usedRoles = new Set<string>();
  const usedStates = new Set<string>();
  const role = (name: string) => {
    if (name in mapping.roles) usedRoles.add(name);
    return mapping.roles[name] ?? name;
  };
  const state = (key: string | null) => {
    if (key !== null && key in mapping.states) usedStates.add(key);
    return key === null ? null : (mapping.states[key] ?? key);
  };
  const text = <T extends Record<string, string> | undefined>(value: T): T =>
    (value === undefined ? value : renameKeys(value, mapping.locales)) as T;

  const usedScope = new Set<string>();
  const scoped = (map: Record<string, string>, kind: string) => (codename: string) => {
    if (codename in map) usedScope.add(`${kind}:${codename}`);
    return map[codename] ?? codename;
  };
  const result = workflows.map((workflow) => ({
    ...workflow,
    scope: {
      contentTypes: workflow.scope.contentTypes.map(scoped(mapping.contentTypes, "contentTypes")),
      collections: workflow.scope.collections.map(scoped(mapping.collections, "collections")),
    },
    name: text(workflow.name),
    description: text(workflow.description),
    initial: state(workflow.initial)!,
    states: workflow.states.map((entry) => ({
      ...entry,
      key: state(entry.key)!,
      name: text(entry.name),
      description: text(entry.description),
      roles: entry.roles.map(role),
    })),
    transitions: workflow.transitions.map((transition) => ({
      ...transition,
      from: state(transition.from)!,
      to: state(transition.to),
      name: text(transition.name),
      description: text(transition.description),
      auditText: text(transition.auditText),
      roles: transition.roles.map(role),
      parameters: transition.parameters.map((parameter) => ({
        ...parameter,
        name: text(parameter.name),
        description: text(parameter.description),
        requiredMessage: text(parameter.requiredMessage),
      })),
    })),
    groups: workflow.groups.map((group) => ({ ...group, name: text(group.name) })),
  }));
  for (const workflow of result) {
    for (const key of ["description"] as const)
      if (workflow[key] === undefined) delete (workflow as Partial<typeof workflow>)[key];
  }
  // References held in vendor extensions (e.g. grant records per role) follow the renames.
  const renamed = await renameVendorReferences(result, {
    roles: mapping.roles,
    contentTypes: mapping.contentTypes,
  });
  const unused = [
    ...Object.keys(mapping.roles)
      .filter((name) => !usedRoles.has(name))
      .map((name) => `role "${name}"`),
    ...Object.keys(mapping.states)
      .filter((key) => !usedStates.has(key))
      .map((key) => `state "${key}"`),
  ];
  return { workflows: renamed, unused };
}

/** Read a mapping file given on the command line (relative to the working folder). */
export async function readMappingFileAt(cwd: string, file: string): Promise<MappingFile> {
  return readMappingFile(isAbsolute(file) ? file : join(cwd, file), file);
}
