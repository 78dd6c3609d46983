#!/usr/bin/env node
// The workflow-sync command. Kept tiny: the real work is loaded lazily so `--help` starts fast.
import module from "node:module";

// V8's compile cache (Node ≥ 22.1; in the OS temp folder unless NODE_COMPILE_CACHE says otherwise):
// every run after the first skips parsing and compiling the CLI's modules. Before the import below.
module.enableCompileCache?.();
const { mainModule } = await import("./entry.js");
const { main } = await import(mainModule());

// A reader that stops early (`workflow-sync graph … | head`) closes the pipe: stop quietly, as
// other command-line tools do, instead of printing an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2));
