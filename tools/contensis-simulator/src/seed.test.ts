import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { demoSeed, startContensisSimulator, systemDefinitions } from "./index.ts";
import { loadProjects } from "./store.ts";
import { definitionBody, tinySeed } from "./test-support/http.ts";
import { validateDefinition } from "./validation.ts";

describe("built-in definitions", () => {
  it("pass the simulator's own validation", () => {
    for (const definition of systemDefinitions("p")) {
      expect(validateDefinition(definition).issues).toEqual([]);
      expect(definition.isSystem).toBe(true);
    }
  });
});

describe("demo seed", () => {
  it("is a fresh copy each call and loads", () => {
    const seed = demoSeed();
    seed.clients.length = 0;
    expect(demoSeed().clients.length).toBe(3);
    const projects = loadProjects(demoSeed());
    expect([...projects.keys()]).toEqual(["website-dev", "website-prod"]);
    const custom = projects.get("website-dev")?.definitions.get("CustomEntryApproval")?.[0];
    expect(custom?.uuid).toBe("e7d8611a-88d6-44b3-8910-c894f1d6a42a");
    expect(custom?.isSystem).toBe(false);
    expect(custom?.states[1]?.events[2]?.invokableWhen).toEqual([
      { field: "isScheduledForPublish()", equalTo: false },
    ]);
  });

  it("gives the same uuids on every load", () => {
    const a = loadProjects(demoSeed()).get("website-prod")?.definitions.get("legalReview")?.[0]?.uuid;
    const b = loadProjects(demoSeed()).get("website-prod")?.definitions.get("legalReview")?.[0]?.uuid;
    expect(a).toBe(b);
  });
});

describe("seed rules", () => {
  it("stores a workflow without version as published 1.0, and an explicit draft as unpublished", () => {
    const projects = loadProjects(
      tinySeed({
        workflows: [
          definitionBody("a"),
          { ...definitionBody("b"), version: { versionNo: "0.3", published: null } },
        ],
      }),
    );
    const defs = projects.get("website-dev")?.definitions;
    expect(defs?.get("a")?.[0]?.version).toMatchObject({ versionNo: "1.0", published: expect.any(String) });
    expect(defs?.get("b")?.[0]?.version).toMatchObject({ versionNo: "0.3", published: null });
  });

  it.each([
    [
      "an invalid workflow",
      tinySeed({ workflows: [{ ...definitionBody("bad"), id: "1bad" }] }),
      /workflow '1bad'.*id/,
    ],
    ["a system workflow", tinySeed({ workflows: [definitionBody("contensisEntryBasic")] }), /built in/],
    [
      "a content type on an unpublished workflow",
      tinySeed({
        workflows: [{ ...definitionBody("draftOnly"), version: { versionNo: "0.1", published: null } }],
        contentTypes: [{ id: "page", name: {}, workflowId: "draftOnly" }],
      }),
      /must be published/,
    ],
    [
      "an entry in an unknown state",
      tinySeed({
        entries: [
          { sys: { id: "e", contentTypeId: "page", language: "en-GB", workflow: { state: "limbo" } } },
        ],
      }),
      /state 'limbo'/,
    ],
    [
      "an entry of an unknown content type",
      tinySeed({ entries: [{ sys: { id: "e", contentTypeId: "nope", language: "en-GB" } }] }),
      /unknown content type/,
    ],
  ])("refuses %s", (_name, seed, message) => {
    expect(() => loadProjects(seed)).toThrow(message);
  });

  it("loads a seed from a file path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "contensis-sim-seed-"));
    try {
      const file = join(dir, "seed.json");
      writeFileSync(file, JSON.stringify(tinySeed()));
      const sim = await startContensisSimulator({ seed: file });
      expect(sim.state("website-dev").contentTypes.map((c) => c.id)).toEqual(["page"]);
      await sim.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
