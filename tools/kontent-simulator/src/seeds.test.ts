import { describe, expect, it } from "vitest";
import { DEMO_ENVIRONMENTS, demoSeed, startKontentSimulator } from "./index.ts";
import { buildEnvironments } from "./seeds.ts";
import { ARCHIVED, DEFAULT_WF, PUBLISHED, SCHEDULED, TINY, tinySeed } from "./test-support/helpers.ts";

describe("demo seed", () => {
  const envs = buildEnvironments(demoSeed());
  const dev = envs.get(DEMO_ENVIRONMENTS.dev.id)!.snapshot();
  const prod = envs.get(DEMO_ENVIRONMENTS.prod.id)!.snapshot();

  it("has dev and prod with different ids but the same codenames and role names", () => {
    expect([...envs.keys()]).toEqual([DEMO_ENVIRONMENTS.dev.id, DEMO_ENVIRONMENTS.prod.id]);
    const names = (s: typeof dev) => s.roles.map((r) => r.name);
    expect(names(dev)).toEqual(names(prod));
    expect(names(dev)).toEqual(
      expect.arrayContaining(["Contributor", "Reviewer", "Legal", "Project manager"]),
    );
    expect(dev.roles.find((r) => r.name === "Project manager")?.codename).toBe("project-manager");
    expect(dev.contentTypes.map((t) => t.codename)).toEqual(prod.contentTypes.map((t) => t.codename));
    expect(dev.contentTypes.map((t) => t.codename)).toEqual(
      expect.arrayContaining(["article", "landing_page", "product", "news"]),
    );
    for (const kind of ["roles", "contentTypes", "items"] as const) {
      const devIds = new Set(dev[kind].map((x) => x.id));
      expect(prod[kind].some((x) => devIds.has(x.id))).toBe(false);
    }
  });

  it("has the documented example, a richer editorial_review and quick_publish; prod is older", () => {
    const codenames = (s: typeof dev) => s.workflows.map((w) => w.codename);
    expect(codenames(dev)).toEqual(["default", "my_workflow", "editorial_review", "quick_publish"]);
    expect(codenames(prod)).not.toContain("quick_publish");
    const editorial = dev.workflows.find((w) => w.codename === "editorial_review")!;
    expect(editorial.steps.map((s) => s.codename)).toEqual(["draft", "copy_edit", "legal_review", "ready"]);
    expect(editorial.steps.every((s) => s.role_ids.length > 0)).toBe(true);
    const prodEditorial = prod.workflows.find((w) => w.codename === "editorial_review")!;
    expect(prodEditorial.steps.map((s) => s.codename)).toEqual(["draft", "copy_edit", "ready"]);
    expect(prodEditorial.steps[1]?.color).not.toBe(editorial.steps[1]?.color);
    expect(dev.workflows.find((w) => w.codename === "my_workflow")?.id).toBe(
      "8e38928b-50b6-4e9e-ab53-af35d6fcfcb8",
    );
    for (const wf of [...dev.workflows, ...prod.workflows]) {
      expect([wf.published_step.id, wf.scheduled_step.id, wf.archived_step.id]).toEqual([
        PUBLISHED,
        SCHEDULED,
        ARCHIVED,
      ]);
    }
    expect(dev.variants.length).toBeGreaterThan(3);
  });

  it("returns a fresh copy on every call", () => {
    const a = demoSeed();
    a.environments = {};
    expect(Object.keys(demoSeed().environments)).toHaveLength(2);
  });
});

describe("seed loading", () => {
  it("adds the default workflow, collection and language when absent", () => {
    const env = buildEnvironments({ environments: { e: { apiKeys: ["k"] } } })
      .get("e")!
      .snapshot();
    expect(env.workflows.map((w) => [w.id, w.codename])).toEqual([[DEFAULT_WF, "default"]]);
    expect(env.workflows[0]?.steps.map((s) => s.codename)).toEqual(["draft"]);
    expect(env.collections.map((c) => c.codename)).toEqual(["default"]);
    expect(env.languages).toHaveLength(1);
  });

  it("resolves codename references and defaults variants to the default workflow's first step", () => {
    const env = buildEnvironments(tinySeed()).get(TINY.env)!.snapshot();
    const page = env.variants.find((v) => v.item.id === TINY.items.page)!;
    expect(page.workflow.workflow_identifier.id).toBe(DEFAULT_WF);
    expect(page.workflow.step_identifier.id).toBe(env.workflows[0]?.steps[0]?.id);
    expect(env.items.find((i) => i.id === TINY.items.page)?.type).toEqual({ id: TINY.types.page });
  });

  it("rejects an inconsistent seed with a message naming the environment", () => {
    const seed = tinySeed();
    seed.environments[TINY.env]!.workflows![0]!.steps[2]!.transitions_to = [
      { step: { id: TINY.steps.draft } },
    ];
    expect(() => buildEnvironments(seed)).toThrow(/environment '11111111.*never reaches the Published step/);
    const badVariant = tinySeed();
    badVariant.environments[TINY.env]!.variants!.push({
      item: { codename: "nope" },
      language: { codename: "en-US" },
    });
    expect(() => buildEnvironments(badVariant)).toThrow(/content item with codename 'nope' does not exist/);
  });

  it("loads a seed from a file path", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "kontent-sim-")), "seed.json");
    writeFileSync(file, JSON.stringify(tinySeed()));
    const sim = await startKontentSimulator({ seed: file, rateLimit: false });
    try {
      expect(sim.state(TINY.env).workflows.map((w) => w.codename)).toEqual(["default", "blog"]);
    } finally {
      await sim.close();
    }
  });
});
