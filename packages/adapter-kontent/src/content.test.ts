import { NotPermittedError, UnknownTransitionError, type Workflow } from "@workflow-sync/core";
import type { KontentSimulator } from "@workflow-sync/kontent-simulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type KontentClient, languageFromText, referenceFromText } from "./client.ts";
import { invokeTransition } from "./content.ts";
import { KontentVariantStateError } from "./errors.ts";
import {
  clientFor,
  DEV,
  environmentFor,
  fullSeed,
  requestLines,
  startSimulator,
} from "./test-support/sim.ts";

const LAUNCH = { codename: "launch_announcement" }; // editorial_review, en-US in copy_edit
const WIDGET = { codename: "widget_pro" }; // editorial_review, en-US in legal_review
const HOME = { codename: "home" }; // my_workflow, en-US published
const EN = { codename: "en-US" };

let sim: KontentSimulator;
let client: KontentClient;
let workflows: Map<string, Workflow>;

beforeAll(async () => {
  sim = await startSimulator({ seed: fullSeed() });
  client = clientFor(sim, DEV);
  const snapshot = await environmentFor(sim, DEV).read();
  workflows = new Map(snapshot.workflows.map((workflow) => [workflow.key, workflow]));
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(() => {
  sim.reset();
  sim.clearRequests();
});

const stepOf = async (item: { codename: string }) => {
  const variant = await client.getVariant(item, EN);
  return variant.workflow?.step_identifier.id;
};
const writes = () => requestLines(sim, DEV).filter((line) => !line.startsWith("GET"));

describe("invokeTransition", () => {
  it("moves a variant between steps with change-workflow when the actor's roles allow it", async () => {
    const result = await invokeTransition(client, workflows.get("editorial_review")!, {
      item: LAUNCH,
      language: EN,
      transition: { from: "copy_edit", key: "legal_review" },
      actor: { roles: ["Reviewer"] },
    });
    expect(result).toMatchObject({
      from: "copy_edit",
      to: "legal_review",
      request: { action: "change-workflow" },
    });
    expect(writes()).toEqual([
      "PUT /items/codename/launch_announcement/variants/codename/en-US/change-workflow 204",
    ]);
    expect(await stepOf(LAUNCH)).toBe("9b92f68c-d44b-4937-bac1-c9aac8550cbb");
  });

  it("refuses locally, with the engine's typed error, and sends no write", async () => {
    const workflow = workflows.get("editorial_review")!;
    const refused = await invokeTransition(client, workflow, {
      item: LAUNCH,
      language: EN,
      transition: "legal_review",
      actor: { roles: ["Contributor"] },
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(NotPermittedError);
    expect((refused as NotPermittedError).stateRoles).toEqual(["Reviewer"]);

    const unknown = await invokeTransition(client, workflow, {
      item: LAUNCH,
      language: EN,
      transition: "published",
      actor: { roles: ["Reviewer"] },
    }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(UnknownTransitionError);
    expect((unknown as UnknownTransitionError).available).toEqual(["draft", "legal_review"]);

    const elsewhere = await invokeTransition(client, workflow, {
      item: LAUNCH,
      language: EN,
      transition: { from: "draft", key: "copy_edit" },
      actor: { roles: ["Contributor"] },
    }).catch((error: unknown) => error);
    expect(elsewhere).toBeInstanceOf(KontentVariantStateError);
    expect((elsewhere as Error).message).toMatch(/in state "copy_edit"/);

    const otherWorkflow = await invokeTransition(client, workflows.get("my_workflow")!, {
      item: LAUNCH,
      language: EN,
      transition: "published",
      actor: { roles: [] },
    }).catch((error: unknown) => error);
    expect(otherWorkflow).toBeInstanceOf(KontentVariantStateError);

    expect(writes()).toEqual([]);
    expect(requestLines(sim, DEV).every((line) => line.startsWith("GET"))).toBe(true);
    expect(await stepOf(LAUNCH)).toBe("2400ab8e-fbeb-4b16-a30f-b91bfd452912");
  });

  it("publishes, unpublishes, restores and creates new versions with the matching endpoints", async () => {
    const workflow = workflows.get("editorial_review")!;
    const fire = (key: string, roles: string[]) =>
      invokeTransition(client, workflow, { item: WIDGET, language: EN, transition: key, actor: { roles } });
    await fire("ready", ["Legal"]);
    const published = await fire("published", ["Project manager"]);
    expect(published.request?.action).toBe("publish");
    expect(await stepOf(WIDGET)).toBe("c199950d-99f0-4983-b711-6c4c91624b22");
    await expect(fire("unpublish", ["Reviewer"])).rejects.toBeInstanceOf(NotPermittedError);
    const unpublished = await fire("unpublish", ["Project manager"]);
    expect(unpublished.request?.action).toBe("unpublish-and-archive");
    const restored = await fire("restore", ["Project manager"]);
    expect(restored).toMatchObject({ from: "archived", to: "draft", request: { action: "change-workflow" } });
    expect(await stepOf(WIDGET)).toBe("c6f65d49-a9fe-4018-a16a-ef9f7af0a991");
    expect(writes()).toEqual([
      "PUT /items/codename/widget_pro/variants/codename/en-US/change-workflow 204",
      "PUT /items/codename/widget_pro/variants/codename/en-US/publish 204",
      "PUT /items/codename/widget_pro/variants/codename/en-US/unpublish-and-archive 204",
      "PUT /items/codename/widget_pro/variants/codename/en-US/change-workflow 204",
    ]);

    const newVersion = await invokeTransition(client, workflows.get("my_workflow")!, {
      item: HOME,
      language: EN,
      transition: "create_new_version",
      actor: { roles: ["Contributor"] },
    });
    expect(newVersion).toMatchObject({ from: "published", to: "draft", request: { action: "new-version" } });
    expect(await stepOf(HOME)).toBe("b8404e27-808a-446a-909f-e333067424d7");
  });
});

describe("KontentEnvironment.invokeTransitionOn", () => {
  it("finds the variant's workflow from one read, checks, and sends the one write (no second read)", async () => {
    const environment = environmentFor(sim, DEV);
    const result = await environment.invokeTransitionOn({
      item: referenceFromText("launch_announcement"),
      language: languageFromText("en-US"),
      transition: "legal_review",
      actor: { roles: ["Reviewer"] },
    });
    expect(result).toMatchObject({
      from: "copy_edit",
      to: "legal_review",
      request: { action: "change-workflow" },
    });
    const lines = requestLines(sim, DEV);
    expect(lines.filter((line) => line.startsWith("GET /items/"))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith("GET /workflows"))).toHaveLength(1);
    expect(writes()).toEqual([
      "PUT /items/codename/launch_announcement/variants/codename/en-US/change-workflow 204",
    ]);
  });

  it("refuses locally and sends nothing when the roles may not fire it", async () => {
    const environment = environmentFor(sim, DEV);
    await expect(
      environment.invokeTransitionOn({
        item: referenceFromText("launch_announcement"),
        language: languageFromText("en-US"),
        transition: "legal_review",
        actor: { roles: ["Legal"] },
      }),
    ).rejects.toBeInstanceOf(NotPermittedError);
    expect(writes()).toEqual([]);
  });

  it("reads typed references: a UUID is an id, anything else a codename", () => {
    expect(referenceFromText("6fc57e40-27d6-4c50-aff0-1b83045e0098")).toBe(
      "6fc57e40-27d6-4c50-aff0-1b83045e0098",
    );
    expect(referenceFromText("home")).toEqual({ codename: "home" });
    expect(referenceFromText("external-id/x1")).toEqual({ externalId: "x1" });
    expect(languageFromText("codename/de-DE")).toEqual({ codename: "de-DE" });
  });
});
