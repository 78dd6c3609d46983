import { faultMatrix } from "./support/matrix.ts";

/*
 * The fault matrix of the migrations across vendors (with the demo's --map files and
 * --accept-loss): Contensis → Kontent.ai, seeds 3001–3052, and Kontent.ai → Contensis, seeds
 * 4001–4052, under faults on both simulators (the source's reads too). Every run converges, first
 * time or after the same command again without faults, and nothing is written to the source.
 *
 * Runs the built CLI (rebuild first). Replay one seed: cd apps/sync && FAULT_SEED=4017 npm run test:faults
 * All figures and what they guarantee: docs/reliability-faults.md.
 */
faultMatrix("fault matrix: migrations", ["contensis-to-kontent", "kontent-to-contensis"]);
