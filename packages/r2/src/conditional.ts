import { parseEtagHeader, type Etag } from "./etag-header.js";
import { isHeaders } from "./headers.js";

/** A precondition, normalised from either form; times in epoch milliseconds. */
export interface Conditional {
  readonly etagMatches?: readonly Etag[];
  readonly etagDoesNotMatch?: readonly Etag[];
  readonly uploadedBefore?: number;
  readonly uploadedAfter?: number;
  readonly secondsGranularity: boolean;
}

/** What a precondition is tested against: the stored object's etag and upload time (ms). */
export interface ConditionSubject {
  readonly etag: string;
  readonly uploaded: number;
}

/**
 * Reads `onlyIf` as the binding does. The object form takes one **unquoted** etag (or `*`) per
 * field and `Date`s; the `Headers` form reads `If-Match`, `If-None-Match` (quoted etags, weak
 * etags and lists allowed), `If-Modified-Since` and `If-Unmodified-Since`, always with second
 * granularity. Absent means no precondition.
 *
 * @throws {TypeError} for a quoted etag in the object form, or a field of the wrong type
 * @throws {Error} for a malformed etag header (see `parseEtagHeader`)
 */
export function parseConditional(value: unknown): Conditional | undefined {
  if (value === undefined || value === null) return undefined;
  if (isHeaders(value)) return fromHeaders(value);
  if (typeof value !== "object") throw new TypeError("onlyIf must be an R2Conditional object or a Headers instance");
  const fields = value as Record<string, unknown>;
  return {
    etagMatches: etagField(fields.etagMatches, "etagMatches"),
    etagDoesNotMatch: etagField(fields.etagDoesNotMatch, "etagDoesNotMatch"),
    uploadedBefore: dateField(fields.uploadedBefore, "uploadedBefore"),
    uploadedAfter: dateField(fields.uploadedAfter, "uploadedAfter"),
    secondsGranularity: fields.secondsGranularity === undefined ? false : Boolean(fields.secondsGranularity),
  };
}

function fromHeaders(headers: Headers): Conditional {
  const ifMatch = headers.get("if-match");
  const ifNoneMatch = headers.get("if-none-match");
  return {
    etagMatches: ifMatch === null ? undefined : parseEtagHeader(ifMatch, "if-match"),
    etagDoesNotMatch: ifNoneMatch === null ? undefined : parseEtagHeader(ifNoneMatch, "if-none-match"),
    uploadedAfter: headerDate(headers.get("if-modified-since")),
    uploadedBefore: headerDate(headers.get("if-unmodified-since")),
    secondsGranularity: true,
  };
}

function etagField(value: unknown, name: string): Etag[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new TypeError(`onlyIf.${name} must be a string`);
  if (value.startsWith('"') && value.endsWith('"')) {
    throw new TypeError(`Conditional ETag should not be wrapped in quotes (${value}).`);
  }
  return [value === "*" ? { type: "wildcard" } : { type: "strong", value }];
}

function dateField(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Date)) throw new TypeError(`onlyIf.${name} must be a Date`);
  return value.getTime();
}

/** An HTTP date, or `undefined` when absent or unparseable (an HTTP server ignores those). */
function headerDate(value: string | null): number | undefined {
  if (value === null) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * Whether a precondition holds (spec r2.md §3, RFC 9110 §13.2.2 as the R2 gateway applies it):
 * - missing object: only if neither `etagMatches` nor `uploadedAfter` is given;
 * - `etagMatches`: a given etag equals the stored one **strongly**, or `*`;
 * - `etagDoesNotMatch`: no given etag equals it **weakly**, and no `*`;
 * - `uploadedAfter`: `after < uploaded`, or `etagDoesNotMatch` was given and held;
 * - `uploadedBefore`: `uploaded < before`, or `etagMatches` was given and held.
 * Equal times fail; with second granularity both sides are truncated to seconds first.
 */
export function conditionHolds(condition: Conditional, subject: ConditionSubject | undefined): boolean {
  if (subject === undefined) return condition.etagMatches === undefined && condition.uploadedAfter === undefined;
  const ifMatch = condition.etagMatches === undefined || includesEtag(condition.etagMatches, subject.etag, "strong");
  const ifNoneMatch = condition.etagDoesNotMatch === undefined || !includesEtag(condition.etagDoesNotMatch, subject.etag, "weak");
  const truncate = condition.secondsGranularity ? (ms: number) => Math.floor(ms / 1000) * 1000 : (ms: number) => ms;
  const uploaded = truncate(subject.uploaded);
  const ifModifiedSince =
    condition.uploadedAfter === undefined ||
    truncate(condition.uploadedAfter) < uploaded ||
    (condition.etagDoesNotMatch !== undefined && ifNoneMatch);
  const ifUnmodifiedSince =
    condition.uploadedBefore === undefined ||
    uploaded < truncate(condition.uploadedBefore) ||
    (condition.etagMatches !== undefined && ifMatch);
  return ifMatch && ifNoneMatch && ifModifiedSince && ifUnmodifiedSince;
}

function includesEtag(etags: readonly Etag[], etag: string, comparison: "strong" | "weak"): boolean {
  for (const candidate of etags) {
    if (candidate.type === "wildcard") return true;
    // A weak etag never matches strongly.
    if (candidate.value === etag && (candidate.type === "strong" || comparison === "weak")) return true;
  }
  return false;
}
