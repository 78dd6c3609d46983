import {
  formatPath,
  type Loss,
  sameWorkflow,
  UnresolvedReferencesError,
  Workflow,
  type WorkflowInput,
} from "@workflow-sync/core";
import {
  contensisApprovalWorkflow,
  editorialWorkflow,
  kontentExampleWorkflow,
} from "@workflow-sync/test-utils";
import { describe, expect, it } from "vitest";
import { KontentMappingError, type KontentUnresolvedReferencesError } from "../errors.ts";
import {
  documentedExample,
  exampleReferences,
  randomWireWorkflow,
  richReferences,
  richRoles,
  writeFormOf,
} from "../test-support/wire.ts";
import type { KontentReference, KontentWorkflow } from "../wire.ts";
import { fromNeutral } from "./from-neutral.ts";
import { toNeutral } from "./to-neutral.ts";

const lossLines = (losses: readonly Loss[]) =>
  losses.map((loss) => `${formatPath(loss.path)} [${loss.code}]`);
const neutral = (input: WorkflowInput) => Workflow.parse(input);

describe("Kontent.ai → neutral → Kontent.ai is lossless up to ids", () => {
  it("for the documented example", () => {
    const { value } = toNeutral(documentedExample, exampleReferences);
    const roles = exampleReferences.roles;
    const back = fromNeutral(value, { ...exampleReferences, roles });
    expect(back.losses).toEqual([]);
    expect(back.value).toEqual(writeFormOf(documentedExample, exampleReferences));
  });

  it.each(Array.from({ length: 60 }, (_, i) => i + 1))("for random workflow %i", (seed) => {
    const wire = randomWireWorkflow(seed);
    const { value, losses } = toNeutral(wire, richReferences);
    expect(losses).toEqual([]);
    const back = fromNeutral(value, richReferences);
    expect(lossLines(back.losses)).toEqual([]);
    expect(back.value).toEqual(writeFormOf(wire, richReferences));
  });

  it("and neutral → Kontent.ai → neutral is stable for what Kontent.ai holds", () => {
    const first = toNeutral(randomWireWorkflow(7), richReferences).value;
    const body = fromNeutral(first, richReferences).value;
    // Pretend the vendor stored it: give it ids again and read it back.
    const stored = storeAsVendorWould(body);
    expect(sameWorkflow(toNeutral(stored, richReferences).value, first)).toBe(true);
  });
});

