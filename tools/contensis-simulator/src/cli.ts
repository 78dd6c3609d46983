import { parseArgs } from "node:util";
import { startContensisSimulator } from "./index.ts";
import type { ContensisSimulatorOptions } from "./types.ts";

/**
 * `node tools/contensis-simulator/src/cli.ts [--seed FILE] [--port N] [--token-lifetime SECONDS]
 *  [--rate-limit PER_SECOND[/PER_MINUTE]]`: prints exactly one line
 * `contensis simulator listening on http://127.0.0.1:PORT` when ready; stops on SIGINT/SIGTERM.
 */
const usage =
  "usage: contensis-simulator [--seed FILE] [--port N] [--token-lifetime SECONDS] [--rate-limit PER_SECOND[/PER_MINUTE]]";

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(64);
}

function toInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a non-negative integer`);
  return n;
}

let values: {
  seed?: string;
  port?: string;
  "token-lifetime"?: string;
  "rate-limit"?: string;
  help?: boolean;
};
try {
  ({ values } = parseArgs({
    options: {
      seed: { type: "string" },
      port: { type: "string" },
      "token-lifetime": { type: "string" },
      "rate-limit": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

const options: ContensisSimulatorOptions = {};
if (values.seed !== undefined) options.seed = values.seed;
const port = toInt(values.port, "port");
if (port !== undefined) options.port = port;
const lifetime = toInt(values["token-lifetime"], "token-lifetime");
if (lifetime !== undefined) options.tokenLifetimeSeconds = lifetime;
if (values["rate-limit"] !== undefined) {
  const [perSecond, perMinute] = values["rate-limit"].split("/").map((v) => toInt(v, "rate-limit"));
  if (!perSecond) fail("--rate-limit needs PER_SECOND > 0");
  options.rateLimit = perMinute ? { perSecond, perMinute } : { perSecond };
}

try {
  const sim = await startContensisSimulator(options);
  process.stdout.write(`contensis simulator listening on ${sim.url}\n`);
  const stop = (): void => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  process.stderr.write(`contensis simulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
