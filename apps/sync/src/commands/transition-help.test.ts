import { ARCHIVED_KEY, IMPLICIT_TRANSITIONS, PUBLISHED_KEY } from "@workflow-sync/adapter-kontent";
import { describe, expect, it } from "vitest";
import { testCommand } from "../../test/support/test-command.ts";

describe("transition --help", () => {
  it("names only Kontent.ai transition keys that the adapter accepts (published, not publish)", async () => {
    const run = await testCommand(["transition", "--help"]);
    expect(run.exitCode).toBe(0);
    const text = run.stdout.replace(/\s+/g, " ");
    const kontentPart = text.slice(text.indexOf("Kontent.ai language variant"));
    const accepted = new Set<string>([
      PUBLISHED_KEY,
      ARCHIVED_KEY,
      ...Object.values(IMPLICIT_TRANSITIONS).map((transition) => transition.key),
    ]);
    for (const key of accepted) expect(kontentPart).toContain(key);
    // "publish" alone (the old help's word) is no transition key of a Kontent.ai workflow
    expect(kontentPart).not.toMatch(/\bpublish\b/);
  });
});
