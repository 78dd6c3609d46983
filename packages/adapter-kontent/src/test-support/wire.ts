import { createRandom, kontentExampleIds } from "@workflow-sync/test-utils";
import { KONTENT_COLORS } from "../rules.ts";
import type { KontentReference, KontentWorkflow, KontentWorkflowWrite } from "../wire.ts";

/**
 * The "Workflow object" example of [W] (https://kontent.ai/learn/docs/apis/management-api-v2/workflows), with
 * `steps` as the array the schema says it is (the rendered example shows one step as an object).
 */
export const documentedExample: KontentWorkflow = {
  id: "8e38928b-50b6-4e9e-ab53-af35d6fcfcb8",
  name: "My workflow",
  codename: "my_workflow",
  scopes: [
    {
      content_types: [
        { id: "1cdb6e21-3330-4f0f-88cd-171098950e4f" },
        { id: "2ea20d43-5293-43a4-8bd2-9674a92b20ec" },
      ],
      collections: [
        { id: "b15b6050-80d8-406d-bf21-3012e4ad0ac5" },
        { id: "af665269-5b03-409d-b6e4-81a8b34e97fc" },
      ],
    },
  ],
  steps: [
    {
      id: "b288d00b-f5cd-4afe-97fc-42b9264404f3",
      name: "Draft",
      codename: "draft",
      color: "red",
      transitions_to: [
        { step: { id: "c199950d-99f0-4983-b711-6c4c91624b22" } },
        { step: { id: "7a535a69-ad34-47f8-806a-def1fdf4d391" } },
      ],
      role_ids: ["e25d74b8-f81a-4faf-94b9-b0bf2b3802c6"],
    },
  ],
  published_step: {
    id: "c199950d-99f0-4983-b711-6c4c91624b22",
    name: "Published",
    codename: "published",
    unpublish_role_ids: ["e25d74b8-f81a-4faf-94b9-b0bf2b3802c6"],
    create_new_version_role_ids: ["e25d74b8-f81a-4faf-94b9-b0bf2b3802c6"],
  },
  scheduled_step: { id: "9d2b0228-4d0d-4c23-8b49-01a698857709", name: "Scheduled", codename: "scheduled" },
  archived_step: {
    id: "7a535a69-ad34-47f8-806a-def1fdf4d391",
    name: "Archived",
    codename: "archived",
    role_ids: ["e25d74b8-f81a-4faf-94b9-b0bf2b3802c6"],
  },
};

/** The references the documented example needs (role names and codenames are the fixture's). */
export const exampleReferences = {
  roles: kontentExampleIds.roles as Record<string, string>,
  contentTypes: kontentExampleIds.contentTypes as Record<string, string>,
  collections: kontentExampleIds.collections as Record<string, string>,
};

export const richRoles: Record<string, string> = {
  "11111111-0000-4000-8000-000000000001": "Author",
  "11111111-0000-4000-8000-000000000002": "Editor",
  "11111111-0000-4000-8000-000000000003": "Legal",
  "11111111-0000-4000-8000-000000000004": "Managing editor",
  "11111111-0000-4000-8000-000000000005": "Project manager",
};
export const richTypes: Record<string, string> = {
  "22222222-0000-4000-8000-000000000001": "article",
  "22222222-0000-4000-8000-000000000002": "news_item",
  "22222222-0000-4000-8000-000000000003": "landing_page",
};
export const richCollections: Record<string, string> = {
  "00000000-0000-0000-0000-000000000000": "default",
  "33333333-0000-4000-8000-000000000001": "marketing",
  "33333333-0000-4000-8000-000000000002": "legal",
};
export const richReferences = { roles: richRoles, contentTypes: richTypes, collections: richCollections };

const ids = (map: Record<string, string>) => Object.keys(map);

/** The same id → name/codename maps as the arrays a seed or a list endpoint holds. */
export function asList(map: Record<string, string>, field: "name" | "codename") {
  return Object.entries(map).map(([id, value]) => ({
    id,
    name: value,
    codename: field === "codename" ? value : null,
  }));
}

