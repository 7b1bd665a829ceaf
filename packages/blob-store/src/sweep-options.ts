import type { SweepOptions } from "./blob-store.js";

/**
 * Checks `sweep`'s options before anything is deleted. A missing or `NaN` cutoff compares as
 * "not young" with every blob and would delete them all, so it is refused outright.
 *
 * @throws {TypeError} when `olderThan` is not a number or is `NaN`, or `isReferenced` is not a function.
 */
export function assertSweepOptions(options: unknown): asserts options is SweepOptions {
  const { olderThan, isReferenced } = (options ?? {}) as Partial<SweepOptions>;
  if (typeof olderThan !== "number" || Number.isNaN(olderThan)) {
    throw new TypeError(`sweep needs olderThan as epoch milliseconds, got ${String(olderThan)}`);
  }
  if (typeof isReferenced !== "function") throw new TypeError("sweep needs an isReferenced function");
}
