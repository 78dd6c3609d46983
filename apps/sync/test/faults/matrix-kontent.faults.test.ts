import { faultMatrix } from "./support/matrix.ts";

/*
 * The fault matrix of a Kontent.ai promotion (kontent-dev → kontent-prod, half the seeds with
 * --prune), seeds 1001–1052: `sync` (or `plan`, then `apply`) under a seeded mix of 429 storms, 5xx,
 * connections dropped before and after the write and answers slower than the client's timeout.
 * Every run converges, first time or after the same command again without faults (resuming from
 * the journal); the target then holds exactly what a fault-free sync gives, and a further sync
 * sends no write. The seed's choices: support/fault-plan.ts; the checks: support/convergence.ts.
 *
 * Runs the built CLI (rebuild first). Replay one seed: cd apps/sync && FAULT_SEED=1017 npm run test:faults
 * All figures and what they guarantee: docs/reliability-faults.md.
 */
faultMatrix("fault matrix: kontent-promotion", ["kontent-promotion"]);
