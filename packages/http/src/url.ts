/** A base URL that would send credentials in clear text (or is not a URL at all). */
export class InsecureUrlError extends Error {
  readonly code = "insecure_url" as const;
  /** The URL without user info, query or fragment (they may hold credentials). */
  readonly url: string;
  constructor(message: string, url: string) {
    super(message);
    Object.defineProperty(this, "name", { value: "InsecureUrlError", enumerable: false, configurable: true });
    this.url = url;
  }
}

/** Loopback hosts as `URL#hostname` spells them (IPv6 in brackets, IPv4 normalized). */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host === "localhost") return true;
  if (host === "[::1]") return true;
  // IPv4-mapped IPv6 loopback: [::ffff:127.x.y.z] is written by URL as [::ffff:7fxx:yyzz].
  if (/^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host)) return true;
  const octets = host.split(".");
  return octets.length === 4 && octets[0] === "127" && octets.every((octet) => /^\d{1,3}$/.test(octet));
}

/** Origin and path only: user info, query and fragment may carry credentials. */
function describe(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * Refuses a URL that would carry credentials in clear text: it must be `https:`, or `http:` to a loopback host
 * (127.0.0.0/8, `localhost`, `[::1]`), which is how the simulators and tests run. Throws `InsecureUrlError`
 * (code `insecure_url`) naming `what` (e.g. "baseUrl of environment kontent-dev").
 */
export function assertSecureUrl(url: string, what = "URL"): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InsecureUrlError(`${what} is not an absolute URL`, "");
  }
  if (parsed.protocol === "https:") return;
  if (parsed.protocol === "http:") {
    if (isLoopbackHost(parsed.hostname)) return;
    throw new InsecureUrlError(
      `${what} must use https (plain http is allowed only to a loopback host such as 127.0.0.1): ${describe(parsed)}`,
      describe(parsed),
    );
  }
  throw new InsecureUrlError(
    `${what} must be an https URL, not ${parsed.protocol.replace(/:$/, "")}: ${describe(parsed)}`,
    describe(parsed),
  );
}
