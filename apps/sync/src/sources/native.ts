import type { Issue, Loss, Vendor, Workflow } from "@workflow-sync/core";
import { type OfflineVendor, vendorAdapters } from "../vendors.ts";

/*
 * Vendor-native documents given as files (a Kontent.ai workflow as `GET /workflows` answers it, a
 * Contensis workflow definition or a page of them), told apart by shape and mapped by the vendor's
 * adapter (its `VendorAdapter`). Offline there is no environment to resolve ids: role, content type
 * and collection ids are kept as names, and that is reported as a loss.
 */

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

export interface NativeDocuments {
  vendor: OfflineVendor;
  /** The vendor's id, for messages. */
  kind: Vendor;
  documents: unknown[];
  /** Where document `index` sits in the file (`[]`, `[index]`, `["items", index]`, …). */
  pathOf: (index: number) => Array<string | number>;
}

/** The native documents a value holds, and whose; undefined when it is not vendor-native. */
export async function detectNative(value: unknown): Promise<NativeDocuments | undefined> {
  const vendors = await vendorAdapters();
  const anyVendor = (document: unknown) => vendors.some((vendor) => vendor.recognises(document));
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
    !anyVendor(value) &&
    Object.keys(value).length > 0 &&
    Object.values(value).every(anyVendor)
  ) {
    // the Kontent.ai docs' rendered "Retrieve workflows" example shows the array as `{ "": {…} }`
    const keys = Object.keys(value);
    list = Object.values(value);
    pathOf = (index) => [keys[index]!];
  }
  if (list.length === 0) return undefined;
  const vendor = vendors.find((candidate) => list.every((document) => candidate.recognises(document)));
  return vendor ? { vendor, kind: vendor.vendor, documents: list, pathOf } : undefined;
}

/** Map native documents to neutral workflows, offline. Throws the adapter's error on a malformed one. */
export async function nativeToNeutral(
  native: NativeDocuments,
  what: string,
  options: { locale?: string } = {},
): Promise<{ workflows: Workflow[]; losses: Array<Loss & { workflow: string }>; issues: Issue[] }> {
  const { vendor, documents } = native;
  const workflows: Workflow[] = [];
  const losses: Array<Loss & { workflow: string }> = [];
  const issues: Issue[] = [];
  for (const [index, document] of documents.entries()) {
    const read = vendor.readDocument(document, {
      what: documents.length === 1 ? what : `${what}[${index}]`,
      ...(options.locale === undefined ? {} : { locale: options.locale }),
    });
    if (!read.ok) {
      issues.push(
        ...read.issues.map((issue) => ({ ...issue, path: [...native.pathOf(index), ...issue.path] })),
      );
      continue;
    }
    workflows.push(read.value);
    losses.push(...read.losses.map((loss) => ({ ...loss, workflow: read.value.key })));
  }
  return { workflows, losses, issues };
}
