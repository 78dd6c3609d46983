import { checkWorkflow, UnresolvedReferencesError } from "@workflow-sync/core";
import {
  DOCS_ADD_REQUEST,
  DOCS_ADD_RESPONSE,
  DOCS_LIST_RESPONSE,
  DOCS_UPDATE_REQUEST,
  DOCS_WORKFLOW_OBJECT,
} from "@workflow-sync/test-utils";
import { describe, expect, it } from "vitest";
import { codenameFromName, readKontentFile } from "./file.ts";
import { fromNeutral } from "./mapping/from-neutral.ts";

/** A mutable deep copy of a docs example (the fixtures are read-only). */
const clone = <T = Record<string, unknown>>(value: unknown): T => JSON.parse(JSON.stringify(value)) as T;
const errorsOf = (workflow: Parameters<typeof checkWorkflow>[0]) =>
  checkWorkflow(workflow).filter((issue) => issue.severity === "error");

describe("readKontentFile: the docs' examples, offline", () => {
  it("reads the response shape (ids only, with scopes): unresolved ids stay typed references", () => {
    const { value, losses } = readKontentFile(clone(DOCS_WORKFLOW_OBJECT), { what: "object.json" });
    expect(value.key).toBe("my_workflow");
    expect(value.scope).toEqual({
      contentTypes: ["id:1cdb6e21-3330-4f0f-88cd-171098950e4f", "id:2ea20d43-5293-43a4-8bd2-9674a92b20ec"],
      collections: ["id:b15b6050-80d8-406d-bf21-3012e4ad0ac5", "id:af665269-5b03-409d-b6e4-81a8b34e97fc"],
    });
    // step ids resolve inside the workflow: draft → published, draft → archived
    expect(value.transitions.filter((t) => t.from === "draft").map((t) => t.to)).toEqual([
      "published",
      "archived",
    ]);
    expect(value.states.find((s) => s.key === "draft")?.roles).toEqual([
      "id:e25d74b8-f81a-4faf-94b9-b0bf2b3802c6",
    ]);
    expect(losses.map((loss) => loss.message).join("\n")).toContain(
      "id:e25d74b8-f81a-4faf-94b9-b0bf2b3802c6",
    );
    expect(errorsOf(value)).toEqual([]);
  });

  it("reads the Add 201 answer and the rendered list example", () => {
    const added = readKontentFile(clone(DOCS_ADD_RESPONSE), { what: "add.json" }).value;
    expect(added.transitions.filter((t) => !t.extensions.kontent).map((t) => [t.from, t.to])).toEqual([
      ["first_step", "second_step"],
      ["second_step", "published"],
    ]);
    expect(errorsOf(added)).toEqual([]);
    const listed = readKontentFile(clone(DOCS_LIST_RESPONSE)[""], { what: "list.json" }).value;
    expect(listed.key).toBe("my_workflow");
  });

  it("reads the request shape: no ids, references by codename, no workflow codename", () => {
    const { value, losses } = readKontentFile(clone(DOCS_ADD_REQUEST), { what: "add-request.json" });
    expect(value.key).toBe("my_workflow");
    expect(losses.some((loss) => loss.path.join(".") === "codename")).toBe(true);
    expect(value.states.map((s) => [s.key, s.kind])).toEqual([
      ["first_step", "initial"],
      ["second_step", "step"],
      ["published", "published"],
      ["scheduled", "scheduled"],
      ["archived", "archived"],
    ]);
    expect(value.scope.contentTypes).toEqual(["id:1aeb9220-f167-4f8e-a7db-1bfec365fa80"]);
    expect(errorsOf(value)).toEqual([]);
  });

  it("reads the Update request: a step referenced by its id, codenames and ids mixed in a scope", () => {
    const { value } = readKontentFile(clone(DOCS_UPDATE_REQUEST), { what: "update-request.json" });
    expect(value.scope).toEqual({
      contentTypes: ["article"],
      collections: ["id:b15b6050-80d8-406d-bf21-3012e4ad0ac5"],
    });
    expect(value.transitions.filter((t) => t.from === "first_step").map((t) => t.to)).toEqual([
      "second_step_renamed",
      "archived",
    ]);
    expect(errorsOf(value)).toEqual([]);
  });

  it("reads an external_id reference as a typed reference", () => {
    const document = clone(DOCS_ADD_REQUEST) as Record<string, unknown>;
    document.scopes = [{ content_types: [{ external_id: "ext-article" }], collections: [] }];
    expect(readKontentFile(document, { what: "x" }).value.scope.contentTypes).toEqual([
      "external_id:ext-article",
    ]);
  });

  it("reads back its own fromNeutral output (convert --to kontent, role names offline)", () => {
    const neutral = readKontentFile(clone(DOCS_WORKFLOW_OBJECT), { what: "object.json" }).value;
    const written = fromNeutral(neutral, { roles: "names" }).value;
    // typed references are written as the vendor's references again
    expect(written.scopes[0]?.content_types[0]).toEqual({ id: "1cdb6e21-3330-4f0f-88cd-171098950e4f" });
    expect(written.steps[0]?.role_ids).toEqual(["e25d74b8-f81a-4faf-94b9-b0bf2b3802c6"]);
    const again = readKontentFile(JSON.parse(JSON.stringify(written)), { what: "converted.json" }).value;
    expect(again).toEqual(neutral);
  });
});

