import { configText, contensisEnvironments, kontentEnvironments } from "../../support/demo-config.ts";

/*
 * The workflow-sync config of a fault lane: the demo's four environments (kontent-dev/-prod,
 * contensis-dev/-prod) on the lane's simulators, with a rate and a timeout per attempt.
 */

/** Per attempt (the config's `timeoutMs`); a `slow` answer comes after SLOW_MS, past it. */
export const TIMEOUT_MS = 400;
export const SLOW_MS = 900;

/** The config a lane's CLI runs use unless told otherwise. */
export const MAIN_CONFIG = "workflow-sync.config.yaml";

/** A second config of every lane: paced, slow enough that an apply can be killed or edited half-way. */
export const PACED_CONFIG = "paced.config.yaml";
export const PACED = { perSecond: 8, perMinute: 480, timeoutMs: 2000 };
/** The main config's pace. */
export const FAST = { perSecond: 40, perMinute: 2400 };

/**
 * Beside each config, the same with Contensis writes OVERLAP at a time (`concurrency: { writes }`);
 * the plain ones send Contensis writes one at a time. Kontent.ai writes go one at a time in both.
 */
export const OVERLAP = 4;
export const overlapConfig = (config: string) => config.replace(/\.config\.yaml$/, ".overlap.config.yaml");

export function laneConfig(
  urls: { kontent: string; contensis: string },
  rate: { perSecond: number; perMinute: number },
  timeoutMs: number,
  contensisWrites = 1,
): string {
  const extra = [
    `rateLimit: { perSecond: ${rate.perSecond}, perMinute: ${rate.perMinute} }`,
    `timeoutMs: ${timeoutMs}`,
  ];
  return configText(
    kontentEnvironments(urls.kontent, { dev: extra, prod: extra }),
    contensisEnvironments(urls.contensis, [...extra, `concurrency: { writes: ${contensisWrites} }`]),
  );
}
