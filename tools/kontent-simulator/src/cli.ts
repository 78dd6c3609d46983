/**
 * Command: `node tools/kontent-simulator/src/cli.ts [--seed FILE] [--port N] [--rate-limit 10/400[/token-bucket]|off] [--latency MS] [--page-size N]`.
 * Prints exactly one line, `kontent simulator listening on http://127.0.0.1:PORT/v2`, when ready; stops on SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { parseRateLimit } from "./rate-limit.ts";
import { startKontentSimulator } from "./server.ts";

const USAGE =
  "usage: kontent-simulator [--seed FILE] [--port N] [--rate-limit PER_SECOND/PER_MINUTE[/sliding-window|token-bucket]|off] [--latency MS] [--page-size N]";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: "string" },
      port: { type: "string" },
      "rate-limit": { type: "string" },
      "page-size": { type: "string" },
      latency: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`Invalid --port '${values.port}'.`);
  const pageSize = values["page-size"] === undefined ? undefined : Number(values["page-size"]);
  const simulator = await startKontentSimulator({
    port,
    ...(values.seed === undefined ? {} : { seed: values.seed }),
    ...(values["rate-limit"] === undefined ? {} : { rateLimit: parseRateLimit(values["rate-limit"]) }),
    ...(pageSize === undefined ? {} : { pageSize }),
    ...(values.latency === undefined ? {} : { latencyMs: Number(values.latency) }),
  });
  const stop = () => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // Handlers first: a caller may signal as soon as it reads the line.
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  process.stdout.write(`kontent simulator listening on ${simulator.baseUrl}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`kontent simulator: ${(error as Error).message}\n${USAGE}\n`);
  process.exit(2);
});
