import { open } from "node:fs/promises";
import { CliError } from "../errors.ts";

/*
 * Every file a person hands to workflow-sync (workflow files, the config, a mapping file, a plan,
 * a backup) is read here, so that one set of rules holds for all of them:
 * - at most MAX_INPUT_BYTES, checked before anything is parsed (a 60 MB YAML file once took 2 GB
 *   of memory to parse); the largest real workflow files are a few hundred KB;
 * - UTF-8 only: a file in another encoding (Latin-1, UTF-16) is refused with the byte offset of
 *   the first invalid byte instead of being read with replacement characters.
 */

/** The largest input file workflow-sync reads: 16 MiB (documented in docs/reliability.md and the CLI README). */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

const CHUNK = 1024 * 1024;

const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

/**
 * The offset of the first byte that does not belong to a well-formed UTF-8 sequence (the start of
 * the first ill-formed sequence), or -1 when every byte is well-formed (Unicode 15, table 3-7).
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    if (lead < 0x80) {
      index++;
      continue;
    }
    let following: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) following = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      following = 2;
      if (lead === 0xe0) low = 0xa0; // no overlong forms
      if (lead === 0xed) high = 0x9f; // no surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      following = 3;
      if (lead === 0xf0) low = 0x90; // no overlong forms
      if (lead === 0xf4) high = 0x8f; // nothing above U+10FFFF
    } else return index;
    for (let step = 1; step <= following; step++) {
      const byte = bytes[index + step];
      const min = step === 1 ? low : 0x80;
      const max = step === 1 ? high : 0xbf;
      if (byte === undefined || byte < min || byte > max) return index;
    }
    index += following + 1;
  }
  return -1;
}

/** Read an input file as UTF-8 text: refused when too large (before reading it) or not UTF-8. */
export async function readInputText(
  path: string,
  display: string,
  options: { missing?: string } = {},
): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? (options.missing ?? "no such file") : (error as Error).message;
    throw new CliError("file_unreadable", `${display}: ${reason}`);
  }
  const tooLarge = (size: string) =>
    new CliError(
      "file_too_large",
      `${display}: ${size} is over the limit of ${mib(MAX_INPUT_BYTES)} (${MAX_INPUT_BYTES} bytes) for an input file; nothing was read`,
      {
        suggestions: ["split it into smaller files (one workflow per file)"],
        details: { file: display, limit: MAX_INPUT_BYTES },
      },
    );
  let bytes: Buffer;
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw new CliError("file_unreadable", `${display}: is a folder`);
    if (stats.size > MAX_INPUT_BYTES) throw tooLarge(`${stats.size} bytes (${mib(stats.size)})`);
    // Read in chunks up to the limit: a file that grows meanwhile (or reports no size) is still bounded.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_INPUT_BYTES) throw tooLarge(`more than ${MAX_INPUT_BYTES} bytes`);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    bytes = Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, Math.max(offset, 0)).filter((byte) => byte === 0x0a).length + 1;
    const byte = bytes[offset] ?? 0;
    throw new CliError(
      "not_utf8",
      `${display}: not UTF-8: the byte 0x${byte.toString(16).padStart(2, "0")} at offset ${offset} (line ${line}) does not start a valid UTF-8 sequence; nothing was read`,
      {
        suggestions: [`save ${display} as UTF-8 (e.g. iconv -f latin1 -t utf-8)`],
        details: { file: display, offset, line },
      },
    );
  }
}
