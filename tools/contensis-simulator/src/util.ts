import { createHash } from "node:crypto";

export function clone<T>(value: T): T {
  return structuredClone(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A GUID derived from a name, so that seeded objects keep their uuid across restarts. */
export function stableUuid(...parts: string[]): string {
  const hex = createHash("sha1").update(parts.join("\u0000")).digest("hex");
  const variant = ((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

// DMH `model/version.md`: versionNo is "{Major}.{Minor}"; the minor part goes up on each save and a
// publish bumps the major part (0.2 -> 1.0).
const VERSION_NO = /^(\d+)\.(\d+)$/;

export function isVersionNo(value: unknown): value is string {
  return typeof value === "string" && VERSION_NO.test(value);
}

function parseVersionNo(versionNo: string | null | undefined): [number, number] {
  const match = VERSION_NO.exec(versionNo ?? "");
  return match ? [Number(match[1]), Number(match[2])] : [0, 0];
}

/**
 * Whether a version number is that of a published version: publishing bumps the major part and
 * resets the minor part to zero (DMH `model/version.md`,
 * https://github.com/contensis/docs-management-http/blob/master/model/version.md), so a published
 * version is `{n}.0` with n >= 1 and every later save (a draft on top of it) is `{n}.{m > 0}`.
 * `version.published` cannot tell: it is "the date and time the resource version was last
 * published", which a draft on top of a published version still carries.
 */
export function isPublishedVersionNo(versionNo: string | null | undefined): boolean {
  const match = VERSION_NO.exec(versionNo ?? "");
  return match !== null && Number(match[1]) >= 1 && Number(match[2]) === 0;
}

export function bumpMinor(versionNo: string | null | undefined): string {
  const [major, minor] = parseVersionNo(versionNo);
  return `${major}.${minor + 1}`;
}

export function bumpMajor(versionNo: string | null | undefined): string {
  const [major] = parseVersionNo(versionNo);
  return `${major + 1}.0`;
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** The first value of a localized text in the preferred language, else any. */
export function localized(text: unknown, language?: string): string | undefined {
  if (!isRecord(text)) return undefined;
  if (language) {
    const exact = text[language];
    if (typeof exact === "string") return exact;
    const lower = language.toLowerCase();
    for (const [key, value] of Object.entries(text)) {
      if (key.toLowerCase() === lower && typeof value === "string") return value;
    }
  }
  const first = Object.values(text).find((value) => typeof value === "string");
  return typeof first === "string" ? first : undefined;
}
