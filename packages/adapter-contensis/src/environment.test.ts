import {
  canonicalJson,
  type EnvironmentSnapshot,
  type Loss,
  UnresolvedReferencesError,
  type VendorRequest,
  type Workflow,
} from "@workflow-sync/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { assignWorkflow } from "./content-types.ts";
import { ContensisEnvironment } from "./environment.ts";
import {
  ContensisConflictError,
  DefinitionRulesError,
  ReadOnlyWorkflowError,
  WorkflowInUseError,
} from "./errors.ts";
import { fromNeutral } from "./mapping/from-neutral.ts";
import { toNeutral } from "./mapping/to-neutral.ts";
import { LATEST_VERSION } from "./plan-writes.ts";
import { assertDefinition } from "./rules.ts";
import { CUSTOM_ENTRY_APPROVAL, DMH_APPROVAL } from "./test-support/seeds.ts";
import {
  type ContensisSimulator,
  clientFor,
  DEV,
  emptySeed,
  lines,
  PROD,
  startContensisSimulator,
} from "./test-support/sim.ts";
import { type ContensisWorkflowDefinition, WireWorkflowDefinition } from "./wire.ts";
import { createDefinition, deleteDefinition, publishDefinition, updateDefinition } from "./write.ts";

let sim: ContensisSimulator;
beforeAll(async () => {
  sim = await startContensisSimulator();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  sim.setFaults(undefined);
});

const environment = (projectId: string) => new ContensisEnvironment({ client: clientFor(sim, projectId) });

function withoutServerFields(definition: Record<string, unknown>) {
  const { uuid: _uuid, version: _version, projectId: _projectId, isSystem: _isSystem, ...rest } = definition;
  return rest;
}

/** A custom workflow made in dev, to promote. */
const CONTENT_REVIEW = {
  id: "contentReview",
  name: { "en-GB": "Content review", "fr-FR": "Relecture du contenu" },
  description: { "en-GB": "An editor reviews, then it goes live" },
  states: [
    {
      id: "draft",
      name: { "en-GB": "Draft", "fr-FR": "Brouillon" },
      events: [
        {
          id: "submit",
          name: { "en-GB": "Send for review" },
          auditText: { "en-GB": "Sent for review" },
          description: { "en-GB": "Send for review" },
          transitionTo: "inReview",
          color: "green",
          groupId: "submitRevoke",
          uiAction: "navigateToEntryListing",
          validate: true,
          parameters: [],
        },
      ],
      color: "cobalt",
      uiEditorView: "default",
      allowUpdates: true,
    },
    {
      id: "inReview",
      name: { "en-GB": "In review" },
      events: [
        {
          id: "approve",
          name: { "en-GB": "Approve" },
          auditText: { "en-GB": "Approved" },
          description: { "en-GB": "Approve" },
          transitionTo: "sysWorkflow",
          color: "green",
          groupId: "approveDecline",
          uiAction: "navigateToEntryListing",
          validate: false,
          parameters: [],
          invokableWhen: [{ field: "isScheduledForPublish()", equalTo: false }],
        },
        {
          id: "reject",
          name: { "en-GB": "Reject" },
          auditText: { "en-GB": "Rejected" },
          description: { "en-GB": "Reject" },
          transitionTo: "draft",
          color: "red",
          groupId: "approveDecline",
          uiAction: "navigateToEntryListing",
          validate: false,
          parameters: [
            {
              id: "reason",
              name: { "en-GB": "Reason" },
              dataType: "string",
              dataFormat: null,
              description: { "en-GB": "Why" },
              default: null,
              validations: { required: { message: { "en-GB": "Say why" } } },
              editor: { id: "multiline", instructions: { "en-GB": "Say why" }, properties: null },
            },
          ],
        },
      ],
      color: "teal",
      uiEditorView: "previousPublishedVersionCompare",
      allowUpdates: false,
    },
  ],
  eventGroups: [
    { id: "submitRevoke", name: { "en-GB": "Submit / revoke" } },
    { id: "approveDecline", name: { "en-GB": "Approve / decline" } },
  ],
};