describe("fromNeutral", () => {
  it("resolves role names in the target environment (other ids than the source)", () => {
    const { value } = toNeutral(documentedExample, exampleReferences);
    const target = { roles: { "99999999-0000-4000-8000-000000000001": "Editor" } };
    const body = fromNeutral(value, target).value;
    expect(body.steps[0]?.role_ids).toEqual(["99999999-0000-4000-8000-000000000001"]);
    expect(body.published_step).toEqual({
      unpublish_role_ids: ["99999999-0000-4000-8000-000000000001"],
      create_new_version_role_ids: ["99999999-0000-4000-8000-000000000001"],
    });
    expect(body.scopes[0]?.content_types).toEqual([{ codename: "article" }, { codename: "blog_post" }]);
  });

  it("lists every unresolved role name (and codename) at once, never dropping one", () => {
    const error = (() => {
      try {
        fromNeutral(neutral(editorialWorkflow), {
          roles: { r1: "Author" },
          contentTypes: { t1: "article" },
          collections: {},
        });
      } catch (caught) {
        return caught;
      }
    })() as KontentUnresolvedReferencesError;
    expect(error).toBeInstanceOf(UnresolvedReferencesError);
    expect(error.kind).toBe("role");
    expect(error.names).toEqual(["Editor", "Legal", "Managing editor"]);
    expect(error.all.contentType).toEqual(["news_item"]);
    expect(error.message).toMatch(
      /3 role names not found in the target Kontent.ai environment: Editor, Legal, Managing editor/,
    );
  });

  it("refuses a role name that matches two roles", () => {
    expect(() =>
      fromNeutral(neutral(kontentExampleWorkflow), { roles: { a: "Editor", b: "Editor" }, locale: "en-US" }),
    ).toThrow(KontentMappingError);
  });

  it("reports everything the editorial workflow loses, with paths into the neutral document", () => {
    const roles = Object.fromEntries(Object.entries(richRoles));
    const { value, losses } = fromNeutral(neutral(editorialWorkflow), { roles, locale: "en-GB" });
    const lines = lossLines(losses);
    expect(lines).toEqual(
      expect.arrayContaining([
        "description [unsupported_field]",
        "states[2].description [unsupported_field]",
        "states[2].editable [unsupported_value]",
        "transitions[0].key [unsupported_value]",
        "transitions[0].name [unsupported_field]",
        "transitions[0].auditText [unsupported_field]",
        "transitions[0].parameters [unsupported_field]",
        "transitions[0].validate [unsupported_field]",
      ]),
    );
    // Every loss names the vendor and says why.
    for (const loss of losses) {
      expect(loss.vendor).toBe("kontent");
      expect(loss.message.length).toBeGreaterThan(10);
    }
    // The guard of fast_track is reported; its per-transition roles narrow the step's roles (only
    // Managing editors may fire every transition leaving editorial review), never widen them.
    const fastTrack = neutral(editorialWorkflow).transitions.findIndex((t) => t.key === "fast_track");
    expect(lines).toContain(`transitions[${fastTrack}].guard [unsupported_field]`);
    expect(lines).toContain("states[1].roles [role_granularity]");
    const managingEditor = Object.entries(richRoles).find(([, name]) => name === "Managing editor")?.[0];
    expect(value.steps[1]?.role_ids).toEqual([managingEditor]);
    // Steps in order, initial first; transitions by codename.
    expect(value.steps.map((step) => step.codename)).toEqual([
      "draft",
      "editorial_review",
      "legal_review",
      "ready",
    ]);
    expect(value.steps[0]?.transitions_to).toEqual([{ step: { codename: "editorial_review" } }]);
  });

  it("maps the Contensis approval workflow with its losses (merged published states, stay transitions, extensions)", () => {
    const { value, losses } = fromNeutral(neutral(contensisApprovalWorkflow), { roles: {}, locale: "en-GB" });
    const codes = new Set(losses.map((loss) => loss.code));
    expect(codes).toContain("invalid_key"); // approvalWorkflow → approvalworkflow
    expect(codes).toContain("structure"); // versionComplete / published merged, archived added
    expect(codes).toContain("unsupported_field"); // contensis extensions, parameters…
    expect(value.codename).toBe("approvalworkflow");
    expect(value.codename).toMatch(/^[a-z_][a-z0-9_]*$/);
    for (const step of value.steps) {
      expect(step.transitions_to.length).toBeGreaterThan(0);
      expect(step.codename).toMatch(/^[a-z_][a-z0-9_]*$/);
    }
    const stays = losses.filter((loss) => loss.path.at(-1) === "to" && /stay/.test(loss.message));
    expect(stays.length).toBeGreaterThan(0);
    expect(losses.some((loss) => loss.path.includes("contensis"))).toBe(true);
  });

  it("maps colours outside the palette with a loss, keeps palette colours silently", () => {
    const workflow = neutral({
      ...kontentExampleWorkflow,
      states: [
        { key: "draft", name: { "en-US": "Draft" }, kind: "initial", color: "cobalt", roles: ["Editor"] },
        { key: "review", name: { "en-US": "Review" }, kind: "step", color: "#ff00ff" },
        { key: "check", name: { "en-US": "Check" }, kind: "step", color: "sky-blue" },
        ...(kontentExampleWorkflow.states.slice(1) as WorkflowInput["states"]),
      ],
      transitions: [
        ...(kontentExampleWorkflow.transitions as WorkflowInput["transitions"] & object),
        { key: "published", from: "review", to: "published", name: { "en-US": "Published" } },
        { key: "published", from: "check", to: "published", name: { "en-US": "Published" } },
      ],
    });
    const { value, losses } = fromNeutral(workflow, exampleReferences);
    expect(value.steps.map((step) => step.color)).toEqual(["dark-blue", "gray", "sky-blue"]);
    const colourLosses = losses.filter((loss) => loss.path.at(-1) === "color");
    expect(colourLosses.map((loss) => formatPath(loss.path))).toEqual(["states[0].color", "states[1].color"]);
    expect(colourLosses[0]?.message).toContain('mapped to "dark-blue"');
  });

  it("cuts names over 30 and codenames over 40 characters, with the rule in the message", () => {
    const long = "a_very_long_step_codename_that_goes_past_forty";
    const workflow = neutral({
      ...kontentExampleWorkflow,
      states: [
        { key: "draft", name: { "en-US": "Draft" }, kind: "initial", color: "red" },
        { key: long, name: { "en-US": "A step name much longer than thirty" }, kind: "step", color: "red" },
        ...(kontentExampleWorkflow.states.slice(1) as WorkflowInput["states"]),
      ],
      transitions: [
        { key: long, from: "draft", to: long, name: { "en-US": "A step name much longer than thirty" } },
        { key: "published", from: long, to: "published", name: { "en-US": "Published" } },
      ],
    });
    const { value, losses } = fromNeutral(workflow, exampleReferences);
    expect(value.steps[1]?.codename).toBe(long.slice(0, 40));
    expect(value.steps[1]?.name).toHaveLength(30);
    expect(value.steps[0]?.transitions_to).toEqual([{ step: { codename: long.slice(0, 40) } }]);
    const tooLong = losses.filter((loss) => loss.code === "too_long");
    expect(tooLong.map((loss) => formatPath(loss.path))).toEqual(["states[1].key", "states[1].name"]);
    expect(tooLong[0]?.message).toMatch(/1–40 characters/);
    expect(tooLong[1]?.message).toMatch(/1–30 characters/);
  });

  it("keeps one locale and reports the others", () => {
    const workflow = neutral({
      ...kontentExampleWorkflow,
      name: { "en-US": "My workflow", "de-DE": "Mein Ablauf" },
    });
    const { value, losses } = fromNeutral(workflow, exampleReferences);
    expect(value.name).toBe("My workflow");
    expect(losses).toEqual([expect.objectContaining({ code: "extra_locales", path: ["name"] })]);
    // a locale the workflow does not have: the source's primary language (its first), not the
    // first sorted (which would be German here)
    const french = fromNeutral(workflow, { ...exampleReferences, locale: "fr-FR" });
    expect(french.value.name).toBe("My workflow");
    const german = fromNeutral(workflow, { ...exampleReferences, locale: "de-DE" });
    expect(german.value.name).toBe("Mein Ablauf");
  });

  it("an en-GB/de-DE workflow (Contensis) gets its primary language's names, not German ones", () => {
    const workflow = neutral({
      ...kontentExampleWorkflow,
      name: { "en-GB": "Approval", "de-DE": "Freigabe" },
      states: (kontentExampleWorkflow.states as WorkflowInput["states"]).map((state) => ({
        ...state,
        name: { "en-GB": `${Object.values(state.name)[0]}`, "de-DE": "Schritt" },
      })),
    });
    const { value, losses } = fromNeutral(workflow, exampleReferences);
    expect(value.name).toBe("Approval");
    expect(value.steps.every((step) => step.name !== "Schritt")).toBe(true);
    expect(losses.find((loss) => loss.path.join(".") === "name")?.message).toMatch(
      /kept "en-GB", dropped de-DE/,
    );
  });

  it("drops implicit transitions with odd targets and reports missing implicit ones", () => {
    const workflow = neutral({
      ...kontentExampleWorkflow,
      states: [
        ...(kontentExampleWorkflow.states as WorkflowInput["states"]),
        { key: "review", name: { "en-US": "Review" }, kind: "step", color: "red" },
      ],
      transitions: [
        { key: "published", from: "draft", to: "published", name: { "en-US": "Published" } },
        { key: "review", from: "review", to: "published", name: { "en-US": "Published" } },
        { key: "oops", from: "published", to: "review", name: { "en-US": "Back to review" } },
        { key: "restore", from: "archived", to: "draft", name: { "en-US": "Restore" } },
      ],
    });
    const { value, losses } = fromNeutral(workflow, exampleReferences);
    const lines = lossLines(losses);
    expect(lines).toContain("transitions[2] [implicit_transition]");
    expect(lines.filter((line) => line === "states[1] [implicit_transition]")).toHaveLength(2); // unpublish, create_new_version
    expect(lines).toContain("transitions[1].key [unsupported_value]"); // review → published keyed "review"
    expect(value.published_step).toEqual({ unpublish_role_ids: [], create_new_version_role_ids: [] });
  });

  it("writes role names in place of ids only when asked to (offline previews)", () => {
    const body = fromNeutral(neutral(kontentExampleWorkflow), { roles: "names" }).value;
    expect(body.steps[0]?.role_ids).toEqual(["Editor"]);
  });
});

