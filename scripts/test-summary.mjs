// Sums vitest's per-project "Tests  N passed | M failed" lines into one closing line.
import { readFileSync } from "node:fs";

const text = readFileSync(process.argv[2], "utf8").replace(/\x1b\[[0-9;]*m/g, "");
let passed = 0;
let failed = 0;
let skipped = 0;
for (const line of text.split("\n")) {
  const match = /^\s*Tests\s+(.*)\(\d+\)\s*$/.exec(line);
  if (!match) continue;
  for (const part of match[1].split("|")) {
    const count = /(\d+)\s+(passed|failed|skipped|todo)/.exec(part.trim());
    if (!count) continue;
    const n = Number(count[1]);
    if (count[2] === "passed") passed += n;
    else if (count[2] === "failed") failed += n;
    else skipped += n;
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
