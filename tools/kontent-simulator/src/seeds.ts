/** Seeds: loading, the built-in demo seed, and building environments from a seed. */
import { readFileSync } from "node:fs";
import {
  DEFAULT_COLLECTION_ID,
  DEFAULT_DRAFT_STEP_ID,
  DEFAULT_LANGUAGE_ID,
  DEFAULT_WORKFLOW_ID,
} from "./constants.ts";
import { ApiError } from "./errors.ts";
import { Environment, findByReference, findStep } from "./state.ts";
import type { EnvironmentSeed, KontentSeed, Reference, VariantSeed, WorkflowSeed } from "./types.ts";
import { buildWorkflow, describeReference } from "./validation.ts";

/** Timestamp given to seeded objects that carry none, so that states are reproducible. */
export const SEED_TIME = "2026-01-01T00:00:00.000Z";

const DEMO_SEED_URL = new URL("../seeds/demo.json", import.meta.url);

/** The built-in demo seed (`seeds/demo.json`): environments `dev` and `prod`. A fresh copy on every call. */
export function demoSeed(): KontentSeed {
  return loadSeedFile(DEMO_SEED_URL);
}

export function loadSeedFile(path: string | URL): KontentSeed {
  const text = readFileSync(path, "utf8");
  try {
    return JSON.parse(text) as KontentSeed;
  } catch (error) {
    throw new Error(`The seed file ${String(path)} is not valid JSON: ${(error as Error).message}`);
  }
}

export function resolveSeed(seed: KontentSeed | string | undefined): KontentSeed {
  if (seed === undefined) return demoSeed();
  if (typeof seed === "string") return loadSeedFile(seed);
  return structuredClone(seed);
}

/** Builds every environment of a seed; throws an Error that names the environment on any inconsistency. */
export function buildEnvironments(seed: KontentSeed): Map<string, Environment> {
  if (typeof seed !== "object" || seed === null || typeof seed.environments !== "object") {
    throw new Error("A seed must be an object with an 'environments' map.");
  }
  const result = new Map<string, Environment>();
  for (const [id, envSeed] of Object.entries(seed.environments)) {
    try {
      result.set(id, buildEnvironment(id, envSeed));
    } catch (error) {
      const detail =
        error instanceof ApiError && error.validationErrors
          ? error.validationErrors.map((v) => `${v.path ?? ""}: ${v.message}`).join("; ")
          : (error as Error).message;
      throw new Error(`Invalid seed for environment '${id}': ${detail}`);
    }
  }
  return result;
}