/** What the vendor would answer after storing `body` (fresh ids, references by id). */
function storeAsVendorWould(body: ReturnType<typeof fromNeutral>["value"]): KontentWorkflow {
  const stepId = (codename: string) =>
    `00000000-aaaa-4000-8000-${codename
      .padEnd(12, "0")
      .slice(0, 12)
      .replace(/[^0-9a-f]/g, "a")}`;
  const byCodename = (map: Record<string, string>, codename: string) =>
    Object.entries(map).find(([, value]) => value === codename)?.[0] ?? codename;
  const ref = (r: KontentReference) => ("id" in r ? r.id : "codename" in r ? r.codename : r.external_id);
  const ids = new Map(body.steps.map((step, i) => [step.codename, `${stepId(step.codename)}${i}`]));
  ids.set("published", "p-id");
  ids.set("archived", "a-id");
  return {
    id: "w-id",
    name: body.name,
    codename: body.codename,
    scopes: body.scopes.map((scope) => ({
      content_types: scope.content_types.map((t) => ({
        id: byCodename(richReferences.contentTypes, ref(t)),
      })),
      collections: scope.collections.map((c) => ({ id: byCodename(richReferences.collections, ref(c)) })),
    })),
    steps: body.steps.map((step) => ({
      id: ids.get(step.codename)!,
      name: step.name,
      codename: step.codename,
      color: step.color,
      transitions_to: step.transitions_to.map((t) => ({ step: { id: ids.get(ref(t.step))! } })),
      role_ids: step.role_ids,
    })),
    published_step: { id: "p-id", name: "Published", codename: "published", ...body.published_step },
    scheduled_step: { id: "s-id", name: "Scheduled", codename: "scheduled" },
    archived_step: { id: "a-id", name: "Archived", codename: "archived", ...body.archived_step },
  };
}
