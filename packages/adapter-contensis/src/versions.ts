import type { ContensisWorkflowDefinition } from "./wire.ts";

/*
 * Whether a definition's latest version is the published one, told by version numbers only.
 *
 * The version object (https://github.com/contensis/docs-management-http/blob/master/model/version.md,
 * also https://www.contensis.com/help-and-docs/apis/management-http/content/version) has
 * `versionNo` "{Major}.{Minor}": "The minor part is incremented on every successful update … The
 * major part is incremented once the entry has been approved and subsequently published, which in
 * turn resets the minor part to zero." So a published version is `{n}.0` with n >= 1, and a draft
 * saved on top of it is `{n}.{m}` with m > 0. `published` is "the date and time the resource
 * version was *last* published": a draft on top of a published version still carries the earlier
 * time, so a truthy `published` says nothing about the latest version.
 */

const VERSION_NO = /^(\d+)\.(\d+)$/;

/** Whether `versionNo` is the number of a published version (`{n}.0`, n >= 1). */
export function isPublishedVersionNo(versionNo: string | null | undefined): boolean {
  const match = VERSION_NO.exec(versionNo ?? "");
  return match !== null && Number(match[1]) >= 1 && Number(match[2]) === 0;
}

/**
 * Whether the latest version of `latest`'s definition is in effect (published). With the
 * published versions read (`versionStatus=published`), the latest is published when the published
 * version has the same version number; otherwise the version number alone decides.
 */
export function latestIsPublished(
  latest: Pick<ContensisWorkflowDefinition, "id" | "version">,
  published?: readonly Pick<ContensisWorkflowDefinition, "id" | "version">[],
): boolean {
  const versionNo = latest.version?.versionNo;
  if (!isPublishedVersionNo(versionNo)) return false;
  if (published === undefined) return true;
  return published.some(
    (definition) => definition.id === latest.id && definition.version?.versionNo === versionNo,
  );
}
