import { readFileSync } from "node:fs";

/** The CLI's version, from its package.json (one source for `--version`, help and plans). */
export function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    return pkg.version;
  } catch {
    return "unknown";
  }
}
