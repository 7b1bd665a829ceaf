import { createHash } from "node:crypto";
import { expect } from "vitest";
import type { R2BucketLike } from "./r2-fixture.js";
import { captureRejection } from "../shared/capture-rejection.js";

/** MD5 of no bytes: the etag of an empty object. */
export const EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e";

/** Lowercase hex digest of `data` (Node `crypto` algorithm names). */
export function hashHex(algorithm: string, data: string | Uint8Array): string {
  return createHash(algorithm).update(data).digest("hex");
}

/** Lowercase hex MD5 of `data`. */
export function md5Hex(data: string | Uint8Array): string {
  return hashHex("md5", data);
}

/** The etag of a multipart object made of parts with these contents. */
export function multipartEtagOf(parts: readonly (string | Uint8Array)[]): string {
  const hash = createHash("md5");
  for (const part of parts) hash.update(createHash("md5").update(part).digest());
  return `${hash.digest("hex")}-${parts.length}`;
}

/**
 * Expects `run` to reject with the error the Workers binding throws for an R2 service error: a
 * plain `Error` (not a `TypeError` or `RangeError`) with exactly `message`, e.g.
 * `get: The requested range is not satisfiable (10039)`.
 */
export async function expectR2Error(run: () => unknown, message: string): Promise<void> {
  const outcome = await captureRejection(run);
  expect(outcome, `expected a rejection with "${message}", but it resolved`).toBeDefined();
  const error = outcome!.error as Error;
  expect(error, `expected an Error for "${message}"`).toBeInstanceOf(Error);
  expect(error, `"${message}" is a service error, not a TypeError`).not.toBeInstanceOf(TypeError);
  expect(error, `"${message}" is a service error, not a RangeError`).not.toBeInstanceOf(RangeError);
  expect(error.message).toBe(message);
}

/** Expects `run` to reject with an error of exactly `type` (`TypeError`, `RangeError`, `Error`) and `message`. */
export async function expectThrown(run: () => unknown, type: ErrorConstructor | TypeErrorConstructor | RangeErrorConstructor, message: string): Promise<void> {
  const outcome = await captureRejection(run);
  expect(outcome, `expected a ${type.name} "${message}", but it resolved`).toBeDefined();
  const error = outcome!.error as Error;
  expect(error).toBeInstanceOf(type);
  expect(error.constructor.name, `"${message}" should be a ${type.name}`).toBe(type.name);
  expect(error.message).toBe(message);
}

/** Expects an object returned by a failed precondition: metadata, and no body at all. */
export function expectBodyless(object: any, label = "object"): void {
  expect(object, `${label} should be an object`).toBeTypeOf("object");
  expect(object, label).not.toBeNull();
  expect("body" in object, `${label} should have no body`).toBe(false);
  expect(typeof object.text, `${label} should have no text()`).toBe("undefined");
}

/** The text of an `R2ObjectBody`; fails if it has no body. */
export async function bodyText(object: any): Promise<string> {
  expect(object?.body, "expected an object with a body").toBeDefined();
  return object.text();
}

/** Reads every page of a listing, following cursors; returns the keys and delimited prefixes in order. */
export async function listAll(bucket: R2BucketLike, options: Record<string, unknown> = {}): Promise<{ keys: string[]; prefixes: string[]; pages: number }> {
  const keys: string[] = [];
  const prefixes: string[] = [];
  let cursor: string | undefined;
  for (let pages = 1; ; pages++) {
    const page = await bucket.list({ ...options, ...(cursor === undefined ? {} : { cursor }) });
    keys.push(...page.objects.map((object: { key: string }) => object.key));
    prefixes.push(...page.delimitedPrefixes);
    if (!page.truncated) return { keys, prefixes, pages };
    expect(page.cursor, "a truncated page has a cursor").toBeTypeOf("string");
    cursor = page.cursor;
  }
}