/** Plan dev → target for every custom workflow of the source, as the sync app would. */
function planPromotion(
  source: EnvironmentSnapshot,
  target: EnvironmentSnapshot,
  env: ContensisEnvironment,
): { requests: VendorRequest[]; losses: Loss[] } {
  const requests: VendorRequest[] = [];
  const losses: Loss[] = [];
  for (const workflow of source.workflows) {
    if (source.readOnly.includes(workflow.key)) continue;
    const current = target.workflows.find((candidate) => candidate.key === workflow.key);
    const plan = current ? env.planUpdate(workflow, current, target) : env.planCreate(workflow, target);
    requests.push(...plan.value);
    losses.push(...plan.losses);
  }
  return { requests, losses };
}

async function seedContentReviewInDev(): Promise<void> {
  const client = clientFor(sim, DEV);
  await createDefinition(client, WireWorkflowDefinition.parse(CONTENT_REVIEW));
  await publishDefinition(client, "contentReview");
  await assignWorkflow(client, "blogPost", "contentReview");
}

describe("read", () => {
  it("reads every definition (latest and published), scope from content types, roles from permissions", async () => {
    const snapshot = await environment(DEV).read();
    expect(snapshot.vendor).toBe("contensis");
    expect(snapshot.workflows.map((workflow) => workflow.key).sort()).toEqual([
      "CustomEntryApproval",
      "contensisEntryApproval",
      "contensisEntryBasic",
      "legalReview",
    ]);
    expect([...snapshot.readOnly].sort()).toEqual(["contensisEntryApproval", "contensisEntryBasic"]);
    expect(snapshot.roles).toEqual(["Approvers", "Authors", "Editors-in-chief", "Legal reviewers"]);
    expect(snapshot.contentTypes).toEqual(["blogPost", "legalNotice", "newsArticle", "pressRelease"]);
    const custom = snapshot.workflows.find((workflow) => workflow.key === "CustomEntryApproval");
    expect(custom?.scope).toEqual({ contentTypes: ["pressRelease"], collections: [] });
    const roles = (from: string, key: string) =>
      custom?.transitions.find((transition) => transition.from === from && transition.key === key)?.roles;
    expect(roles("draft", "submit")).toEqual(["Approvers", "Authors"]);
    expect(roles("awaitingApproval", "approve")).toEqual(["Approvers"]);
    expect(roles("awaitingApproval", "revoke")).toEqual(["Approvers", "Authors"]);
    const basic = snapshot.workflows.find((workflow) => workflow.key === "contensisEntryBasic");
    expect(basic?.extensions.contensis?.isSystem).toBe(true);
    // legalReview: latest (2.1, unpublished) is read; the published version is in the native part
    const native = snapshot.native as {
      published: ContensisWorkflowDefinition[];
      definitions: ContensisWorkflowDefinition[];
    };
    expect(native.definitions.find((definition) => definition.id === "legalReview")?.version?.versionNo).toBe(
      "2.1",
    );
    expect(native.published.find((definition) => definition.id === "legalReview")?.version?.versionNo).toBe(
      "2.0",
    );
    // "Legal reviewers" may act only on legalNotice in en-GB: reported, not dropped silently
    const legal = snapshot.losses.filter(
      (loss) => loss.path[0] === "legalReview" && loss.code === "role_granularity",
    );
    expect(legal.some((loss) => loss.message.includes('role "Legal reviewers"'))).toBe(true);
  });

  it("round-trips every definition read (the DMH-based system approval and CustomEntryApproval among them) losslessly", async () => {
    const snapshot = await environment(DEV).read();
    const native = snapshot.native as { definitions: ContensisWorkflowDefinition[] };
    for (const definition of native.definitions) {
      const back = fromNeutral(toNeutral(definition).value);
      expect(back.losses).toEqual([]);
      expect(back.value).toEqual(withoutServerFields(definition));
    }
    const custom = native.definitions.find((definition) => definition.id === "CustomEntryApproval");
    expect(withoutServerFields(custom as Record<string, unknown>)).toEqual(
      withoutServerFields(CUSTOM_ENTRY_APPROVAL),
    );
    expect(custom?.isSystem).toBe(false);
  });

  it("writes both seed definitions to a project and reads them back unchanged", async () => {
    sim.reset(emptySeed("fresh", { contentTypes: [{ id: "page", name: { "en-GB": "Page" } }] }));
    const env = environment("fresh");
    const before = await env.read();
    for (const seed of [DMH_APPROVAL, CUSTOM_ENTRY_APPROVAL]) {
      // The seeds call themselves system definitions (isSystem: true); a copy written by this tool is custom.
      const { isSystem: _isSystem, ...custom } = seed;
      const workflow = toNeutral(WireWorkflowDefinition.parse(custom)).value;
      const plan = env.planCreate(
        { ...workflow, scope: { contentTypes: seed === DMH_APPROVAL ? ["page"] : [], collections: [] } },
        before,
      );
      // Read without roles, every action is open to anyone: Contensis grants to roles, so none is
      // granted (one loss naming them all; narrowed, never widened).
      expect(plan.losses.map((loss) => [loss.code, loss.path])).toEqual([
        ["role_granularity", ["transitions"]],
      ]);
      for (const request of plan.value) await env.execute(request);
    }
    const after = await env.read();
    const native = after.native as {
      definitions: ContensisWorkflowDefinition[];
      published: ContensisWorkflowDefinition[];
    };
    for (const seed of [DMH_APPROVAL, CUSTOM_ENTRY_APPROVAL]) {
      const read = native.definitions.find((definition) => definition.id === seed.id);
      expect(withoutServerFields(read as Record<string, unknown>)).toEqual(withoutServerFields(seed));
      expect(read?.isSystem).toBe(false);
      expect(read?.version?.published).toBeTruthy(); // published after writing
    }
    expect(
      after.workflows.find((workflow) => workflow.key === "approvalWorkflow")?.scope.contentTypes,
    ).toEqual(["page"]);
  });
});

