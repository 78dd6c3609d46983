import { existsSync } from "node:fs";
import { createContensisClient } from "@workflow-sync/adapter-contensis";
import { createKontentClient } from "@workflow-sync/adapter-kontent";
import { StaleWriteError } from "@workflow-sync/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Context } from "../../src/context.ts";
import { openConfigured } from "../../src/environments/vendors.ts";
import { WriteGate } from "../../src/write-gate.ts";
import { testCommand } from "../support/test-command.ts";
import { tempWorkspace } from "../support/workspace.ts";
import {
  configYaml,
  KONTENT_DEV,
  SECRET_ENV,
  type Servers,
  startServers,
  vendorEnvironments,
} from "./support.ts";

/*
 * Issue 9 items 4 and 10 through the CLI, over HTTP against both simulators:
 * - Contensis: assigning a workflow to a content type changes only its workflowId (a field added
 *   and a name changed after the plan survive); the plan warns that the content type moves from
 *   its workflow to another; a content type whose workflow changed since the plan is refused as
 *   stale (exit 4).
 * - Kontent.ai: a plan that removes a step content is in is refused at plan time, and an apply
 *   whose step got content after the plan is refused before its first write (exit 1, 0 writes).
 */

let servers: Servers;
let ws: ReturnType<typeof tempWorkspace>;

beforeAll(async () => {
  servers = await startServers();
  ws = tempWorkspace({ "workflow-sync.config.yaml": configYaml(vendorEnvironments(servers)) });
});
afterAll(async () => {
  await servers?.close();
  ws?.cleanup();
});
beforeEach(() => {
  servers.contensis.reset();
  servers.kontent.reset();
});

const run = (...argv: string[]) => testCommand(argv, { cwd: ws.root, env: SECRET_ENV });

// ------------------------------------------------------------------------------------ Contensis

type ContentType = Record<string, unknown> & { id: string; fields?: unknown[]; workflowId?: string };

const contensisClient = (projectId: string) =>
  createContensisClient({
    rootUrl: servers.contensis.url,
    projectId,
    clientId: SECRET_ENV.CONTENSIS_CLIENT_ID,
    clientSecret: SECRET_ENV.CONTENSIS_CLIENT_SECRET,
  });

/** What a person does in the UI or with the official client: read, change, PUT with the version read. */
async function editContentType(projectId: string, id: string, change: (ct: ContentType) => ContentType) {
  const client = contensisClient(projectId);
  const current = (await client.request({ method: "GET", path: `/contenttypes/${id}` })).body as ContentType;
  await client.request({ method: "PUT", path: `/contenttypes/${id}`, json: change(current) });
}

const prodContentType = (id: string) =>
  servers.contensis.state("website-prod").contentTypes.find((ct) => ct.id === id) as ContentType;

