import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { WorkflowInput } from "@workflow-sync/core";

/** A throwaway folder with files, for command tests. */
export function tempWorkspace(files: Record<string, string | object> = {}) {
  const root = mkdtempSync(join(tmpdir(), "workflow-sync-test-"));
  const write = (name: string, content: string | object) => {
    const path = join(root, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
    return path;
  };
  for (const [name, content] of Object.entries(files)) write(name, content);
  return {
    root,
    write,
    path: (name: string) => join(root, name),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A small valid workflow: draft → review → published, with one role on review. */
export function smallWorkflow(overrides: Partial<WorkflowInput> = {}): WorkflowInput {
  return {
    key: "article",
    name: { "en-GB": "Article" },
    initial: "draft",
    states: [
      { key: "draft", name: { "en-GB": "Draft" }, kind: "initial", color: "red" },
      { key: "review", name: { "en-GB": "Review" }, kind: "step", color: "yellow", roles: ["Reviewer"] },
      { key: "published", name: { "en-GB": "Published" }, kind: "published" },
    ],
    transitions: [
      { key: "submit", from: "draft", to: "review", name: { "en-GB": "Submit" } },
      { key: "approve", from: "review", to: "published", name: { "en-GB": "Approve" } },
      { key: "reject", from: "review", to: "draft", name: { "en-GB": "Reject" } },
    ],
    ...overrides,
  };
}
