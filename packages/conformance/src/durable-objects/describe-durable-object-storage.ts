import { describeDurableObjectKv } from "./durable-objects-kv.js";
import type { DescribeDurableObjectStorageOptions } from "./durable-objects-fixture.js";
import { describeDurableObjectSql } from "./durable-objects-sql.js";
import { describeDurableObjectTransactions } from "./durable-objects-transactions.js";

/**
 * The whole Durable Object storage suite (spec durable-objects.md): each group is also exported
 * alone. Each test gets a fresh object from `options.create`.
 */
export function describeDurableObjectStorage(options: DescribeDurableObjectStorageOptions): void {
  describeDurableObjectKv(options);
  describeDurableObjectTransactions(options);
  describeDurableObjectSql(options);
}
