import { describe, expect, it } from "vitest";
import { applyGrants, renameGrantReferences, type WorkflowGrants } from "./grants.ts";
import { fromNeutral } from "./mapping/from-neutral.ts";
import { toNeutral } from "./mapping/to-neutral.ts";
import { grantsFromRoles } from "./roles.ts";
import type { ContensisRole, ContensisWorkflowDefinition } from "./wire.ts";

const DEFINITION: ContensisWorkflowDefinition = {
  id: "news",
  name: { "en-GB": "News" },
  states: [
    {
      id: "draft",
      name: { "en-GB": "Draft" },
      events: [{ id: "submit", name: { "en-GB": "Submit" }, transitionTo: "review", groupId: "g" }],
    },
    {
      id: "review",
      name: { "en-GB": "Review" },
      events: [
        { id: "approve", name: { "en-GB": "Approve" }, transitionTo: "sysWorkflow", groupId: "g" },
        { id: "reject", name: { "en-GB": "Reject" }, transitionTo: "draft", groupId: "g" },
      ],
    },
  ],
  eventGroups: [{ id: "g", name: { "en-GB": "G" } }],
};

const role = (id: string, name: string, entries: ContensisRole["permissions"] extends infer P ? P : never) =>
  ({
    id,
    name,
    enabled: true,
    permissions: entries,
    assignments: { users: ["u"], groups: [], apiKeys: [] },
  }) as ContensisRole;

describe("Contensis role grants", () => {
  const source = [
    role("1", "Authors", {
      entries: [
        { id: "article", languages: ["en-GB"], actions: ["news.sysCreate", "news.draft.submit"] },
        { id: "*", languages: ["*"], actions: ["other.draft.*"] },
      ],
    }),
    role("2", "Editors", {
      entries: [{ id: "*", languages: ["*"], actions: ["news.review.*", "news.sysUnpublish"] }],
    }),
  ];

  it("reads grants with their limits and writes the same grants on other roles, changing only that workflow's actions", () => {
    const neutral = toNeutral(DEFINITION, { roleGrants: grantsFromRoles(source) }).value;
    expect(neutral.transitions.map((t) => [t.key, t.roles])).toEqual([
      ["submit", ["Authors"]],
      ["approve", ["Editors"]],
      ["reject", ["Editors"]],
      // news.sysUnpublish: who may unpublish, as a published → archived transition (unpublish.ts)
      ["unpublish", ["Editors"]],
    ]);
    const { grants } = fromNeutral(neutral, { grants: "write" });
    const target = [
      role("a", "Authors", {
        entries: [{ id: "*", languages: ["*"], actions: ["other.draft.*", "news.review.approve"] }],
      }),
      role("e", "Editors", { entries: [{ id: "*", languages: ["*"], actions: ["news.*"] }] }),
      role("x", "Guests", { entries: [{ id: "*", languages: ["*"], actions: ["other.sysCreate"] }] }),
    ];
    const outcome = applyGrants(target, [grants]);
    expect(outcome.missing).toEqual([]);
    // Editors hold news.* (which also grants submit and sysCreate): rewritten to exactly what is wanted.
    expect(outcome.writes.map((write) => write.name)).toEqual(["Authors", "Editors"]);
    const [authors, editors, guests] = outcome.roles;
    expect(authors!.permissions?.entries).toEqual([
      { id: "*", languages: ["*"], actions: ["other.draft.*"] },
      { id: "article", languages: ["en-GB"], actions: ["news.draft.submit", "news.sysCreate"] },
    ]);
    expect(authors!.assignments).toEqual(target[0]!.assignments);
    expect(editors!.permissions?.entries).toEqual([
      {
        id: "*",
        languages: ["*"],
        actions: ["news.review.approve", "news.review.reject", "news.sysUnpublish"],
      },
    ]);
    expect(guests).toBe(target[2]);
    // Read back, the target grants what the source grants.
    const back = toNeutral(DEFINITION, { roleGrants: grantsFromRoles(outcome.roles) }).value;
    expect(back.transitions).toEqual(neutral.transitions);
    expect(back.extensions).toEqual(neutral.extensions);
    // A second pass writes nothing.
    expect(applyGrants(outcome.roles, [grants]).writes).toEqual([]);
  });

  it("names every missing role at once and leaves roles that already grant exactly alone", () => {
    const grants: WorkflowGrants = {
      workflowId: "news",
      actions: new Map([
        ["news.draft.submit", [{ role: "Night editors" }, { role: "Authors" }]],
        ["news.review.approve", [{ role: "Fact checkers" }]],
      ]),
    };
    const target = [
      role("a", "Authors", { entries: [{ id: "*", languages: ["*"], actions: ["news.draft.*"] }] }),
    ];
    const outcome = applyGrants(target, [grants]);
    expect(outcome.missing).toEqual(["Fact checkers", "Night editors"]);
    expect(outcome.writes).toEqual([]);
  });

  it("reports a role that keeps an action through '*' instead of pretending to narrow it", () => {
    const grants: WorkflowGrants = { workflowId: "news", actions: new Map([["news.draft.submit", []]]) };
    const outcome = applyGrants(
      [role("s", "Admins", { entries: [{ id: "*", languages: ["*"], actions: ["*"] }] })],
      [grants],
    );
    expect(outcome.notNarrowed).toEqual([{ role: "Admins", action: "news.draft.submit" }]);
  });

  it("--map renames follow into the grant records (roles and content types)", () => {
    const neutral = toNeutral(DEFINITION, { roleGrants: grantsFromRoles(source) }).value;
    const renamed = renameGrantReferences(neutral, {
      roles: { Authors: "Writers" },
      contentTypes: { article: "story" },
    });
    expect(renamed.transitions[0]!.extensions.contensis?.grants).toEqual({
      Writers: { contentTypes: ["story"], languages: ["en-GB"] },
    });
    expect(
      (renamed.extensions.contensis?.permissions as Record<string, unknown> | undefined)?.sysCreate,
    ).toEqual({
      roles: ["Writers"],
      limits: { Writers: { contentTypes: ["story"], languages: ["en-GB"] } },
    });
  });
});
