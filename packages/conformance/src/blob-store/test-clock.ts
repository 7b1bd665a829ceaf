import type { Clock } from "@cellar/blob-store";

/** 2026-01-01T00:00:00Z: where every test's clock starts. A fixed start keeps ids reproducible. */
export const TEST_CLOCK_START = Date.UTC(2026, 0, 1);

/** A clock the suite moves by hand, so blobs can be aged without sleeping. */
export interface TestClock extends Clock {
  /** Sets the current time, in epoch milliseconds. */
  set(time: number): void;
  /** Moves the current time forward by `ms`. */
  advance(ms: number): void;
}

/** A test clock standing at `start` until it is set or advanced. */
export function createTestClock(start = TEST_CLOCK_START): TestClock {
  let time = start;
  return {
    now: () => time,
    set(next) {
      time = next;
    },
    advance(ms) {
      time += ms;
    },
  };
}
