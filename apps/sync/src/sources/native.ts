import type { Issue, Loss, Workflow } from "@workflow-sync/core";

/*
 * Vendor-native documents given as files (a Kontent.ai workflow as `GET /workflows` answers it, a
 * Contensis workflow definition or a page of them), detected by shape and mapped through the
 * vendor's adapter. Offline there is no environment to resolve ids: Kontent.ai role, content type
 * and collection ids are kept as names, and that is reported as a loss.
 */

export type NativeKind = "kontent" | "contensis";

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * A Kontent.ai workflow in the response shape (ids) or the request shape ("Add a workflow": no ids,
 * references by codename or external_id, the predefined steps with their role lists only). The
 * docs' rendered "Workflow object" example has `steps` as one object: read too.
 */
function isKontentWorkflow(value: unknown): boolean {
  return (
    isObject(value) &&
    (Array.isArray(value.steps) || isObject(value.steps)) &&
    (isObject(value.published_step) || isObject(value.archived_step)) &&
    !Array.isArray(value.states)
  );
}

function isContensisDefinition(value: unknown): boolean {
  return (
    isObject(value) &&
    Array.isArray(value.states) &&
    (value.eventGroups !== undefined ||
      (value.states as unknown[]).some((state) => isObject(state) && Array.isArray(state.events)))
  );
}

export interface NativeDocuments {
  kind: NativeKind;
  documents: unknown[];
  /** Where document `index` sits in the file (`[]`, `[index]`, `["items", index]`, …). */
  pathOf: (index: number) => Array<string | number>;
}

/** The native documents a value holds, and whose; undefined when it is not vendor-native. */
export function detectNative(value: unknown): NativeDocuments | undefined {
  let list: unknown[] = [value];
  let pathOf: NativeDocuments["pathOf"] = () => [];
  if (Array.isArray(value)) {
    list = value;
    pathOf = (index) => [index];
  } else if (isObject(value) && Array.isArray(value.items)) {
    list = value.items;
    pathOf = (index) => ["items", index];
  } else if (
    isObject(value) &&
    !isKontentWorkflow(value) &&
    Object.keys(value).length > 0 &&
    Object.values(value).every(isKontentWorkflow)
  ) {
    // the docs' rendered "Retrieve workflows" example shows the array as `{ "": {…} }`
    const keys = Object.keys(value);
    list = Object.values(value);
    pathOf = (index) => [keys[index]!];
  }
  if (list.length > 0 && list.every(isKontentWorkflow)) return { kind: "kontent", documents: list, pathOf };
  if (list.length > 0 && list.every(isContensisDefinition))
    return { kind: "contensis", documents: list, pathOf };
  return undefined;
}

/** Map native documents to neutral workflows, offline. Throws the adapter's error on a malformed one. */
export async function nativeToNeutral(
  native: NativeDocuments,
  what: string,
  options: { locale?: string } = {},
): Promise<{ workflows: Workflow[]; losses: Array<Loss & { workflow: string }>; issues: Issue[] }> {
  const { kind, documents } = native;
  const workflows: Workflow[] = [];
  const losses: Array<Loss & { workflow: string }> = [];
  const issues: Issue[] = [];
  if (kind === "kontent") {
    const adapter = await import("@workflow-sync/adapter-kontent");
    for (const [index, document] of documents.entries()) {
      const mapped = adapter.readKontentFile(document, {
        what: documents.length === 1 ? what : `${what}[${index}]`,
        ...(options.locale === undefined ? {} : { locale: options.locale }),
      });
      workflows.push(mapped.value);
      losses.push(...mapped.losses.map((loss) => ({ ...loss, workflow: mapped.value.key })));
    }
  } else {
    const adapter = await import("@workflow-sync/adapter-contensis");
    for (const [index, document] of documents.entries()) {
      const definition = adapter.parseWire(adapter.WireWorkflowDefinition, document, `${what}[${index}]`);
      // Contensis's own rules on the definition as written (its ids are never renamed): a broken
      // rule is an error with the vendor's field path, and the definition is not mapped.
      const broken = adapter.checkDefinition(definition);
      if (broken.length > 0) {
        issues.push(...broken.map((issue) => ({ ...issue, path: [...native.pathOf(index), ...issue.path] })));
        continue;
      }
      const mapped = adapter.toNeutral(definition, options.locale ? { locale: options.locale } : {});
      workflows.push(mapped.value);
      losses.push(...mapped.losses.map((loss) => ({ ...loss, workflow: mapped.value.key })));
    }
  }
  return { workflows, losses, issues };
}