function buildEnvironment(id: string, seed: EnvironmentSeed): Environment {
  if (!Array.isArray(seed.apiKeys)) throw new Error("'apiKeys' must be an array of strings.");
  const env = new Environment(id, seed.apiKeys, SEED_TIME);
  env.roles = structuredClone(seed.roles ?? []);
  env.keysWithoutRoles = new Set(seed.keysWithoutRoles ?? []);
  env.contentTypes = (seed.contentTypes ?? []).map((t) => ({
    ...structuredClone(t),
    last_modified: t.last_modified ?? SEED_TIME,
    elements: structuredClone(t.elements ?? []),
  }));
  env.collections = structuredClone(seed.collections ?? []);
  if (!env.collections.some((c) => c.id === DEFAULT_COLLECTION_ID)) {
    env.collections.unshift({ id: DEFAULT_COLLECTION_ID, name: "Default", codename: "default" });
  }
  const languages = seed.languages?.length
    ? seed.languages
    : [{ id: DEFAULT_LANGUAGE_ID, name: "Default project language", codename: "default" }];
  const defaultLanguageId =
    languages.find((l) => l.is_default)?.id ??
    languages.find((l) => l.id === DEFAULT_LANGUAGE_ID)?.id ??
    (languages[0]?.id as string);
  env.languages = languages.map((l) => ({
    ...structuredClone(l),
    is_active: l.is_active ?? true,
    is_default: l.id === defaultLanguageId,
    fallback_language: l.fallback_language ?? { id: defaultLanguageId },
  }));
  env.items = (seed.items ?? []).map((item) => {
    const type = must(findByReference(env.contentTypes, item.type), "content type", item.type);
    const collection = item.collection
      ? must(findByReference(env.collections, item.collection), "collection", item.collection)
      : { id: DEFAULT_COLLECTION_ID };
    return {
      ...structuredClone(item),
      type: { id: type.id },
      collection: { id: collection.id },
      last_modified: item.last_modified ?? SEED_TIME,
    };
  });

  const workflows = seed.workflows ?? [];
  if (!workflows.some((w) => w.id === DEFAULT_WORKFLOW_ID)) workflows.unshift(defaultWorkflowSeed());
  for (const wf of workflows) {
    if (env.workflows.some((w) => w.id === wf.id)) throw new Error(`Duplicate workflow id '${wf.id}'.`);
    env.workflows.push(buildWorkflow(env, withSeedDefaults(wf), { kind: "seed", id: wf.id }));
  }
  // The default workflow is listed first, as in real environments (assumption).
  env.workflows.sort((a, b) => Number(b.id === DEFAULT_WORKFLOW_ID) - Number(a.id === DEFAULT_WORKFLOW_ID));

  for (const v of seed.variants ?? []) addVariant(env, v);
  return env;
}

function withSeedDefaults(wf: WorkflowSeed): unknown {
  return {
    ...wf,
    scopes: wf.scopes ?? [],
    steps: wf.steps.map((s) => ({ ...s, role_ids: s.role_ids ?? [] })),
  };
}

/** The default workflow of a fresh environment: one step `draft` that transitions to published and archived. */
function defaultWorkflowSeed(): WorkflowSeed {
  return {
    id: DEFAULT_WORKFLOW_ID,
    name: "Default",
    codename: "default",
    scopes: [],
    steps: [
      {
        id: DEFAULT_DRAFT_STEP_ID,
        name: "Draft",
        codename: "draft",
        color: "red",
        transitions_to: [{ step: { codename: "published" } }, { step: { codename: "archived" } }],
        role_ids: [],
      },
    ],
  };
}

function addVariant(env: Environment, seed: VariantSeed) {
  const item = must(findByReference(env.items, seed.item), "content item", seed.item);
  const language = must(findByReference(env.languages, seed.language), "language", seed.language);
  if (env.findVariant(item.id, language.id)) {
    throw new Error(`Duplicate variant of item '${item.codename}' in language '${language.codename}'.`);
  }
  const workflowRef = seed.workflow?.workflow_identifier ?? { id: DEFAULT_WORKFLOW_ID };
  const workflow = must(env.findWorkflowByReference(workflowRef), "workflow", workflowRef);
  const stepRef = seed.workflow?.step_identifier ?? { id: workflow.steps[0]?.id };
  const step = must(findStep(workflow, stepRef), `step of workflow '${workflow.codename}'`, stepRef);
  const lastModified = seed.last_modified ?? SEED_TIME;
  env.variants.push({
    data: {
      item: { id: item.id },
      language: { id: language.id },
      elements: structuredClone(seed.elements ?? []),
      workflow: { workflow_identifier: { id: workflow.id }, step_identifier: { id: step.id } },
      workflow_step: { id: step.id },
      last_modified: lastModified,
      schedule: {
        publish_time: null,
        publish_display_timezone: null,
        unpublish_time: null,
        unpublish_display_timezone: null,
      },
      due_date: { value: null },
      contributors: [],
      note: null,
    },
    stepBeforeSchedule: null,
  });
}

function must<T>(value: T | undefined, what: string, ref: Reference): T {
  if (value === undefined) throw new Error(`The ${what} ${describeReference(ref)} does not exist.`);
  return value;
}
