import { readFileSync } from "node:fs";
import type { ContensisSeed } from "./types.ts";
import { clone, isRecord } from "./util.ts";

const DEMO_SEED_URL = new URL("../seeds/demo.json", import.meta.url);
let demo: ContensisSeed | undefined;

/** The built-in demo seed (`seeds/demo.json`): projects `website-dev` and `website-prod`. A fresh copy each call. */
export function demoSeed(): ContensisSeed {
  demo ??= JSON.parse(readFileSync(DEMO_SEED_URL, "utf8")) as ContensisSeed;
  return clone(demo);
}

/** A seed object (copied) or the path of a JSON seed file; the demo seed when undefined. */
export function loadSeed(seed: ContensisSeed | string | undefined): ContensisSeed {
  if (seed === undefined) return demoSeed();
  const value: unknown = typeof seed === "string" ? JSON.parse(readFileSync(seed, "utf8")) : clone(seed);
  if (!isRecord(value) || !Array.isArray(value.clients) || !isRecord(value.projects)) {
    throw new Error("contensis simulator seed: expected { clients: [...], projects: { … } }");
  }
  return value as unknown as ContensisSeed;
}