describe("readKontentFile: invalid workflows reach the semantic rules", () => {
  it("a request-shape workflow whose steps never reach Published", () => {
    const document = clone<{ steps: Array<{ transitions_to: unknown[] }> }>(DOCS_ADD_REQUEST);
    document.steps[1]!.transitions_to = [{ step: { codename: "first_step" } }];
    const { value } = readKontentFile(document, { what: "loop.json" });
    expect(errorsOf(value).map((issue) => issue.code)).toEqual([
      "cannot_reach_published",
      "cannot_reach_published",
    ]);
  });

  it("a response-shape workflow whose step leads nowhere", () => {
    const document = clone<{ steps: Array<{ transitions_to: unknown[] }> }>(DOCS_ADD_RESPONSE);
    document.steps[1]!.transitions_to = [];
    const { value } = readKontentFile(document, { what: "stuck.json" });
    expect(errorsOf(value).some((issue) => issue.code === "cannot_reach_published")).toBe(true);
  });

  it("a transition to a codename that is no step is a dangling reference, not a parse error", () => {
    const document = clone<{ steps: Array<{ transitions_to: unknown[] }> }>(DOCS_ADD_REQUEST);
    document.steps[0]!.transitions_to = [{ step: { codename: "nowhere" } }];
    const { value } = readKontentFile(document, { what: "dangling.json" });
    expect(
      errorsOf(value)
        .map((issue) => issue.message)
        .join("\n"),
    ).toContain("nowhere");
  });

  it("a document without steps is a shape error naming the path", () => {
    expect(() => readKontentFile({ name: "x", published_step: {} }, { what: "empty.json" })).toThrow(
      /empty\.json.*steps/,
    );
  });
});

describe("typed references resolved in a target environment", () => {
  const neutral = () => readKontentFile(clone(DOCS_ADD_REQUEST), { what: "add-request.json" }).value;
  const context = {
    roles: [{ id: "e796887c-38a1-4ab2-a999-c40861bb7a4b", name: "Reviewer" }],
    contentTypes: [{ id: "1aeb9220-f167-4f8e-a7db-1bfec365fa80", codename: "article" }],
    collections: [{ id: "b15b6050-80d8-406d-bf21-3012e4ad0ac5", codename: "default" }],
  };

  it("writes codenames for ids the target has, and role ids it knows", () => {
    const written = fromNeutral(neutral(), context).value;
    expect(written.scopes).toEqual([
      { content_types: [{ codename: "article" }], collections: [{ codename: "default" }] },
    ]);
    expect(written.steps[1]?.role_ids).toEqual(["e796887c-38a1-4ab2-a999-c40861bb7a4b"]);
  });

  it("refuses ids the target does not have, listing every one", () => {
    const error = (() => {
      try {
        fromNeutral(neutral(), { ...context, contentTypes: [], roles: [] });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UnresolvedReferencesError);
    expect(String((error as Error).message)).toContain("id:1aeb9220-f167-4f8e-a7db-1bfec365fa80");
    expect(String((error as Error).message)).toContain("id:e796887c-38a1-4ab2-a999-c40861bb7a4b");
  });
});

describe("codenameFromName", () => {
  it("derives codenames as the docs' example shows", () => {
    expect(codenameFromName("My workflow")).toBe("my_workflow");
    expect(codenameFromName("2024 Review – Café")).toBe("n2024_review_cafe");
  });
});

describe("fromNeutral never emits a self-transition", () => {
  it("drops a transition from a step to itself (a Contensis event whose transitionTo is its own state), as a loss", () => {
    const neutral = readKontentFile(clone(DOCS_ADD_REQUEST), { what: "add-request.json" }).value;
    neutral.transitions.push({
      key: "save",
      from: "second_step",
      to: "second_step",
      name: { "en-US": "Save" },
      roles: [],
      parameters: [],
      validate: false,
      extensions: {},
    });
    const { value, losses } = fromNeutral(neutral, { roles: "names" });
    const second = value.steps.find((step) => step.codename === "second_step")!;
    expect(second.transitions_to).toEqual([{ step: { codename: "published" } }]);
    expect(losses.some((loss) => /cannot transition to themselves/.test(loss.message))).toBe(true);
  });
});
