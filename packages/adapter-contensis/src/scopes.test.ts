import { Workflow } from "@workflow-sync/core";
import { kontentExampleWorkflow } from "@workflow-sync/test-utils";
import { describe, expect, it } from "vitest";
import { ContensisEnvironment } from "./environment.ts";
import { ScopeOverlapError } from "./errors.ts";
import { fromNeutral } from "./mapping/from-neutral.ts";
import { snapshotFromNative } from "./mapping/to-neutral.ts";
import { scopedContentTypes, scopeOverlaps } from "./scopes.ts";

const environment = new ContensisEnvironment({
  rootUrl: "http://127.0.0.1:9",
  projectId: "website",
  clientId: "id",
  clientSecret: "secret",
});

/** A Kontent.ai-shaped neutral workflow with a second scope (as the Kontent.ai adapter reads it). */
function withScopes(key: string, first: string[], firstCollections: string[], second?: object): Workflow {
  const parsed = Workflow.parse(kontentExampleWorkflow);
  return {
    ...parsed,
    key,
    scope: { contentTypes: first, collections: firstCollections },
    extensions: second ? { kontent: { scopes: [second] } } : {},
  };
}

describe("Kontent.ai scopes in Contensis", () => {
  it("two workflows scoping one content type in different collections: an error naming both, before any write", () => {
    const a = withScopes("news_marketing", ["news"], ["marketing"]);
    const b = withScopes("news_legal", ["article"], [], { contentTypes: ["news"], collections: ["legal"] });
    expect(scopeOverlaps([a, b])).toEqual([
      { contentType: "news", workflows: ["news_marketing", "news_legal"] },
    ]);
    const snapshot = snapshotFromNative({
      projectId: "website",
      definitions: [],
      published: [],
      contentTypes: [],
      roles: [],
    });
    expect(() => environment.checkSet([a, b], snapshot)).toThrow(ScopeOverlapError);
    expect(() => environment.checkSet([a, b], snapshot)).toThrow(/"news".*"news_marketing" and "news_legal"/);
    expect(() => environment.checkSet([a], snapshot)).not.toThrow();
  });

  it("a second scope is assigned (its content types) and its dropped collections are a loss line naming it", () => {
    const workflow = withScopes("press", ["news"], ["marketing"], {
      contentTypes: ["article"],
      collections: ["legal"],
    });
    expect(scopedContentTypes(workflow)).toEqual(["news", "article"]);
    const lines = fromNeutral(workflow).losses.map((loss) => loss.message);
    expect(lines).toContainEqual(expect.stringMatching(/marketing dropped/));
    expect(lines).toContainEqual(
      expect.stringMatching(
        /Kontent.ai scope 2 \(content types: article; collections: legal\).*article are assigned.*legal dropped/,
      ),
    );
    const snapshot = snapshotFromNative({
      projectId: "website",
      definitions: [],
      published: [],
      contentTypes: [
        { id: "news", workflowId: "contensisEntryBasic" },
        { id: "article", workflowId: "contensisEntryBasic" },
      ],
      roles: [],
    });
    const requests = environment.planCreate(workflow, snapshot).value;
    expect(
      requests.filter((request) => request.path.startsWith("/contenttypes/")).map((r) => r.path),
    ).toEqual(["/contenttypes/news", "/contenttypes/article"]);
    expect(environment.project(workflow, snapshot).value.scope.contentTypes.sort()).toEqual([
      "article",
      "news",
    ]);
  });
});
