import { describeCacheConcurrency } from "./cache-concurrency.js";
import { describeCacheConditionals } from "./cache-conditionals.js";
import { describeCacheDelete } from "./cache-delete.js";
import type { DescribeCacheOptions } from "./cache-fixture.js";
import { describeCacheFreshness } from "./cache-freshness.js";
import { describeCacheKeys } from "./cache-keys.js";
import { describeCacheLimits } from "./cache-limits.js";
import { describeCachePutMatch } from "./cache-put-match.js";
import { describeCacheRanges } from "./cache-ranges.js";
import { describeCacheStorability } from "./cache-storability.js";
import { describeCacheStorage } from "./cache-storage.js";
import { describeCacheValidation } from "./cache-validation.js";

/**
 * The whole Cache API conformance suite (spec cache.md): every group below, each also exported
 * alone so a backend author can run just the one they are fixing. Each test gets a fresh cache
 * storage from `options.create` and a clock the suite controls.
 */
export function describeCache(options: DescribeCacheOptions): void {
  describeCachePutMatch(options);
  describeCacheKeys(options);
  describeCacheValidation(options);
  describeCacheStorability(options);
  describeCacheFreshness(options);
  describeCacheConditionals(options);
  describeCacheRanges(options);
  describeCacheDelete(options);
  describeCacheLimits(options);
  describeCacheConcurrency(options);
  describeCacheStorage(options);
}