describe("plans", () => {
  it("a create is POST + publish (version '@latest') + content type assignments, with literal bodies", async () => {
    await seedContentReviewInDev();
    const dev = await environment(DEV).read();
    const prodEnv = environment(PROD);
    const prod = await prodEnv.read();
    const workflow = dev.workflows.find((candidate) => candidate.key === "contentReview") as Workflow;
    const plan = prodEnv.planCreate(workflow, prod);
    expect(plan.value.map((request) => `${request.method} ${request.path}`)).toEqual([
      "POST /workflow/definitions",
      "POST /workflow/definitions/contentReview/workflow/events",
      "PUT /contenttypes/blogPost",
    ]);
    expect(plan.value[0]?.body).toEqual(withoutServerFields({ ...CONTENT_REVIEW }));
    expect(plan.value[1]?.body).toEqual({ version: LATEST_VERSION, event: "publish" });
    expect(plan.value[2]?.body).toEqual({
      workflowId: "contentReview",
      expected: { workflowId: "contensisEntryBasic" },
    });
    expect(JSON.stringify(plan)).not.toContain("demo-secret");
  });

  it("refuses content types the target does not have, listing them all", async () => {
    const env = environment(PROD);
    const snapshot = await env.read();
    const workflow = toNeutral(WireWorkflowDefinition.parse(CONTENT_REVIEW), {
      contentTypes: ["nope", "alsoNope"],
    }).value;
    expect(() => env.planCreate(workflow, snapshot)).toThrow(UnresolvedReferencesError);
    expect(() => env.planCreate(workflow, snapshot)).toThrow(/alsoNope, nope/);
  });

  it("never writes system definitions", async () => {
    const env = environment(DEV);
    const snapshot = await env.read();
    const basic = snapshot.workflows.find((workflow) => workflow.key === "contensisEntryBasic") as Workflow;
    sim.clearRequests();
    expect(() => env.planUpdate({ ...basic, name: { "en-GB": "Mine" } }, basic, snapshot)).toThrow(
      ReadOnlyWorkflowError,
    );
    expect(() => env.planDelete(basic, snapshot)).toThrow(ReadOnlyWorkflowError);
    expect(() => env.planCreate(basic, snapshot)).toThrow(ReadOnlyWorkflowError);
    await expect(deleteDefinition(env.client, "contensisEntryApproval")).rejects.toThrow(
      ReadOnlyWorkflowError,
    );
    expect(sim.requests()).toEqual([]);
  });

  it("project() predicts the read-back", async () => {
    await seedContentReviewInDev();
    const dev = await environment(DEV).read();
    const prodEnv = environment(PROD);
    const prod = await prodEnv.read();
    const workflow = dev.workflows.find((candidate) => candidate.key === "contentReview") as Workflow;
    const projected = prodEnv.project(workflow, prod).value;
    for (const request of prodEnv.planCreate(workflow, prod).value) await prodEnv.execute(request);
    const after = await prodEnv.read();
    const read = after.workflows.find((candidate) => candidate.key === "contentReview") as Workflow;
    expect(canonicalJson(read)).toBe(canonicalJson(projected));
  });
});

