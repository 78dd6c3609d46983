#!/usr/bin/env node
// The workflow-sync command. Kept tiny: the real work is loaded lazily so `--help` starts fast.
import { main } from "../dist/main.js";

process.exitCode = await main(process.argv.slice(2));
