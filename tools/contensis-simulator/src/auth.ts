import { randomBytes } from "node:crypto";
import type { SeedClient } from "./types.ts";

/**
 * OAuth 2.0 client credentials (DMH `security/authentication.md`, `security/authorization.md`):
 * `POST /authenticate/connect/token`, form-encoded `grant_type=client_credentials`, `client_id`,
 * `client_secret`, `scope` (space separated) -> 200 `{access_token, expires_in, token_type: "Bearer"}`;
 * bad credentials -> 400 `{"error": "invalid_client"}`. API calls send `Authorization: bearer {token}`.
 *
 * The official client sends `Content-Type: application/x-www-form-urlencoded;charset=UTF-8` and the
 * scopes of CMA `src/client/scopes.ts` (checked in contract.test.ts).
 *
 * ASSUMPTIONS: the OAuth error codes other than invalid_client (`invalid_request`,
 * `unsupported_grant_type`, `invalid_scope`) follow RFC 6749 section 5.2; only the client
 * credentials grant is supported; a missing scope is accepted; scopes are recorded, not enforced.
 */

/** DMH `security/scopes.md` plus what CMA sends (`Resources`, and `openid offline_access` for user grants). */
export const KNOWN_SCOPES = [
  "Security_Administrator",
  "ContentType_Read",
  "ContentType_Write",
  "ContentType_Delete",
  "Entry_Read",
  "Entry_Write",
  "Entry_Delete",
  "Project_Read",
  "Project_Write",
  "Project_Delete",
  "Workflow_Administrator",
  "openid",
  "offline_access",
];

export interface TokenInfo {
  clientId: string;
  apiKey?: string;
  scopes: string[];
  expiresAt: number;
}

export type TokenResult =
  | { ok: true; body: { access_token: string; expires_in: number; token_type: "Bearer" } }
  | { ok: false; error: string; description: string };

export class TokenStore {
  private readonly tokens = new Map<string, TokenInfo>();
  private clients: SeedClient[];
  private readonly lifetimeSeconds: number;

  constructor(clients: SeedClient[], lifetimeSeconds: number) {
    this.clients = clients;
    this.lifetimeSeconds = lifetimeSeconds;
  }

  /** Replaces the clients; tokens of clients that no longer exist (or changed) become invalid. */
  setClients(clients: SeedClient[]): void {
    this.clients = clients;
    for (const [token, info] of this.tokens) {
      const client = clients.find((c) => c.clientId === info.clientId);
      if (!client || client.apiKey !== info.apiKey) this.tokens.delete(token);
    }
  }

  /** Handles the form body of a token request. */
  issue(contentType: string | undefined, body: string): TokenResult {
    if (!(contentType ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) {
      return {
        ok: false,
        error: "invalid_request",
        description: "The body must be application/x-www-form-urlencoded.",
      };
    }
    const form = new URLSearchParams(body);
    const grantType = form.get("grant_type");
    if (!grantType) return { ok: false, error: "invalid_request", description: "grant_type is missing." };
    if (grantType !== "client_credentials") {
      return {
        ok: false,
        error: "unsupported_grant_type",
        description: `grant_type '${grantType}' is not supported.`,
      };
    }
    const client = this.clients.find(
      (c) => c.clientId === form.get("client_id") && c.clientSecret === form.get("client_secret"),
    );
    if (!client)
      return { ok: false, error: "invalid_client", description: "Unknown client or wrong secret." };
    const scopes = (form.get("scope") ?? "").split(/\s+/).filter((s) => s.length > 0);
    const unknown = scopes.filter((s) => !KNOWN_SCOPES.includes(s));
    if (unknown.length > 0)
      return { ok: false, error: "invalid_scope", description: `Unknown scope: ${unknown.join(" ")}` };

    const token = randomBytes(32).toString("base64url");
    const info: TokenInfo = {
      clientId: client.clientId,
      scopes,
      expiresAt: Date.now() + this.lifetimeSeconds * 1000,
    };
    if (client.apiKey !== undefined) info.apiKey = client.apiKey;
    this.tokens.set(token, info);
    return {
      ok: true,
      body: { access_token: token, expires_in: this.lifetimeSeconds, token_type: "Bearer" },
    };
  }

  /** The token's info when the `Authorization` header carries a valid, unexpired bearer token (scheme case-insensitive). */
  check(authorization: string | undefined): TokenInfo | undefined {
    const token = bearerToken(authorization);
    if (!token) return undefined;
    const info = this.tokens.get(token);
    if (!info) return undefined;
    if (Date.now() >= info.expiresAt) {
      this.tokens.delete(token);
      return undefined;
    }
    return info;
  }

  invalidate(authorization: string | undefined): void {
    const token = bearerToken(authorization);
    if (token) this.tokens.delete(token);
  }

  expireAll(): void {
    this.tokens.clear();
  }
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match?.[1];
}
