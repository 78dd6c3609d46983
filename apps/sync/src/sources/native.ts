import type { Loss, Workflow } from "@workflow-sync/core";

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

/** The native documents a value holds, and whose; undefined when it is not vendor-native. */
export function detectNative(value: unknown): { kind: NativeKind; documents: unknown[] } | undefined {
  const list = Array.isArray(value)
    ? value
    : isObject(value) && Array.isArray(value.items)
      ? value.items
      : isObject(value) &&
          !isKontentWorkflow(value) &&
          Object.keys(value).length > 0 &&
          Object.values(value).every(isKontentWorkflow)
        ? // the docs' rendered "Retrieve workflows" example shows the array as `{ "": {…} }`
          Object.values(value)
        : [value];
  if (list.length > 0 && list.every(isKontentWorkflow)) return { kind: "kontent", documents: list };
  if (list.length > 0 && list.every(isContensisDefinition)) return { kind: "contensis", documents: list };
  return undefined;
}

/** Map native documents to neutral workflows, offline. Throws the adapter's error on a malformed one. */
export async function nativeToNeutral(
  kind: NativeKind,
  documents: readonly unknown[],
  what: string,
  options: { locale?: string } = {},
): Promise<{ workflows: Workflow[]; losses: Array<Loss & { workflow: string }> }> {
  const workflows: Workflow[] = [];
  const losses: Array<Loss & { workflow: string }> = [];
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
      const mapped = adapter.toNeutral(definition);
      workflows.push(mapped.value);
      losses.push(...mapped.losses.map((loss) => ({ ...loss, workflow: mapped.value.key })));
    }
  }
  return { workflows, losses };
}