describe("promotion website-dev → website-prod", () => {
  it("creates, publishes and assigns a new workflow, updates a changed one, and converges", async () => {
    await seedContentReviewInDev();
    const devEnv = environment(DEV);
    const prodEnv = environment(PROD);
    const dev = await devEnv.read();
    const prod = await prodEnv.read();
    const { requests } = planPromotion(dev, prod, prodEnv);
    expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      // CustomEntryApproval: the same in both: nothing to do
      "PUT /workflow/definitions/legalReview",
      "POST /workflow/definitions/legalReview/workflow/events",
      "POST /workflow/definitions",
      "POST /workflow/definitions/contentReview/workflow/events",
      "PUT /contenttypes/blogPost",
    ]);
    sim.clearRequests();
    for (const [index, request] of requests.entries()) {
      await prodEnv.execute(request);
      if (index === 1) sim.expireTokens(); // tokens expire in the middle of the run
    }
    // the token read before this run went on being used until it expired: one 401, one renewal
    expect(lines(sim).filter((line) => line.startsWith("POST /authenticate"))).toHaveLength(1);
    expect(sim.requests().filter((request) => request.status === 401)).toHaveLength(1);

    const state = sim.state(PROD);
    const contentReview = state.definitions.find((definition) => definition.id === "contentReview");
    expect(contentReview?.versions).toHaveLength(2); // 0.1 created, 1.0 published
    expect(contentReview?.published?.version.versionNo).toBe("1.0");
    expect(state.contentTypes.find((contentType) => contentType.id === "blogPost")?.workflowId).toBe(
      "contentReview",
    );
    const legal = state.definitions.find((definition) => definition.id === "legalReview");
    expect(legal?.published?.version.versionNo).toBe(legal?.latest.version.versionNo);

    // Dev and prod now mean the same; a second plan is empty.
    const prodAfter = await prodEnv.read();
    const devAgain = await devEnv.read();
    for (const key of ["contentReview", "legalReview", "CustomEntryApproval"]) {
      const a = fromNeutral(devAgain.workflows.find((workflow) => workflow.key === key) as Workflow).value;
      const b = fromNeutral(prodAfter.workflows.find((workflow) => workflow.key === key) as Workflow).value;
      expect(b).toEqual(a);
    }
    const again = planPromotion(devAgain, prodAfter, prodEnv);
    expect(again.requests.map((request) => request.description)).toEqual([]);
    expect(prodEnv.stats().requests).toBeGreaterThan(0);
  });
});

