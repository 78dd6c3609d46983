import { type Loss, type MappingResult, typedReference, type Workflow } from "@workflow-sync/core";
import { z } from "zod";
import { DEFAULT_LOCALE } from "./mapping/context.ts";
import { toNeutral } from "./mapping/to-neutral.ts";
import { KONTENT_COLORS, KONTENT_LIMITS } from "./rules.ts";
import {
  ARCHIVED_CODENAME,
  type KontentWorkflow,
  PUBLISHED_CODENAME,
  parseWire,
  SCHEDULED_CODENAME,
} from "./wire.ts";

/*
 * A Kontent.ai workflow read from a file, offline, in any of the shapes people have:
 *
 * - the **request** shape ("Add a workflow" / "Update a workflow" bodies): references by `codename`
 *   or `external_id` (write-only, [REF]), steps and the workflow without ids, the predefined steps
 *   with their role lists only, the workflow codename optional (the docs' own "Add a workflow"
 *   example has none);
 * - the **response** shape (`GET /workflows`, the 201/200 answers): ids only ("Responses always
 *   return internal IDs", [REF]);
 * - this tool's own `convert --to kontent` output (the request shape, role names in `role_ids`).
 *
 * Sources: https://kontent.ai/learn/docs/apis/management-api-v2/workflows (Workflow object, Add,
 * Update; codename and external_id references: https://kontent.ai/learn/docs/apis/management-api-v2/references).
 *
 * What cannot be resolved offline (an id without its codename: scope content types and
 * collections, role ids) stays a typed reference (`id:<id>`, `external_id:<x>`) in the neutral
 * workflow and is resolved when a target environment is known (`fromNeutral` with a context).
 * The file is read leniently about what the semantic rules judge (a step without transitions, a
 * transition to a codename that is not a step): those reach core's rules and get their messages.
 */

/** `{ id }`, `{ codename }` or `{ external_id }` ([REF]: "reference the objects by their codenames or external IDs"). */
const FileReference = z
  .looseObject({
    id: z.string().min(1).optional(),
    codename: z.string().min(1).optional(),
    external_id: z.string().min(1).optional(),
  })
  .refine((ref) => ref.id !== undefined || ref.codename !== undefined || ref.external_id !== undefined, {
    message: "a reference needs an id, a codename or an external_id",
  });
type FileReference = z.infer<typeof FileReference>;

const FileScope = z.looseObject({
  content_types: z.array(FileReference).default([]),
  collections: z.array(FileReference).default([]),
});

const FileStep = z.looseObject({
  id: z.string().min(1).optional(),
  name: z.string(),
  codename: z.string().min(1).optional(),
  color: z.enum(KONTENT_COLORS).optional(),
  transitions_to: z.array(z.looseObject({ step: FileReference })).default([]),
  role_ids: z.array(z.string()).default([]),
});

/**
 * The docs' rendered "Workflow object" example shows `steps` as one object rather than a list of
 * one; that example is read as the list it stands for.
 */
const FileSteps = z.preprocess(
  (value) => (value !== null && typeof value === "object" && !Array.isArray(value) ? [value] : value),
  z.array(FileStep).min(1, "a Kontent.ai workflow has at least one step"),
);

export const KontentWorkflowFileSchema = z.looseObject({
  id: z.string().min(1).optional(),
  name: z.string().min(1, "a Kontent.ai workflow needs a name (1–200 characters)"),
  codename: z.string().min(1).optional(),
  scopes: z.array(FileScope).default([]),
  steps: FileSteps,
  published_step: z
    .looseObject({
      id: z.string().min(1).optional(),
      name: z.string().optional(),
      codename: z.string().optional(),
      unpublish_role_ids: z.array(z.string()).default([]),
      create_new_version_role_ids: z.array(z.string()).default([]),
    })
    .default({ unpublish_role_ids: [], create_new_version_role_ids: [] }),
  scheduled_step: z
    .looseObject({
      id: z.string().min(1).optional(),
      name: z.string().optional(),
      codename: z.string().optional(),
    })
    .optional(),
  archived_step: z
    .looseObject({
      id: z.string().min(1).optional(),
      name: z.string().optional(),
      codename: z.string().optional(),
      role_ids: z.array(z.string()).default([]),
    })
    .default({ role_ids: [] }),
});
export type KontentWorkflowFile = z.infer<typeof KontentWorkflowFileSchema>;

