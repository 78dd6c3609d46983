import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ContensisSimulator, startContensisSimulator } from "./index.ts";
import { apiClient, DEV, definitionBody, tokenFor } from "./test-support/http.ts";

let sim: ContensisSimulator;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  sim = await startContensisSimulator();
  api = apiClient(sim, await tokenFor(sim));
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe("content types", () => {
  it("lists (an array, filterable by dataFormat) and gets", async () => {
    const list = await api.get("/contenttypes");
    expect(list.status).toBe(200);
    expect(list.body.map((ct: { id: string }) => ct.id)).toEqual([
      "blogPost",
      "newsArticle",
      "pressRelease",
      "legalNotice",
    ]);
    expect((await api.get("/contenttypes?dataFormat=asset")).body).toEqual([]);
    const one = await api.get("/contenttypes/pressRelease");
    expect(one.body).toMatchObject({ id: "pressRelease", workflowId: "CustomEntryApproval", projectId: DEV });
    expect((await api.get("/contenttypes/nothing")).status).toBe(404);
  });

  it("assigns only a published definition", async () => {
    const blog = (await api.get("/contenttypes/blogPost")).body;
    await api.post("/workflow/definitions", definitionBody("newFlow"));

    const unpublished = await api.put("/contenttypes/blogPost", { ...blog, workflowId: "newFlow" });
    expect(unpublished.status).toBe(422);
    expect(unpublished.body.type).toBe("Validation");
    expect(unpublished.body.data).toEqual([
      {
        field: "workflowId",
        message:
          "The workflow definition 'newFlow' must be published before it can be assigned to a content type.",
      },
    ]);
    expect((await api.put("/contenttypes/blogPost", { ...blog, workflowId: "missing" })).status).toBe(422);
    expect(sim.state(DEV).contentTypes.find((ct) => ct.id === "blogPost")?.workflowId).toBe(
      "contensisEntryBasic",
    );

    await api.post("/workflow/definitions/newFlow/workflow/events", { version: "0.1", event: "publish" });
    const assigned = await api.put("/contenttypes/blogPost", { ...blog, workflowId: "newFlow" });
    expect(assigned.status).toBe(200);
    expect(assigned.body.workflowId).toBe("newFlow");
    expect(assigned.body.version.versionNo).toBe("2.0");
    expect(sim.state(DEV).contentTypes.find((ct) => ct.id === "blogPost")?.workflowId).toBe("newFlow");

    const inUse = await api.delete("/workflow/definitions/newFlow");
    expect(inUse.status).toBe(422);
    expect(inUse.body.message).toContain("blogPost");
  });

  it("a definition with a published version stays assignable while its latest is a draft", async () => {
    const blog = (await api.get("/contenttypes/blogPost")).body;
    const answer = await api.put("/contenttypes/blogPost", { ...blog, workflowId: "legalReview" });
    expect(answer.status).toBe(200);
  });

  it("refuses a body whose version.versionNo is not the current one (409), changing nothing", async () => {
    const blog = (await api.get("/contenttypes/blogPost")).body;
    const edited = await api.put("/contenttypes/blogPost", { ...blog, name: { "en-GB": "Blog article" } });
    expect(edited.status).toBe(200);
    const stale = await api.put("/contenttypes/blogPost", { ...blog, workflowId: "contensisEntryApproval" });
    expect(stale.status).toBe(409);
    expect(stale.body.data).toMatchObject({ contentTypeId: "blogPost", version: blog.version.versionNo });
    const now = (await api.get("/contenttypes/blogPost")).body;
    expect(now).toMatchObject({ name: { "en-GB": "Blog article" }, workflowId: blog.workflowId });
    const current = await api.put("/contenttypes/blogPost", { ...now, workflowId: "contensisEntryApproval" });
    expect(current.status).toBe(200);
  });

  it("refuses a body with another id and an unknown content type", async () => {
    const blog = (await api.get("/contenttypes/blogPost")).body;
    expect((await api.put("/contenttypes/blogPost", { ...blog, id: "other" })).status).toBe(422);
    expect((await api.put("/contenttypes/unknownType", { ...blog, id: "unknownType" })).status).toBe(404);
  });
});

describe("roles", () => {
  it("lists as a paged list and gets by id", async () => {
    const list = await api.get("/security/roles?pageSize=2&pageIndex=1");
    expect(list.body).toMatchObject({ pageIndex: 1, pageSize: 2, totalCount: 4, pageCount: 2 });
    expect(list.body.items.map((r: { name: string }) => r.name)).toEqual([
      "Legal reviewers",
      "Editors-in-chief",
    ]);
    const id = list.body.items[0].id;
    const role = await api.get(`/security/roles/${id}`);
    expect(role.body).toMatchObject({ id, name: "Legal reviewers", enabled: true });
    expect(role.body.permissions.entries[0]).toEqual({
      id: "legalNotice",
      languages: ["en-GB"],
      actions: ["legalReview.legalReview.*"],
    });
    expect((await api.get("/security/roles/00000000-0000-0000-0000-000000000000")).status).toBe(404);
  });

  it("uses the same role names and content type ids in dev and prod, with different role ids", () => {
    const dev = sim.state("website-dev");
    const prod = sim.state("website-prod");
    expect(prod.roles.map((r) => r.name)).toEqual(dev.roles.map((r) => r.name));
    expect(prod.contentTypes.map((c) => c.id)).toEqual(dev.contentTypes.map((c) => c.id));
    expect(prod.roles.map((r) => r.id)).not.toEqual(dev.roles.map((r) => r.id));
    expect(prod.definitions.find((d) => d.id === "legalReview")?.latest.version.versionNo).toBe("1.0");
  });
});
