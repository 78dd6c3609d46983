/**
 * Authentication: "Authorization: Bearer <YOUR_API_KEY>. Requests with an incorrect or missing Authorization header
 * will fail with an error" ([OAS] Authentication); 401 when "the provided API key … doesn't provide access to the
 * requested resource … or is malformed or missing" ([ERR]). The SDK sends a lowercase `bearer` (vendors/kontent.md §2),
 * so the scheme is matched case-insensitively (RFC 9110 §11.1: auth schemes are case-insensitive).
 */
import { ERROR_CODES } from "./constants.ts";
import { ApiError } from "./errors.ts";
import type { Environment } from "./state.ts";

/** Checks the key and returns it. */
export function authenticate(header: string | undefined, env: Environment): string {
  const match = header ? /^bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) {
    throw new ApiError(
      401,
      ERROR_CODES.unauthorized,
      "Missing or malformed Authorization header. Use 'Authorization: Bearer <API key>'.",
    );
  }
  if (!env.apiKeys.has(match[1] as string)) {
    throw new ApiError(
      401,
      ERROR_CODES.unauthorized,
      `The provided API key doesn't provide access to the environment '${env.id}'.`,
    );
  }
  return match[1] as string;
}
