/*
 * "Did you mean": the closest known name to a mistyped command or flag (`valdate` → `validate`,
 * `--vendr` → `--vendor`), by edit distance, or nothing when no name is close.
 */

/** Levenshtein distance, with a swap of two neighbours counted as one edit. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate within a third of the word's length (at least 1, at most 3 edits). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let distance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const found = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (found < distance) {
      best = candidate;
      distance = found;
    }
  }
  if (best !== undefined && distance <= limit) return best;
  // A prefix is a good guess too (`--detailed` → `--detailed-exitcode`).
  const prefixed = candidates.filter((candidate) => candidate.startsWith(word) && word.length >= 3);
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
