/**
 * Contract test: the simulator judged by the official client, @kontent-ai/management-sdk (8.5.1).
 * If the SDK and the simulator disagree, the simulator is wrong.
 */
import { HttpService } from "@kontent-ai/core-sdk";
import { ManagementClient, SharedModels, type WorkflowModels } from "@kontent-ai/management-sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { demoSeed, type KontentSimulator, startKontentSimulator } from "./index.ts";
import { ARCHIVED, DEFAULT_WF, DEV, DEV_KEY, PUBLISHED, SCHEDULED } from "./test-support/helpers.ts";

let sim: KontentSimulator;

function client() {
  return new ManagementClient({
    environmentId: DEV,
    apiKey: DEV_KEY,
    baseUrl: sim.baseUrl,
    httpService: new HttpService({ logErrorsToConsole: false }),
    // Fast, deterministic retries of 429/5xx; the test about the SDK's default strategy builds its own client.
    retryStrategy: { maxAttempts: 3, deltaBackoffMs: 50, addJitter: false },
  });
}

async function rejection(promise: Promise<unknown>): Promise<SharedModels.ContentManagementBaseKontentError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SharedModels.ContentManagementBaseKontentError);
    return error as SharedModels.ContentManagementBaseKontentError;
  }
  throw new Error("expected the SDK call to fail");
}

