/** What every scrubbed value becomes. */
export const REDACTED = "[redacted]";

/** Header names that carry credentials: Authorization, cookies, and anything named like a key, secret or token. */
const SENSITIVE_HEADER = /auth|cookie|token|secret|passw|key|credential|signature|session/i;
/** Field names in request and response bodies (JSON, forms) whose values are credentials. */
const SENSITIVE_FIELD =
  /authorization|cookie|token|secret|passw|api[-_]?key|apikey|private[-_]?key|credential/i;
/** Query parameter names whose values are credentials. */
const SENSITIVE_PARAM = /auth|token|secret|passw|key|signature|credential/i;

const MAX_DEPTH = 32;

/** True when a header name hints at a credential (`Authorization`, `Cookie`, `X-Api-Key`, `X-Auth-Token`, …). */
export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADER.test(name);
}

/** True when a query parameter name hints at a credential (`access_token`, `api_key`, `sig`, …). */
export function isSensitiveParam(name: string): boolean {
  return SENSITIVE_PARAM.test(name);
}

/** True when a body field name hints at a credential (`client_secret`, `access_token`, `password`, …). */
export function isSensitiveField(name: string): boolean {
  return SENSITIVE_FIELD.test(name);
}

/**
 * The needles of the last lists of secrets, with a copy of each list: a value is redacted one string at a
 * time with the same list, and a list changed since (a renewed token added) is seen by the copy.
 */
const needlesOf = new WeakMap<readonly string[], { copy: string[]; needles: string[] }>();

/** The forms a secret can take in text: as is, URL-encoded, form-encoded and JSON-escaped; longest first. */
function needles(secrets: readonly string[]): string[] {
  const known = needlesOf.get(secrets);
  if (
    known &&
    known.copy.length === secrets.length &&
    known.copy.every((secret, i) => secret === secrets[i])
  ) {
    return known.needles;
  }
  const made = needlesFor(secrets);
  needlesOf.set(secrets, { copy: [...secrets], needles: made });
  return made;
}

function needlesFor(secrets: readonly string[]): string[] {
  const out = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== "string" || secret.trim() === "") continue;
    out.add(secret);
    const encoded = encodeURIComponent(secret);
    out.add(encoded);
    out.add(encoded.replace(/%20/g, "+"));
    out.add(JSON.stringify(secret).slice(1, -1));
  }
  return [...out].sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of every secret (and its URL-, form- and JSON-encoded forms) with "[redacted]". */
export function redact(text: string, secrets: readonly string[]): string {
  let out = String(text);
  for (const needle of needles(secrets)) {
    if (out.includes(needle)) out = out.split(needle).join(REDACTED);
  }
  return out;
}

/** A URL with its user info, credential-like query parameters and every secret scrubbed. */
export function redactUrl(url: string, secrets: readonly string[]): string {
  const withoutUserInfo = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, `$1${REDACTED}@`);
  const withoutParams = withoutUserInfo.replace(
    /([?&])([^=&#]*)=([^&#]*)/g,
    (match, separator: string, name: string) => {
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, " "));
      } catch {
        // keep the raw name
      }
      return isSensitiveParam(decoded) ? `${separator}${name}=${REDACTED}` : match;
    },
  );
  return redact(withoutParams, secrets);
}

/** Headers with lower-case names, credential headers replaced, secrets scrubbed from the rest. */
export function redactHeaders(
  headers: Record<string, string | string[] | number | undefined> | undefined,
  secrets: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [rawName, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const name = rawName.toLowerCase();
    out[name] = isSensitiveHeader(name)
      ? REDACTED
      : redact(Array.isArray(value) ? value.join(", ") : String(value), secrets);
  }
  return out;
}

/**
 * A deep copy of a JSON-like value: credential-named fields replaced, secrets scrubbed from every string
 * (keys included). Cycles and very deep values are cut off.
 */
export function redactValue(value: unknown, secrets: readonly string[]): unknown {
  return redactDeep(value, secrets, 0, new WeakSet());
}

function redactDeep(
  value: unknown,
  secrets: readonly string[],
  depth: number,
  seen: WeakSet<object>,
): unknown {
  if (typeof value === "string") return redact(value, secrets);
  if (value === null || typeof value !== "object") {
    return typeof value === "function" || typeof value === "symbol" ? undefined : value;
  }
  if (seen.has(value) || depth >= MAX_DEPTH) return "[…]";
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactDeep(item, secrets, depth + 1, seen));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const safeKey = redact(key, secrets);
      out[safeKey] =
        isSensitiveField(key) && item !== null && item !== undefined && item !== ""
          ? REDACTED
          : redactDeep(item, secrets, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** Cuts text to `limit` characters, saying how much was left out. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}… [${text.length - limit} more characters]`;
}