describe("conflicts and validation errors come back with the vendor's message", () => {
  it("409 exists on create", async () => {
    const client = clientFor(sim, DEV);
    const { isSystem: _isSystem, ...custom } = CUSTOM_ENTRY_APPROVAL;
    const error = await createDefinition(client, WireWorkflowDefinition.parse(custom)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ContensisConflictError);
    const conflict = error as ContensisConflictError;
    expect(conflict.status).toBe(409);
    expect(conflict.reason).toBe("exists");
    expect(conflict.currentVersion).toBe("1.0");
    expect(conflict.message).toContain(
      "A workflow definition with the id 'CustomEntryApproval' already exists",
    );
    expect(conflict.logId).toBeTruthy();
  });

  it("409 stale version: re-read and reported, never overwritten", async () => {
    const prodEnv = environment(PROD);
    const prod = await prodEnv.read();
    const legal = prod.workflows.find((workflow) => workflow.key === "legalReview") as Workflow;
    const desired = { ...legal, description: { "en-GB": "Mine" } };
    const plan = prodEnv.planUpdate(desired, legal, prod);
    // Someone else changes it after the plan was made.
    const other = clientFor(sim, PROD);
    const theirs = fromNeutral({ ...legal, description: { "en-GB": "Theirs" } }).value;
    await updateDefinition(other, theirs);
    const error = await prodEnv.execute(plan.value[0] as VendorRequest).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContensisConflictError);
    const conflict = error as ContensisConflictError;
    expect(conflict.reason).toBe("stale_version");
    expect(conflict.currentVersion).toBe("1.1");
    expect(conflict.message).toMatch(/changed on the server \(now version 1\.1\); not overwritten/);
    expect(conflict.message).toContain("Only the latest version of a workflow definition can be changed");
    const latest = sim.state(PROD).definitions.find((definition) => definition.id === "legalReview")?.latest;
    expect(latest?.description).toEqual({ "en-GB": "Theirs" });
  });

  it("422 validation on write", async () => {
    const env = environment(PROD);
    const snapshot = await env.read();
    const workflow = toNeutral(WireWorkflowDefinition.parse(CONTENT_REVIEW)).value;
    // an editor Contensis does not have
    const bad = structuredClone(workflow);
    const reject = bad.transitions.find((transition) => transition.key === "reject");
    if (reject?.parameters[0]) reject.parameters[0].editor = { key: "richtext" };
    // from the neutral model the adapter writes the one editor Contensis has, and says so
    const planned = env.planCreate(bad, snapshot);
    expect(planned.losses.map((loss) => loss.message).join("\n")).toMatch(
      /"richtext" of "\w+" becomes multiline/,
    );
    // a definition that breaks the rule is refused before any request, with the vendor's field path
    const body = fromNeutral(workflow).value;
    const event = body.states.flatMap((state) => state.events ?? []).find((e) => e.id === "reject");
    (event?.parameters?.[0]?.editor as { id: string }).id = "richtext";
    expect(() => assertDefinition(body)).toThrow(DefinitionRulesError);
    expect(() => assertDefinition(body)).toThrow(/parameters\[0\]\.editor\.id: "richtext"/);
    // and so does the vendor, when that body is sent anyway
    const create: VendorRequest = {
      method: "POST",
      path: "/workflow/definitions",
      body,
      description: "create workflow definition contentReview",
    };
    const error = await env.execute(create).catch((caught: unknown) => caught);
    expect((error as { status?: number }).status).toBe(422);
    expect((error as Error).message).toContain("The editor id must be 'multiline'.");
    expect(sim.state(PROD).definitions.some((definition) => definition.id === "contentReview")).toBe(false);
  });

  it("422 delete of a definition in use names the content types", async () => {
    const env = environment(DEV);
    const snapshot = await env.read();
    const custom = snapshot.workflows.find((workflow) => workflow.key === "CustomEntryApproval") as Workflow;
    expect(() => env.planDelete(custom, snapshot)).toThrow(WorkflowInUseError);
    expect(() => env.planDelete(custom, snapshot)).toThrow(/pressRelease/);
    const error = await env
      .execute({ method: "DELETE", path: "/workflow/definitions/CustomEntryApproval", description: "delete" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkflowInUseError);
    expect((error as WorkflowInUseError).contentTypes).toEqual(["pressRelease"]);
    expect((error as WorkflowInUseError).status).toBe(422);
    expect((error as Error).message).toMatch(/cannot be deleted: content types use it: pressRelease/);
  });

  it("deletes a definition nobody uses", async () => {
    await seedContentReviewInDev();
    const client = clientFor(sim, DEV);
    await assignWorkflow(client, "blogPost", "contensisEntryBasic");
    const env = environment(DEV);
    const snapshot = await env.read();
    const review = snapshot.workflows.find((workflow) => workflow.key === "contentReview") as Workflow;
    for (const request of env.planDelete(review, snapshot)) await env.execute(request);
    expect(sim.state(DEV).definitions.some((definition) => definition.id === "contentReview")).toBe(false);
  });
});
