import type { Issue, Path } from "./issues.ts";
import type { LocalizedText, Vendor, Workflow } from "./model.ts";

/*
 * What a vendor can hold is the vendor's business: each vendor adapter exports a `VendorProfile`
 * with its documented limits, palettes and portability checks (see docs/architecture.md). Core
 * defines the shape and runs the checks it is given; it holds no vendor's number, palette or name
 * (a test in vendor-neutral.test.ts keeps it that way).
 */

/** A documented length limit, in characters. */
export interface LengthLimit {
  /** What it limits, in words: "step codename". */
  readonly what: string;
  readonly min: number;
  readonly max: number;
  /** Where the vendor documents it: a public URL. */
  readonly source: string;
}

/** A vendor's rules for what a workflow may hold. */
export interface VendorProfile {
  /** The vendor tag that issues and losses carry. */
  readonly vendor: Vendor;
  /** The vendor's name for people, as messages print it. */
  readonly displayName: string;
  /** The documented length limits, by name. */
  readonly limits: Readonly<Record<string, LengthLimit>>;
  /** The colour palettes, by what they colour (e.g. `state`). */
  readonly palettes: Readonly<Record<string, readonly string[]>>;
  /**
   * What the vendor cannot hold, as warnings with code `not_portable` tagged with `vendor`; each
   * message names the rule and its limit. A warning here becomes a loss when the workflow is
   * written to that vendor. Pure.
   */
  checkPortability(workflow: Workflow): Issue[];
}

/** A portability warning: `vendor` cannot hold what `path` holds. */
export function notPortable(vendor: Vendor, path: Path, message: string): Issue {
  return { code: "not_portable", path, message, severity: "warning", vendor };
}

/**
 * Every locale value of `text` whose length lies outside `min..max`, as portability warnings:
 * `${rule} is ${min}–${max} characters; "${value}" has ${length}`.
 */
export function lengthIssues(
  vendor: Vendor,
  text: LocalizedText,
  path: Path,
  rule: string,
  min: number,
  max: number,
): Issue[] {
  return Object.entries(text).flatMap(([locale, value]) =>
    value.length < min || value.length > max
      ? [
          notPortable(
            vendor,
            [...path, locale],
            `${rule} is ${min}–${max} characters; "${value}" has ${value.length}`,
          ),
        ]
      : [],
  );
}
