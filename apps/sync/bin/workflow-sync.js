#!/usr/bin/env node
// The workflow-sync command. Kept tiny: the real work is loaded lazily so `--help` starts fast.
import module from "node:module";

// V8's compile cache (Node ≥ 22.1; in the OS temp folder unless NODE_COMPILE_CACHE says otherwise):
// every run after the first skips parsing and compiling the CLI's modules. Before the import below.
module.enableCompileCache?.();
const { main } = await import("../dist/main.js");

process.exitCode = await main(process.argv.slice(2));