beforeAll(async () => {
  sim = await startKontentSimulator({ rateLimit: false, pageSize: 2 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe("workflows through the SDK", () => {
  it("lists workflows as mapped models, the default workflow included", async () => {
    const response = await client().listWorkflows().toPromise();
    const codenames = response.data.map((w) => w.codename);
    expect(codenames).toEqual(["default", "my_workflow", "editorial_review", "quick_publish"]);
    const editorial = response.data.find((w) => w.codename === "editorial_review")!;
    expect(editorial.steps.map((s) => s.codename)).toEqual(["draft", "copy_edit", "legal_review", "ready"]);
    expect(editorial.publishedStep.id).toBe(PUBLISHED);
    expect(editorial.scheduledStep.id).toBe(SCHEDULED);
    expect(editorial.archivedStep.id).toBe(ARCHIVED);
    expect(response.data[0]?.id).toBe(DEFAULT_WF);
    expect(response.rawData).toHaveLength(4);
  });

  it("adds a workflow (201) with codename references and returns ids", async () => {
    const sdk = client();
    const roles = (await sdk.listRoles().toPromise()).data.roles;
    const legal = roles.find((r) => r.name === "Legal")!.id;
    const response = await sdk
      .addWorkflow()
      .withData({
        name: "Press release",
        codename: "press_release",
        scopes: [{ content_types: [{ codename: "news" }], collections: [{ codename: "marketing" }] }],
        steps: [
          {
            name: "First step",
            codename: "first_step",
            color: "sky-blue",
            transitions_to: [{ step: { codename: "second_step" } }],
            role_ids: [],
          },
          {
            name: "Second step",
            codename: "second_step",
            color: "rose",
            transitions_to: [{ step: { codename: "published" } }],
            role_ids: [legal],
          },
        ],
        published_step: { unpublish_role_ids: [legal], create_new_version_role_ids: [] },
        archived_step: { role_ids: [] },
      })
      .toPromise();
    expect(response.debug.response.status).toBe(201);
    const wf = response.data;
    expect(wf.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(wf.codename).toBe("press_release");
    const [first, second] = wf.steps;
    expect(first?.transitions_to).toEqual([{ step: { id: second?.id } }]);
    expect(second?.transitions_to).toEqual([{ step: { id: PUBLISHED } }]);
    expect(second?.role_ids).toEqual([legal]);
    const types = sim.state(DEV).contentTypes;
    expect(wf.scopes[0]?.content_types).toEqual([{ id: types.find((t) => t.codename === "news")!.id }]);
    expect(wf.publishedStep.unpublish_role_ids).toEqual([legal]);
    expect(wf.scheduledStep).toEqual({ id: SCHEDULED, name: "Scheduled", codename: "scheduled" });
    expect(sim.state(DEV).workflows.map((w) => w.codename)).toContain("press_release");
  });

  const twoSteps = (
    first: WorkflowModels.IAddWorkflowData["steps"][number]["transitions_to"],
    scope: WorkflowModels.IAddWorkflowData["scopes"] = [],
  ): WorkflowModels.IAddWorkflowData => ({
    name: "Docs rules",
    codename: "docs_rules",
    scopes: scope,
    steps: [
      { name: "Draft", codename: "draft", color: "gray", transitions_to: first, role_ids: [] },
      {
        name: "Review",
        codename: "review",
        color: "rose",
        transitions_to: [{ step: { codename: "published" } }],
        role_ids: [],
      },
    ],
    published_step: { unpublish_role_ids: [], create_new_version_role_ids: [] },
    archived_step: { role_ids: [] },
  });

  it("refuses a step that transitions to itself (400)", async () => {
    const error = await rejection(
      client()
        .addWorkflow()
        .withData(twoSteps([{ step: { codename: "draft" } }, { step: { codename: "review" } }]))
        .toPromise(),
    );
    expect(error.errorCode).toBe(5);
    expect(error.validationErrors.map((e) => e.message).join(" ")).toMatch(
      /'draft' can't transition to itself/,
    );
  });

  it("accepts a step that reaches Published only through Archived (restored to the first step)", async () => {
    // review → archived → (restore) draft → … ; draft → review → published
    const body = twoSteps([{ step: { codename: "review" } }]);
    body.steps[1]!.transitions_to = [{ step: { codename: "archived" } }];
    body.steps[0]!.transitions_to = [{ step: { codename: "review" } }, { step: { codename: "published" } }];
    const response = await client().addWorkflow().withData(body).toPromise();
    expect(response.debug.response.status).toBe(201);
  });

  it("refuses the same content type twice in one scope (400), by codename and by id", async () => {
    const news = sim.state(DEV).contentTypes.find((t) => t.codename === "news")!.id;
    const error = await rejection(
      client()
        .addWorkflow()
        .withData(
          twoSteps(
            [{ step: { codename: "review" } }],
            [{ content_types: [{ codename: "news" }, { id: news }], collections: [] }],
          ),
        )
        .toPromise(),
    );
    expect(error.errorCode).toBe(5);
    expect(sim.state(DEV).workflows.map((w) => w.codename)).not.toContain("docs_rules");
  });

  it("updates a workflow by id (rename a step, keep its identity) and by codename", async () => {
    const sdk = client();
    const before = (await sdk.listWorkflows().toPromise()).data.find((w) => w.codename === "quick_publish")!;
    const draft = before.steps[0]!;
    const byId = await sdk
      .updateWorkflow()
      .byWorkflowId(before.id)
      .withData({
        name: "Quick publish (renamed)",
        scopes: [{ content_types: [{ codename: "news" }] }],
        steps: [
          {
            id: draft.id,
            name: "Writing",
            codename: "writing",
            color: "pink",
            transitions_to: [{ step: { codename: "published" } }, { step: { codename: "archived" } }],
            role_ids: [],
          },
        ],
        published_step: {},
        archived_step: {},
      })
      .toPromise();
    expect(byId.debug.response.status).toBe(200);
    expect(byId.data.name).toBe("Quick publish (renamed)");
    expect(byId.data.codename).toBe("quick_publish");
    expect(byId.data.steps).toEqual([
      {
        id: draft.id,
        name: "Writing",
        codename: "writing",
        color: "pink",
        transitions_to: [{ step: { id: PUBLISHED } }, { step: { id: ARCHIVED } }],
        role_ids: [],
      },
    ]);

    const byCodename = await sdk
      .updateWorkflow()
      .byWorkflowCodename("quick_publish")
      .withData({
        name: "Quick publish",
        codename: "quick_publish",
        scopes: [],
        steps: [
          {
            name: "Writing",
            codename: "writing",
            color: "brown",
            transitions_to: [{ step: { codename: "published" } }],
            role_ids: [],
          },
        ],
        published_step: {},
        archived_step: {},
      })
      .toPromise();
    // Referenced by its codename, the step keeps its id.
    expect(byCodename.data.steps.map((s) => [s.id, s.color])).toEqual([[draft.id, "brown"]]);
    expect(sim.state(DEV).workflows.find((w) => w.codename === "quick_publish")?.steps[0]?.color).toBe(
      "brown",
    );
  });

  it("deletes an unused workflow (by id and by codename) and maps the empty response", async () => {
    const sdk = client();
    const added = await sdk
      .addWorkflow()
      .withData({
        name: "Temp",
        codename: "temp",
        scopes: [],
        steps: [
          {
            name: "Only",
            codename: "only",
            color: "gray",
            transitions_to: [{ step: { codename: "published" } }],
            role_ids: [],
          },
        ],
        published_step: {},
        archived_step: {},
      })
      .toPromise();
    const deleted = await sdk.deleteWorkflow().byWorkflowId(added.data.id).toPromise();
    expect(deleted.debug.response.status).toBe(204);
    expect(deleted.data).toBeUndefined();
    expect(sim.state(DEV).workflows.some((w) => w.codename === "temp")).toBe(false);

    // A GET response posted back as-is: ids, scheduled_step and the predefined steps' names are ignored.
    await sdk
      .addWorkflow()
      .withData({ ...added.rawData, codename: "temp_two" } as WorkflowModels.IAddWorkflowData)
      .toPromise();
    await sdk.deleteWorkflow().byWorkflowCodename("temp_two").toPromise();
    expect(sim.state(DEV).workflows.some((w) => w.codename === "temp_two")).toBe(false);
  });

  it("surfaces a 400 validation error as the SDK's error with message and validation errors", async () => {
    const error = await rejection(
      client()
        .addWorkflow()
        .withData({
          name: "",
          codename: "Bad Codename",
          scopes: [],
          steps: [
            {
              name: "Step",
              codename: "step",
              color: "purple" as never,
              transitions_to: [{ step: { codename: "nowhere" } }],
              role_ids: [],
            },
          ],
          published_step: {},
          archived_step: {},
        })
        .toPromise(),
    );
    expect(error.errorCode).toBe(5);
    expect(error.requestId).toMatch(/^[0-9a-f]{16}$/);
    expect(error.message).toContain("The provided request body is invalid");
    const messages = error.validationErrors.map((v) => v.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining("nonempty name"),
        expect.stringContaining("'Bad Codename' is invalid"),
        expect.stringContaining("'purple' is not supported"),
        expect.stringContaining("codename 'nowhere' does not exist"),
      ]),
    );
    expect((error.originalError as { response: { status: number } }).response.status).toBe(400);
  });

  it("refuses to delete the default workflow with error code 235", async () => {
    const error = await rejection(client().deleteWorkflow().byWorkflowId(DEFAULT_WF).toPromise());
    expect(error.errorCode).toBe(235);
    expect(error.message).toBe(
      "The default workflow '00000000-0000-0000-0000-000000000000' cannot be deleted.",
    );
  });
});

describe("roles, content types, collections through the SDK", () => {
  it("lists roles and views one by id and by codename", async () => {
    const sdk = client();
    const roles = (await sdk.listRoles().toPromise()).data.roles;
    expect(roles.map((r) => r.name)).toEqual([
      "Project manager",
      "Contributor",
      "Reviewer",
      "Legal",
      "Marketing lead",
    ]);
    expect(roles[0]?.codename).toBe("project-manager");
    const reviewer = roles.find((r) => r.name === "Reviewer")!;
    const viewed = await sdk.viewRole().byId(reviewer.id).toPromise();
    expect(viewed.data).toMatchObject({ id: reviewer.id, name: "Reviewer" });
    const pm = await sdk.viewRole().byCodename("project-manager").toPromise();
    expect(pm.data.name).toBe("Project manager");
  });

  it("lists all content types over several pages with x-continuation", async () => {
    sim.clearRequests();
    const all = await client().listContentTypes().toAllPromise();
    expect(all.data.items.map((t) => t.codename)).toEqual([
      "article",
      "landing_page",
      "product",
      "news",
      "author",
    ]);
    expect(all.responses).toHaveLength(3);
    expect(all.responses[0]?.data.pagination.continuationToken).toBeTruthy();
    expect(all.responses[2]?.data.pagination.continuationToken).toBeNull();
    expect(all.data.items[0]?.lastModified).toBeInstanceOf(Date);
    expect(sim.requests().map((r) => r.path)).toEqual(Array(3).fill(`/v2/projects/${DEV}/types`));
  });

  it("lists collections with last_modified", async () => {
    const response = await client().listCollections().toPromise();
    expect(response.data.collections.map((c) => c.codename)).toEqual([
      "default",
      "marketing",
      "documentation",
    ]);
    expect(response.data.lastModified).toBeInstanceOf(Date);
  });
});

describe("language variants through the SDK", () => {
  const variantOf = (codename: string, language = "en-US") => {
    const s = sim.state(DEV);
    const item = s.items.find((i) => i.codename === codename)!;
    const lang = s.languages.find((l) => l.codename === language)!;
    return s.variants.find((v) => v.item.id === item.id && v.language.id === lang.id)!;
  };

  it("views a variant", async () => {
    const response = await client()
      .viewLanguageVariant()
      .byItemCodename("widget_pro")
      .byLanguageCodename("en-US")
      .toPromise();
    expect(response.data.workflow.stepIdentifier.id).toBe(
      variantOf("widget_pro").workflow.step_identifier.id,
    );
    expect(response.data.schedule.publishTime).toBeNull();
  });

  it("walks a variant through the workflow: change-workflow, publish, new version, unpublish", async () => {
    const sdk = client();
    const editorial = sim.state(DEV).workflows.find((w) => w.codename === "editorial_review")!;
    const stepId = (c: string) => editorial.steps.find((s) => s.codename === c)!.id;

    // widget_pro is in legal_review, which transitions to ready.
    const changed = await sdk
      .changeWorkflowOfLanguageVariant()
      .byItemCodename("widget_pro")
      .byLanguageCodename("en-US")
      .withData({
        workflow_identifier: { codename: "editorial_review" },
        step_identifier: { codename: "ready" },
      })
      .toPromise();
    expect(changed.debug.response.status).toBe(204);
    expect(variantOf("widget_pro").workflow.step_identifier.id).toBe(stepId("ready"));

    const published = await sdk
      .publishLanguageVariant()
      .byItemExternalId("sku-1042")
      .byLanguageCodename("en-US")
      .withoutData()
      .toPromise();
    expect(published.debug.response.status).toBe(204);
    expect(variantOf("widget_pro").workflow.step_identifier.id).toBe(PUBLISHED);

    const item = sim.state(DEV).items.find((i) => i.codename === "widget_pro")!;
    await sdk.createNewVersionOfLanguageVariant().byItemId(item.id).byLanguageCodename("en-US").toPromise();
    expect(variantOf("widget_pro").workflow.step_identifier.id).toBe(stepId("draft"));

    // Publish again is refused from draft (draft doesn't transition to published).
    const refused = await rejection(
      sdk.publishLanguageVariant().byItemId(item.id).byLanguageCodename("en-US").withoutData().toPromise(),
    );
    expect(refused.message).toContain("doesn't transition to the Published step");

    // home is published in my_workflow.
    const unpublished = await sdk
      .unpublishLanguageVariant()
      .byItemCodename("home")
      .byLanguageCodename("en-US")
      .withoutData()
      .toPromise();
    expect(unpublished.debug.response.status).toBe(204);
    expect(variantOf("home").workflow.step_identifier.id).toBe(ARCHIVED);
  });

  it("schedules publishing and cancels it", async () => {
    const sdk = client();
    const at = new Date(Date.now() + 86_400_000).toISOString();
    // weekly_digest is in quick_publish/draft, which transitions to published.
    await sdk
      .publishLanguageVariant()
      .byItemCodename("weekly_digest")
      .byLanguageCodename("en-US")
      .withData({ scheduled_to: at, display_timezone: "Europe/Prague" })
      .toPromise();
    const scheduled = await sdk
      .viewLanguageVariant()
      .byItemCodename("weekly_digest")
      .byLanguageCodename("en-US")
      .toPromise();
    expect(scheduled.data.workflow.stepIdentifier.id).toBe(SCHEDULED);
    expect(scheduled.data.schedule).toEqual({
      publishTime: at,
      publishDisplayTimezone: "Europe/Prague",
      unpublishTime: null,
      unpublishDisplayTimezone: null,
    });
    const cancelled = await sdk
      .cancelSheduledPublishingOfLanguageVariant()
      .byItemCodename("weekly_digest")
      .byLanguageCodename("en-US")
      .toPromise();
    expect(cancelled.debug.response.status).toBe(204);
    const draft = sim.state(DEV).workflows.find((w) => w.codename === "quick_publish")!.steps[0]!.id;
    expect(variantOf("weekly_digest").workflow.step_identifier.id).toBe(draft);
  });

  it("lists the variants of an item and all languages", async () => {
    const sdk = client();
    const variants = await sdk.listLanguageVariantsOfItem().byItemCodename("launch_announcement").toPromise();
    expect(variants.data.items).toHaveLength(2);
    const languages = await sdk.listLanguages().toAllPromise();
    expect(languages.data.items.map((l) => [l.codename, l.isDefault])).toEqual([
      ["en-US", true],
      ["de-DE", false],
    ]);
  });

  it("lists the variants of a collection, every page (listLanguageVariantsByCollection)", async () => {
    const sdk = client();
    const state = sim.state(DEV);
    const collection = state.collections[0]!;
    const listed = await sdk.listLanguageVariantsByCollection().byCollectionId(collection.id).toAllPromise();
    const inCollection = new Set(
      state.items.filter((i) => i.collection.id === collection.id).map((i) => i.id),
    );
    const expected = state.variants.filter((v) => inCollection.has(v.item.id));
    expect(expected.length).toBeGreaterThan(0);
    expect(listed.data.items.map((v) => `${v.item.id}/${v.language.id}`).sort()).toEqual(
      expected.map((v) => `${v.item.id}/${v.language.id}`).sort(),
    );
    expect(listed.data.items[0]?.workflow.workflowIdentifier?.id).toBeDefined();
  });

  it("refuses a transition the current step doesn't allow", async () => {
    const error = await rejection(
      client()
        .changeWorkflowOfLanguageVariant()
        .byItemCodename("launch_announcement")
        .byLanguageCodename("en-US")
        .withData({
          workflow_identifier: { codename: "editorial_review" },
          step_identifier: { codename: "ready" },
        })
        .toPromise(),
    );
    expect(error.message).toContain("can't transition");
  });
});

describe("roles through the SDK", () => {
  it("a key without the Manage custom roles permission gets 403 (error code 16) on roles, and still lists workflows", async () => {
    const seed = demoSeed();
    seed.environments[DEV]!.keysWithoutRoles = [DEV_KEY];
    sim.reset(seed);
    const sdk = client();
    const error = await rejection(sdk.listRoles().toPromise());
    expect(error.errorCode).toBe(16);
    expect(error.message).toContain("sufficient permissions");
    expect((await sdk.listWorkflows().toPromise()).data.length).toBeGreaterThan(0);
  });
});

describe("rate limits through the SDK", () => {
  it("retries a 429 after Retry-After and succeeds", async () => {
    sim.setRateLimit({ perSecond: 1, perMinute: 100 });
    sim.clearRequests();
    try {
      const sdk = new ManagementClient({
        environmentId: DEV,
        apiKey: DEV_KEY,
        baseUrl: sim.baseUrl,
        httpService: new HttpService({ logErrorsToConsole: false }),
      });
      const started = Date.now();
      await sdk.listRoles().toPromise();
      const second = await sdk.listCollections().toPromise();
      expect(second.data.collections.length).toBeGreaterThan(0);
      expect(second.debug.response.retryStrategy.retryAttempts).toBe(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      const statuses = sim.requests().map((r) => r.status);
      expect(statuses).toEqual([200, 429, 200]);
    } finally {
      sim.setRateLimit(false);
    }
  });
});
