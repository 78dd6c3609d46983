// One measured run of the core pipeline, in its own process so that its peak memory is its own.
// Usage: node core-pipeline.mjs <documents.json> ours|jsondiffpatch
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const [file, which] = process.argv.slice(2);
const { source, target } = JSON.parse(readFileSync(file, "utf8"));

let ms;
let summary;
if (which === "ours") {
  const core = await import("../../packages/core/dist/index.js");
  const start = performance.now();
  // Per document: parse, check the semantics, and take the canonical form (used here for a cheap
  // digest: the number of states and transitions in canonical order); then diff the two sets.
  let canonicalItems = 0;
  const parseAll = (documents) =>
    documents.map((document) => {
      const parsed = core.parseWorkflow(document);
      if (!parsed.ok) throw new Error(`invalid: ${JSON.stringify(parsed.issues[0])}`);
      const issues = core.checkWorkflow(parsed.value);
      if (core.hasErrors(issues)) throw new Error(`invalid: ${JSON.stringify(issues[0])}`);
      const canonical = core.canonicalize(parsed.value);
      canonicalItems += canonical.states.length + canonical.transitions.length;
      return parsed.value;
    });
  const current = parseAll(target);
  const desired = parseAll(source);
  const diff = core.diffWorkflows(current, desired);
  ms = performance.now() - start;
  summary = { changes: diff.changes.length, canonicalItems };
} else {
  const { diff } = await import("jsondiffpatch");
  const start = performance.now();
  const delta = diff(target, source);
  ms = performance.now() - start;
  summary = { topLevelKeys: delta ? Object.keys(delta).length : 0 };
}
const maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ which, ms, maxRssMb, summary }));
