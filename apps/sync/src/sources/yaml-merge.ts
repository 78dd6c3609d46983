import { type Document, isMap, isScalar, isSeq, type Pair, parseDocument } from "yaml";

/*
 * Rewriting a workflow file that a person keeps in git: the new content, written into the old
 * file's YAML document, so that what the person added stays: the `$schema` line (editor
 * completion), comments above and beside entries, and the place of every entry that did not change.
 * States and transitions are matched by key (transitions by `from` and `key`), not by position.
 */

type Plain = Record<string, unknown>;

function keyOf(node: unknown, field: string): unknown {
  if (!isMap(node)) return undefined;
  const pair = node.items.find((item) => isScalar(item.key) && item.key.value === field);
  return isScalar(pair?.value) ? pair.value.value : undefined;
}

/** The same entity: a map with the same `key` (and `from`, for transitions). */
function sameEntity(node: unknown, value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const wanted = value as Plain;
  if (!("key" in wanted)) return false;
  return keyOf(node, "key") === wanted.key && (!("from" in wanted) || keyOf(node, "from") === wanted.from);
}

function merge(doc: Document, node: unknown, value: unknown): unknown {
  if (Array.isArray(value)) {
    if (!isSeq(node)) return doc.createNode(value);
    const used = new Set<unknown>();
    node.items = value.map((item) => {
      const match = node.items.find((old) => !used.has(old) && sameEntity(old, item));
      if (match) {
        used.add(match);
        return merge(doc, match, item);
      }
      const scalar = node.items.find(
        (old) => !used.has(old) && isScalar(old) && old.value === item && typeof item !== "object",
      );
      if (scalar) {
        used.add(scalar);
        return scalar;
      }
      return doc.createNode(item);
    });
    return node;
  }
  if (value !== null && typeof value === "object") {
    if (!isMap(node)) return doc.createNode(value);
    node.items = Object.entries(value as Plain).map(([key, item]) => {
      const pair = node.items.find((old) => isScalar(old.key) && old.key.value === key) as
        | Pair<unknown, unknown>
        | undefined;
      if (!pair) return doc.createPair(key, item);
      pair.value = merge(doc, pair.value, item);
      return pair;
    }) as typeof node.items;
    return node;
  }
  // A scalar keeps its node (and so its comments and quoting) when its value is unchanged.
  if (isScalar(node) && node.value === value) return node;
  if (isScalar(node)) {
    node.value = value;
    return node;
  }
  return doc.createNode(value);
}

/**
 * `content` (a workflow in file order) written into the YAML text `previous`. The old `$schema`
 * entry is kept first. Returns undefined when `previous` is not a YAML mapping it can write into
 * (the caller then writes the canonical form).
 */
export function mergeIntoYaml(previous: string, content: Plain): string | undefined {
  const doc = parseDocument(previous, { keepSourceTokens: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const schema = keyOf(doc.contents, "$schema");
  const wanted = schema === undefined ? content : { $schema: schema, ...content };
  doc.contents = merge(doc, doc.contents, wanted) as typeof doc.contents;
  return doc.toString({ lineWidth: 0 });
}
