import { expect } from "vitest";

/**
 * Expects `run()` to reject (or throw) an `Error` whose `code` is `code`, and returns the
 * error. Codes, never messages, are the contract.
 */
export async function expectRejectionCode(run: () => Promise<unknown>, code: string, label = ""): Promise<Error> {
  const outcome = await Promise.resolve()
    .then(run)
    .then(
      (value) => ({ rejected: false as const, value }),
      (error: unknown) => ({ rejected: true as const, error }),
    );
  const where = label ? ` (${label})` : "";
  expect(outcome.rejected, `expected a rejection with ${code}${where}, but it resolved`).toBe(true);
  const error = (outcome as { error: unknown }).error;
  expect(error, `expected an Error instance${where}`).toBeInstanceOf(Error);
  expect((error as { code?: unknown }).code, `error code${where}: ${String(error)}`).toBe(code);
  return error as Error;
}

/** Expects `run()` to reject (or throw) a `TypeError`. */
export async function expectTypeError(run: () => Promise<unknown>, label = ""): Promise<void> {
  const error = await Promise.resolve()
    .then(run)
    .then(
      () => undefined,
      (caught: unknown) => caught ?? new Error("rejected with nothing"),
    );
  expect(error, `expected a TypeError${label ? ` (${label})` : ""}`).toBeInstanceOf(TypeError);
}
