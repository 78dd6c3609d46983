// Which build of the CLI a run loads: the bundle (apps/sync/dist/bundle, a few files: faster start-up)
// while it is at least as new as every build it was made from, else the plain tsc output (dist/main.js).
// So a bundle left behind by an earlier `npm run build` never runs code older than the build next to it.
import { statSync } from "node:fs";

const bundle = new URL("../dist/bundle/main.js", import.meta.url);
const plain = new URL("../dist/main.js", import.meta.url);
/** The tsc build stamps of the CLI and, inside the repository, of the packages the bundle holds. */
const stamps = [
  "../dist/tsconfig.tsbuildinfo",
  ...["core", "http", "adapter-kontent", "adapter-contensis"].map(
    (name) => `../../../packages/${name}/dist/tsconfig.tsbuildinfo`,
  ),
].map((path) => new URL(path, import.meta.url));

export function mainModule() {
  const made = statSync(bundle, { throwIfNoEntry: false })?.mtimeMs;
  if (made === undefined) return plain.href;
  for (const stamp of stamps) {
    const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs;
    if (built !== undefined && built > made) return plain.href;
  }
  return bundle.href;
}
