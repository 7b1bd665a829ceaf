import { afterEach, beforeEach, expect } from "vitest";
import type { BlobStore } from "@cellar/blob-store";
import type { BlobStoreFixture, DescribeBlobStoreOptions } from "./blob-store-fixture.js";
import { TEST_CLOCK_START, createTestClock, type TestClock } from "./test-clock.js";

/** Per-test state a group's tests share: the fixture, its store and the clock. */
export interface BlobStoreTestContext {
  readonly options: DescribeBlobStoreOptions;
  /** The clock the fixture's stores use; it starts at `TEST_CLOCK_START` in every test. */
  readonly clock: TestClock;
  /** The current test's fixture. */
  readonly fixture: BlobStoreFixture;
  /** The current test's store. */
  readonly store: BlobStore;
  /**
   * Opens a second store over the same location through `fixture.reopen`; the suite closes it
   * after the test. Fails the test if the fixture has no `reopen`.
   */
  reopen(): Promise<BlobStore>;
}

/**
 * Registers hooks that give every test of the enclosing `describe` a fresh fixture and a clock
 * set back to its start, and tear the fixture down afterwards (closing every store first).
 */
export function useBlobStoreTestContext(options: DescribeBlobStoreOptions): BlobStoreTestContext {
  const clock = createTestClock();
  let fixture: BlobStoreFixture | undefined;
  let reopened: BlobStore[] = [];

  beforeEach(async () => {
    clock.set(TEST_CLOCK_START);
    fixture = await options.create({ clock });
  });

  afterEach(async () => {
    const finished = fixture;
    const stores = reopened;
    fixture = undefined;
    reopened = [];
    if (!finished) return;
    // Closing twice is allowed (close is idempotent), and a test may already have closed.
    for (const store of [finished.store, ...stores]) await store.close().catch(() => {});
    await finished.cleanup();
  });

  const current = (): BlobStoreFixture => {
    if (!fixture) throw new Error("No blob store fixture: use the context only inside a test");
    return fixture;
  };

  return {
    options,
    clock,
    get fixture() {
      return current();
    },
    get store() {
      return current().store;
    },
    async reopen() {
      const { reopen } = current();
      expect(reopen, `${options.name} declares persistence, so its fixture must provide reopen()`).toBeTypeOf("function");
      const store = await reopen!();
      reopened.push(store);
      return store;
    },
  };
}
