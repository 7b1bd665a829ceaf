import { expect } from "vitest";

/** Await `promise`, expecting it to reject with an `Error`; returns it. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  expect(error, "expected the call to reject").toBeInstanceOf(Error);
  return error as Error;
}

/**
 * Expect `promise` to reject with exactly `message`, and (for `D1_ERROR: …` and the other
 * prefixed errors) a `cause` whose message is the text after the prefix, as the binding throws.
 */
export async function expectD1Error(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await rejection(promise);
  expect(error.message).toBe(message);
  const prefix = /^(D1_[A-Z_]+): /.exec(message);
  // D1_COLUMN_NOTFOUND and D1_DUMP_ERROR carry their own short causes.
  if (prefix !== null && prefix[1] !== "D1_COLUMN_NOTFOUND" && prefix[1] !== "D1_DUMP_ERROR") {
    expect((error.cause as Error | undefined)?.message).toBe(message.slice(prefix[0].length));
  }
}

/** The `D1_ERROR` text SQLite's errors take: `D1_ERROR: <message>: <CODE>`. */
export function d1Error(message: string): string {
  return `D1_ERROR: ${message}`;
}

/** Expect `promise` to reject with a message matching `pattern`. */
export async function expectD1ErrorMatching(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await rejection(promise);
  expect(error.message).toMatch(pattern);
}

/** Expect a synchronous call (such as `bind`) to throw exactly `message`, with the text after the prefix as `cause`. */
export function expectThrownD1Error(fn: () => unknown, message: string): void {
  let error: unknown;
  try {
    fn();
  } catch (caught) {
    error = caught;
  }
  expect(error, "expected the call to throw").toBeInstanceOf(Error);
  expect((error as Error).message).toBe(message);
  const prefix = /^(D1_[A-Z_]+): /.exec(message);
  if (prefix !== null) expect(((error as Error).cause as Error | undefined)?.message).toBe(message.slice(prefix[0].length));
}

/** Escape `text` for use inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
