/**
 * A source of the current time in epoch milliseconds. Stores take one instead of calling
 * `Date.now()`, so tests can age blobs for `sweep` without sleeping.
 */
export interface Clock {
  /** The current time in epoch milliseconds. */
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };
