import { cpSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

// bin/entry.js picks the build a run loads: the bundle only while it is at least as new as every tsc
// build it was made from. A copy of bin/ in a scratch repository layout, with files of chosen ages.
const entrySource = new URL("../bin/entry.js", import.meta.url).pathname;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function layout(): { root: string; touch(path: string, secondsAgo: number): void; pick(): Promise<string> } {
  const root = mkdtempSync(join(tmpdir(), "workflow-sync-entry-"));
  dirs.push(root);
  mkdirSync(join(root, "apps/sync/bin"), { recursive: true });
  cpSync(entrySource, join(root, "apps/sync/bin/entry.js"));
  writeFileSync(join(root, "apps/sync/package.json"), '{"type":"module"}');
  let copy = 0;
  return {
    root,
    touch(path, secondsAgo) {
      const file = join(root, path);
      mkdirSync(join(file, ".."), { recursive: true });
      writeFileSync(file, "");
      const at = Date.now() / 1000 - secondsAgo;
      utimesSync(file, at, at);
    },
    async pick() {
      // A fresh copy per call: the module itself has no state, but an import is cached by URL.
      const file = join(root, `apps/sync/bin/entry-${copy++}.js`);
      cpSync(entrySource, file);
      const { mainModule } = (await import(pathToFileURL(file).href)) as { mainModule(): string };
      return mainModule().slice(pathToFileURL(root).href.length);
    },
  };
}

describe("bin/entry.js", () => {
  it("runs the bundle when it is newer than every build", async () => {
    const repo = layout();
    repo.touch("apps/sync/dist/tsconfig.tsbuildinfo", 60);
    repo.touch("packages/core/dist/tsconfig.tsbuildinfo", 60);
    repo.touch("apps/sync/dist/bundle/main.js", 30);
    expect(await repo.pick()).toBe("/apps/sync/dist/bundle/main.js");
  });

  it("runs the plain build when any package was built after the bundle", async () => {
    const repo = layout();
    repo.touch("apps/sync/dist/tsconfig.tsbuildinfo", 60);
    repo.touch("apps/sync/dist/bundle/main.js", 30);
    repo.touch("packages/adapter-kontent/dist/tsconfig.tsbuildinfo", 10);
    expect(await repo.pick()).toBe("/apps/sync/dist/main.js");
  });

  it("runs the plain build when there is no bundle, and the bundle where no build stamp exists (installed)", async () => {
    const bare = layout();
    bare.touch("apps/sync/dist/tsconfig.tsbuildinfo", 60);
    expect(await bare.pick()).toBe("/apps/sync/dist/main.js");
    const installed = layout();
    installed.touch("apps/sync/dist/bundle/main.js", 30);
    expect(await installed.pick()).toBe("/apps/sync/dist/bundle/main.js");
  });
});
