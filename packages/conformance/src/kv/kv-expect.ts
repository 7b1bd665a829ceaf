import { expect } from "vitest";
import { captureRejection } from "../shared/capture-rejection.js";

/**
 * Expects `run` to reject with the error the Workers binding throws for a service error: a plain
 * `Error` (not a `TypeError`) with exactly `message`, e.g. `KV PUT failed: 400 ...`.
 */
export async function expectKVError(run: () => unknown, message: string): Promise<void> {
  const outcome = await captureRejection(run);
  expect(outcome, `expected a rejection with "${message}", but it resolved`).toBeDefined();
  const error = outcome!.error;
  expect(error, `expected an Error for "${message}"`).toBeInstanceOf(Error);
  expect(error, `"${message}" is a service error, not a TypeError`).not.toBeInstanceOf(TypeError);
  expect((error as Error).message).toBe(message);
}

/** Expects `run` to reject with a `TypeError` with exactly `message`: a binding-side check. */
export async function expectKVTypeError(run: () => unknown, message: string): Promise<void> {
  const outcome = await captureRejection(run);
  expect(outcome, `expected a TypeError "${message}", but it resolved`).toBeDefined();
  expect(outcome!.error).toBeInstanceOf(TypeError);
  expect((outcome!.error as Error).message).toBe(message);
}

/** Expects `run` to reject with an error whose message contains every one of `parts`. */
export async function expectRejectionMentioning(run: () => unknown, parts: readonly string[]): Promise<Error> {
  const outcome = await captureRejection(run);
  expect(outcome, `expected a rejection mentioning ${parts.join(", ")}, but it resolved`).toBeDefined();
  const error = outcome!.error as Error;
  expect(error).toBeInstanceOf(Error);
  for (const part of parts) expect(error.message, `the error should mention ${part}`).toContain(part);
  return error;
}

export { expectSameBytes } from "../shared/expect-same-bytes.js";