describe("Contensis: assigning a workflow to a content type", () => {
  it("warns in the plan, and changes only the workflow: a field and a name changed after the plan survive", async () => {
    // In dev, blogPost uses CustomEntryApproval; in prod it still uses contensisEntryBasic.
    await editContentType("website-dev", "blogPost", (ct) => ({ ...ct, workflowId: "CustomEntryApproval" }));
    const plan = await run("plan", "contensis-dev", "contensis-prod", "--out", "assign.json");
    expect(plan.exitCode, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(
      /warning: CustomEntryApproval\.scope\.contentTypes\[2\]|warning: CustomEntryApproval\.scope\.contentTypes\.blogPost/,
    );
    expect(plan.stdout).toContain(
      "content type blogPost moves from workflow contensisEntryBasic to CustomEntryApproval: its entries are affected",
    );

    const field = { id: "summary", name: { "en-GB": "Summary" }, dataType: "string" };
    await editContentType("website-prod", "blogPost", (ct) => ({
      ...ct,
      name: { "en-GB": "Blog article" },
      fields: [...(ct.fields ?? []), field],
    }));
    const apply = await run("apply", "assign.json", "--yes");
    expect(apply.exitCode, apply.stderr).toBe(0);
    const blog = prodContentType("blogPost");
    expect(blog.workflowId).toBe("CustomEntryApproval");
    expect(blog.name).toEqual({ "en-GB": "Blog article" });
    expect(blog.fields).toContainEqual(field);
  });

  it("a content type whose workflow changed since the plan is refused as stale (exit 4), nothing written to it", async () => {
    const gate = new WriteGate({
      command: "apply",
      kind: "environments",
      yes: true,
      confirmEnv: [],
      json: true,
      prompt: async () => "no",
    });
    const ctx = { verbose: false, gate } as unknown as Context;
    const env = await openConfigured(
      ctx,
      "contensis-prod",
      {
        vendor: "contensis",
        rootUrl: servers.contensis.url,
        projectId: "website-prod",
        clientId: { env: "CONTENSIS_CLIENT_ID" },
        clientSecret: { env: "CONTENSIS_CLIENT_SECRET" },
        protected: false,
      } as Parameters<typeof openConfigured>[2],
      { clientId: SECRET_ENV.CONTENSIS_CLIENT_ID, clientSecret: SECRET_ENV.CONTENSIS_CLIENT_SECRET },
    );
    const snapshot = await env.read();
    const current = snapshot.workflows.find((workflow) => workflow.key === "CustomEntryApproval")!;
    const desired = {
      ...current,
      scope: { ...current.scope, contentTypes: [...current.scope.contentTypes, "blogPost"] },
    };
    const [assign] = env.planUpdate(desired, current, snapshot).value;
    await gate.approve([{ environment: env, writes: 1 }], "assign");
    env.guardWrites?.(snapshot);
    await editContentType("website-prod", "blogPost", (ct) => ({
      ...ct,
      workflowId: "contensisEntryApproval",
    }));
    const before = prodContentType("blogPost");

    const error = await env.execute(assign!).catch((caught: unknown) => caught);
    // A stale write: apply turns it into a refusal, exit 4 (apply-guards.test.ts).
    expect(error).toBeInstanceOf(StaleWriteError);
    expect((error as StaleWriteError).code).toBe("contensis_content_type_changed");
    expect((error as StaleWriteError).message).toMatch(
      /^content type "blogPost" changed since the plan was made: its workflow is now contensisEntryApproval, the plan saw contensisEntryBasic/,
    );
    expect(prodContentType("blogPost")).toEqual(before);
  });
});

// ----------------------------------------------------------------------------------- Kontent.ai

const LEGAL_ITEM = "2f827044-5505-40e5-a422-9da481f745dd";
const LANGUAGE = "00000000-0000-0000-0000-000000000000";
const EDITORIAL_REVIEW = "6e564547-779c-4ce0-94cd-20a6b9884e83";
const STEP = {
  copyEdit: "2400ab8e-fbeb-4b16-a30f-b91bfd452912",
  legalReview: "9b92f68c-d44b-4937-bac1-c9aac8550cbb",
};

async function moveLegalItem(step: string) {
  const client = createKontentClient({
    environmentId: KONTENT_DEV,
    apiKey: SECRET_ENV.KONTENT_DEV_API_KEY,
    baseUrl: servers.kontent.baseUrl,
    rateLimit: false,
  });
  await client.changeWorkflow(
    { id: LEGAL_ITEM },
    { id: LANGUAGE },
    { workflow_identifier: { id: EDITORIAL_REVIEW }, step_identifier: { id: step } },
  );
}

const devWrites = () =>
  servers.kontent.requests().filter((entry) => entry.write && entry.environmentId === KONTENT_DEV).length;

describe("Kontent.ai: removing a step that content is in", () => {
  // kontent-prod's editorial_review has no step legal_review; in kontent-dev one item is in it.
  it("is refused at plan time (exit 1), naming the workflow, the step, the items in it and what to do", async () => {
    const plan = await run("plan", "kontent-prod", "kontent-dev", "--out", "remove-step.json");
    expect(plan.exitCode).toBe(1);
    expect(plan.stderr).toContain(
      'workflow "editorial_review", step "legal_review" (Legal review): 1 content item',
    );
    expect(plan.stderr).toContain(LEGAL_ITEM);
    expect(plan.stderr).toMatch(/Move those items to another step .*or keep the step in the source/s);
    expect(existsSync(ws.path("remove-step.json"))).toBe(false);

    const json = await run("plan", "kontent-prod", "kontent-dev", "--out", "remove-step.json", "--json");
    expect(json.exitCode).toBe(1);
    expect(json.json<{ error: { code: string } }>().error.code).toBe("workflow_step_in_use");
    expect(devWrites()).toBe(0);
  });

  it("an apply whose step got content after the plan is refused before its first write; sync too", async () => {
    await moveLegalItem(STEP.copyEdit);
    const plan = await run("plan", "kontent-prod", "kontent-dev", "--out", "later.json");
    expect(plan.exitCode).toBe(0);
    await moveLegalItem(STEP.legalReview);
    const writes = devWrites();

    const apply = await run("apply", "later.json", "--yes");
    expect(apply.exitCode).toBe(1);
    expect(apply.stderr).toContain('step "legal_review"');
    expect(devWrites()).toBe(writes);
    // A re-run is refused the same way, still before any write (nothing half-written to resume).
    expect((await run("apply", "later.json", "--yes")).exitCode).toBe(1);
    expect((await run("sync", "kontent-prod", "kontent-dev", "--yes")).exitCode).toBe(1);
    expect(devWrites()).toBe(writes);

    // Once the item is moved out of the step, the same plan applies.
    await moveLegalItem(STEP.copyEdit);
    const applied = await run("apply", "later.json", "--yes");
    expect(applied.exitCode, applied.stderr).toBe(0);
  });
});