/**
 * A random but valid Kontent.ai workflow as `GET /workflows` answers it: 1–6 steps, each leading to
 * 1–3 targets among later/earlier steps, Published and Archived; roles, scopes (none, one, several)
 * and colours drawn from the given references.
 */
export function randomWireWorkflow(seed: number, codename = `wf_${seed}`): KontentWorkflow {
  const random = createRandom(seed);
  const uuid = (n: number) =>
    `${(seed >>> 0).toString(16).padStart(8, "0")}-1000-4000-8000-${n.toString(16).padStart(12, "0")}`;
  const count = 1 + random.int(6);
  const roleIds = ids(richRoles);
  const stepIds = Array.from({ length: count }, (_, i) => uuid(i + 10));
  const published = uuid(1);
  const archived = uuid(2);
  const scheduled = uuid(3);
  const steps = stepIds.map((id, i) => {
    const targets = random.sample(
      [...stepIds.filter((other) => other !== id), published, archived],
      1 + random.int(3),
    );
    // Every step reaches Published (the vendor requires it): through the next step, or directly.
    const onward = i === count - 1 ? published : stepIds[i + 1]!;
    if (!targets.includes(onward) && !targets.includes(published)) targets.push(onward);
    return {
      id,
      name: `Step ${i} ${random.pick(["review", "check", "edit", "approve"])}`.slice(0, 30),
      codename: `step_${i}_${random.int(1000)}`,
      color: random.pick(KONTENT_COLORS),
      transitions_to: targets.map((target) => ({ step: { id: target } })),
      role_ids: random.sample(roleIds, random.int(3)),
    };
  });
  const scopeCount = random.int(4);
  const scopes = Array.from({ length: scopeCount }, () => ({
    content_types: random.sample(ids(richTypes), random.int(3)).map((id) => ({ id })),
    collections: random.sample(ids(richCollections), random.int(3)).map((id) => ({ id })),
  }));
  return {
    id: uuid(0),
    name: `Workflow ${seed}`,
    codename,
    scopes,
    steps,
    published_step: {
      id: published,
      name: "Published",
      codename: "published",
      unpublish_role_ids: random.sample(roleIds, random.int(3)),
      create_new_version_role_ids: random.sample(roleIds, random.int(3)),
    },
    scheduled_step: { id: scheduled, name: "Scheduled", codename: "scheduled" },
    archived_step: {
      id: archived,
      name: "Archived",
      codename: "archived",
      role_ids: random.sample(roleIds, random.int(2)),
    },
  };
}

/**
 * A workflow as read, in the shape of a write body: ids, `scheduled_step` and the predefined steps'
 * names and codenames (server-managed) left out; transitions and scopes by codename. This is what
 * "lossless up to ids" compares against.
 */
export function writeFormOf(
  wire: KontentWorkflow,
  references: { contentTypes: Record<string, string>; collections: Record<string, string> },
): KontentWorkflowWrite {
  const codenameOfStep = new Map<string, string>([
    ...wire.steps.map((step) => [step.id, step.codename] as [string, string]),
    [wire.published_step.id, "published"],
    [wire.archived_step.id, "archived"],
  ]);
  const ref = (id: string, map: Record<string, string>): KontentReference => ({
    codename: map[id] ?? `?${id}`,
  });
  return {
    name: wire.name,
    codename: wire.codename,
    scopes: wire.scopes.map((scope) => ({
      content_types: scope.content_types.map((type) => ref(type.id, references.contentTypes)),
      collections: scope.collections.map((collection) => ref(collection.id, references.collections)),
    })),
    steps: wire.steps.map((step) => ({
      name: step.name,
      codename: step.codename,
      color: step.color,
      transitions_to: step.transitions_to.map((t) => ({
        step: { codename: codenameOfStep.get(t.step.id) ?? `?${t.step.id}` },
      })),
      role_ids: [...step.role_ids],
    })),
    published_step: {
      unpublish_role_ids: [...wire.published_step.unpublish_role_ids],
      create_new_version_role_ids: [...wire.published_step.create_new_version_role_ids],
    },
    archived_step: { role_ids: [...wire.archived_step.role_ids] },
  };
}
