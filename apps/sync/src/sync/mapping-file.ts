import { isAbsolute, join } from "node:path";
import { fromZodIssues, type Transition, type Workflow } from "@workflow-sync/core";
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
  const renames = new Renames(mapping);
  const result = workflows.map((workflow) => renames.workflow(workflow));
  // References held in vendor extensions (e.g. grant records per role) follow the renames.
  const renamed = await renameVendorReferences(result, {
    roles: mapping.roles,
    contentTypes: mapping.contentTypes,
  });
  return { workflows: renamed, unused: renames.unused() };
}

/** The renames of one mapping file, remembering which role and state names were used. */
class Renames {
  readonly #mapping: MappingFile;
  readonly #usedRoles = new Set<string>();
  readonly #usedStates = new Set<string>();

  constructor(mapping: MappingFile) {
    this.#mapping = mapping;
  }

  workflow(workflow: Workflow): Workflow {
    const { contentTypes, collections } = this.#mapping;
    const renamed: Workflow = {
      ...workflow,
      scope: {
        contentTypes: workflow.scope.contentTypes.map((codename) => contentTypes[codename] ?? codename),
        collections: workflow.scope.collections.map((codename) => collections[codename] ?? codename),
      },
      name: this.#text(workflow.name),
      initial: this.#state(workflow.initial),
      states: workflow.states.map((entry) => ({
        ...entry,
        key: this.#state(entry.key),
        name: this.#text(entry.name),
        description: this.#text(entry.description),
        roles: entry.roles.map((role) => this.#role(role)),
      })),
      transitions: workflow.transitions.map((transition) => this.#transition(transition)),
      groups: workflow.groups.map((group) => ({ ...group, name: this.#text(group.name) })),
    };
    const description = this.#text(workflow.description);
    if (description === undefined) delete renamed.description;
    else renamed.description = description;
    return renamed;
  }

  /** The role and state names of the mapping that no workflow used. */
  unused(): string[] {
    return [
      ...Object.keys(this.#mapping.roles)
        .filter((name) => !this.#usedRoles.has(name))
        .map((name) => `role "${name}"`),
      ...Object.keys(this.#mapping.states)
        .filter((key) => !this.#usedStates.has(key))
        .map((key) => `state "${key}"`),
    ];
  }

  #transition(transition: Transition): Transition {
    return {
      ...transition,
      from: this.#state(transition.from),
      to: transition.to === null ? null : this.#state(transition.to),
      name: this.#text(transition.name),
      description: this.#text(transition.description),
      auditText: this.#text(transition.auditText),
      roles: transition.roles.map((role) => this.#role(role)),
      parameters: transition.parameters.map((parameter) => ({
        ...parameter,
        name: this.#text(parameter.name),
        description: this.#text(parameter.description),
        requiredMessage: this.#text(parameter.requiredMessage),
      })),
    };
  }

  #role(name: string): string {
    if (name in this.#mapping.roles) this.#usedRoles.add(name);
    return this.#mapping.roles[name] ?? name;
  }

  #state(key: string): string {
    if (key in this.#mapping.states) this.#usedStates.add(key);
    return this.#mapping.states[key] ?? key;
  }

  #text<T extends Record<string, string> | undefined>(value: T): T {
    return (value === undefined ? value : renameKeys(value, this.#mapping.locales)) as T;
  }
}

/** Read a mapping file given on the command line (relative to the working folder). */
export async function readMappingFileAt(cwd: string, file: string): Promise<MappingFile> {
  return readMappingFile(isAbsolute(file) ? file : join(cwd, file), file);
}
