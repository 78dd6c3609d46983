import {
  CONTENSIS_DEV,
  CONTENSIS_PROD,
  CONTENSIS_TO_KONTENT,
  KONTENT_DEV,
  KONTENT_PROD,
  KONTENT_TO_CONTENSIS,
} from "@workflow-sync/test-utils";
import type { Vendor } from "./environments.ts";

/* The four syncs the fault suites run: two promotions and the two migrations. */

export type ScenarioName =
  | "kontent-promotion"
  | "contensis-promotion"
  | "contensis-to-kontent"
  | "kontent-to-contensis";

export interface Endpoint {
  vendor: Vendor;
  /** Kontent.ai environment id or Contensis project id. */
  id: string;
  env: string;
}

export interface Scenario {
  name: ScenarioName;
  source: Endpoint;
  target: Endpoint;
  /** Plan flags besides --prune. */
  flags: string[];
  /** Whether a seed may add --prune (the target holds workflows the source has not). */
  prunable: boolean;
  /** Whether `diff <from> <to>` compares like with like (same vendor): after convergence it is empty. */
  diffable: boolean;
}

/** The --map files of the migrations, written into every lane's folder. */
export const MAPPINGS = {
  "contensis-to-kontent.yaml": CONTENSIS_TO_KONTENT,
  "kontent-to-contensis.yaml": KONTENT_TO_CONTENSIS,
};

const kontentDev: Endpoint = { vendor: "kontent", id: KONTENT_DEV, env: "kontent-dev" };
const kontentProd: Endpoint = { vendor: "kontent", id: KONTENT_PROD, env: "kontent-prod" };
const contensisDev: Endpoint = { vendor: "contensis", id: CONTENSIS_DEV, env: "contensis-dev" };
const contensisProd: Endpoint = { vendor: "contensis", id: CONTENSIS_PROD, env: "contensis-prod" };

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  "kontent-promotion": {
    name: "kontent-promotion",
    source: kontentDev,
    target: kontentProd,
    flags: [],
    prunable: true,
    diffable: true,
  },
  "contensis-promotion": {
    name: "contensis-promotion",
    source: contensisDev,
    target: contensisProd,
    flags: [],
    prunable: false,
    diffable: true,
  },
  "contensis-to-kontent": {
    name: "contensis-to-kontent",
    source: contensisDev,
    target: kontentProd,
    flags: ["--map", "contensis-to-kontent.yaml", "--accept-loss"],
    prunable: false,
    diffable: false,
  },
  "kontent-to-contensis": {
    name: "kontent-to-contensis",
    source: kontentDev,
    target: contensisProd,
    flags: ["--map", "kontent-to-contensis.yaml", "--accept-loss"],
    prunable: false,
    diffable: false,
  },
};

/** The scenarios in order: the matrix's seeds are 1001 … for the first, 2001 … for the second, … */
export const ORDER: ScenarioName[] = [
  "kontent-promotion",
  "contensis-promotion",
  "contensis-to-kontent",
  "kontent-to-contensis",
];

export const referenceKey = (scenario: Scenario, prune: boolean) =>
  `${scenario.name}${prune ? " --prune" : ""}`;

export function syncArgs(scenario: Scenario, prune: boolean): string[] {
  return [scenario.source.env, scenario.target.env, ...scenario.flags, ...(prune ? ["--prune"] : [])];
}