/**
 * The codename Kontent.ai would generate from a name: lowercase, every run of other characters one
 * `_`, trimmed; `n` in front of a leading digit. ASSUMPTION (the docs state only the codename
 * rules, [REF]); the docs' example "My workflow" answers with codename "my_workflow".
 */
export function codenameFromName(name: string): string {
  let codename = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (codename === "") codename = "workflow";
  if (/^[0-9]/.test(codename)) codename = `n${codename}`;
  return codename.slice(0, KONTENT_LIMITS.workflowCodename);
}

/** Whether a value looks like a Kontent.ai workflow in any file shape (for source detection). */
export function isKontentWorkflowFile(value: unknown): boolean {
  if (!isObject(value)) return false;
  return (
    (Array.isArray(value.steps) || isObject(value.steps)) &&
    (isObject(value.published_step) || isObject(value.archived_step)) &&
    !Array.isArray(value.states)
  );
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

export interface ReadFileOptions {
  /** The locale of the plain-string names (default `en-US`). */
  locale?: string;
  /** For messages: the file (and index) read. */
  what: string;
}

/**
 * A Kontent.ai workflow file in neutral form, offline. Throws a `KontentResponseError` naming the
 * path when the file does not have a workflow's shape; everything else (steps that never reach
 * Published, a transition to a codename that is no step) is left to core's rules.
 */
export function readKontentFile(document: unknown, options: ReadFileOptions): MappingResult<Workflow> {
  const file = parseWire(KontentWorkflowFileSchema, document, options.what);
  const losses: Loss[] = [];
  const loss = (path: Array<string | number>, message: string) =>
    losses.push({ code: "structure", path, message, vendor: "kontent" });

  const codename = file.codename ?? codenameFromName(file.name);
  if (file.codename === undefined) {
    loss(
      ["codename"],
      `no codename: the key is "${codename}", the codename Kontent.ai derives from the name "${file.name}"`,
    );
  }
  const ids = fileStepIds(file, loss);
  const lookups = offlineLookups();
  const wire = wireOfFile(file, codename, ids, lookups);
  const typedRoles = [...lookups.roles.values()].filter((name) => name.startsWith("id:"));
  if (typedRoles.length > 0) {
    loss(
      ["roles"],
      `offline: role ids without names are kept as typed references (${typedRoles.join(", ")}); they are resolved in the target environment`,
    );
  }
  const mapped = toNeutral(wire, {
    roles: lookups.roles,
    contentTypes: lookups.contentTypes,
    collections: lookups.collections,
    locale: options.locale ?? DEFAULT_LOCALE,
    environment: options.what,
    danglingSteps: true,
  });
  return { value: mapped.value, losses: [...losses, ...mapped.losses] };
}

/** Synthetic ids stand in where the file has none; a reference by codename uses the same form. */
const byCodename = (value: string) => `codename:${value}`;

/** The id of every step of a file (its own, or a synthetic one), and of each step by codename. */
interface FileStepIds {
  steps: Array<{ step: KontentWorkflowFile["steps"][number]; id: string; codename: string }>;
  byCodename: Map<string, string>;
  published: string;
  scheduled: string;
  archived: string;
}

function fileStepIds(
  file: KontentWorkflowFile,
  loss: (path: Array<string | number>, message: string) => void,
): FileStepIds {
  const stepIdByCodename = new Map<string, string>();
  const steps = file.steps.map((step, index) => {
    const stepCodename = step.codename ?? codenameFromName(step.name);
    if (step.codename === undefined) {
      loss(["steps", index, "codename"], `step "${step.name}": no codename; read as "${stepCodename}"`);
    }
    const id = step.id ?? byCodename(stepCodename);
    stepIdByCodename.set(stepCodename, id);
    return { step, id, codename: stepCodename };
  });
  const published = file.published_step.id ?? byCodename(PUBLISHED_CODENAME);
  const scheduled = file.scheduled_step?.id ?? byCodename(SCHEDULED_CODENAME);
  const archived = file.archived_step.id ?? byCodename(ARCHIVED_CODENAME);
  stepIdByCodename.set(PUBLISHED_CODENAME, published);
  stepIdByCodename.set(SCHEDULED_CODENAME, scheduled);
  stepIdByCodename.set(ARCHIVED_CODENAME, archived);
  return { steps, byCodename: stepIdByCodename, published, scheduled, archived };
}

function stepReference(ids: FileStepIds, ref: FileReference): string {
  if (ref.id !== undefined) return ref.id;
  if (ref.codename !== undefined) return ids.byCodename.get(ref.codename) ?? byCodename(ref.codename);
  return `external_id:${ref.external_id}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The lookups `toNeutral` resolves a file's references with, filled while the file is read. */
interface OfflineLookups {
  roles: Map<string, string>;
  contentTypes: Map<string, string>;
  collections: Map<string, string>;
  /** Scope references: a codename is a key; an id or external id stays typed (resolved later). */
  scopeRef(ref: FileReference, into: Map<string, string>): { id: string };
  /**
   * Role ids: plain strings (https://kontent.ai/learn/docs/apis/management-api-v2/workflows);
   * offline they stay typed (`id:<uuid>`), except names this tool wrote itself (convert --to
   * kontent without an environment writes role names).
   */
  roleIds(ids: readonly string[]): string[];
}

function offlineLookups(): OfflineLookups {
  const roles = new Map<string, string>();
  return {
    roles,
    contentTypes: new Map(),
    collections: new Map(),
    scopeRef: (ref, into) => {
      if (ref.codename !== undefined) {
        const id = byCodename(ref.codename);
        into.set(id, ref.codename);
        return { id };
      }
      if (ref.id !== undefined) {
        into.set(ref.id, typedReference("id", ref.id));
        return { id: ref.id };
      }
      const id = `external_id:${ref.external_id}`;
      into.set(id, typedReference("external_id", ref.external_id!));
      return { id };
    },
    roleIds: (ids) => {
      for (const id of ids) roles.set(id, UUID.test(id) ? typedReference("id", id) : id);
      return [...ids];
    },
  };
}

/** The file as `GET /workflows` would answer it, with the ids of `ids`. */
function wireOfFile(
  file: KontentWorkflowFile,
  codename: string,
  ids: FileStepIds,
  lookups: OfflineLookups,
): KontentWorkflow {
  const { roleIds, scopeRef } = lookups;
  return {
    id: file.id ?? byCodename(codename),
    name: file.name,
    codename,
    scopes: file.scopes.map((scope) => ({
      content_types: scope.content_types.map((ref) => scopeRef(ref, lookups.contentTypes)),
      collections: scope.collections.map((ref) => scopeRef(ref, lookups.collections)),
    })),
    steps: ids.steps.map(({ step, id, codename: stepCodename }) => ({
      id,
      name: step.name,
      codename: stepCodename,
      // Absent colour (a hand-written file): left absent in neutral.
      color: step.color as KontentWorkflow["steps"][number]["color"],
      transitions_to: step.transitions_to.map((transition) => ({
        step: { id: stepReference(ids, transition.step) },
      })),
      role_ids: roleIds(step.role_ids),
    })),
    published_step: {
      id: ids.published,
      name: file.published_step.name ?? "Published",
      codename: PUBLISHED_CODENAME,
      unpublish_role_ids: roleIds(file.published_step.unpublish_role_ids),
      create_new_version_role_ids: roleIds(file.published_step.create_new_version_role_ids),
    },
    scheduled_step: {
      id: ids.scheduled,
      name: file.scheduled_step?.name ?? "Scheduled",
      codename: SCHEDULED_CODENAME,
    },
    archived_step: {
      id: ids.archived,
      name: file.archived_step.name ?? "Archived",
      codename: ARCHIVED_CODENAME,
      role_ids: roleIds(file.archived_step.role_ids),
    },
  };
}
