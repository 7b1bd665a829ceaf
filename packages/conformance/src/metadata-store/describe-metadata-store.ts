import { describeMetadataStoreConcurrency } from "./concurrency.js";
import { describeMetadataStoreErrors } from "./errors.js";
import type { DescribeMetadataStoreOptions } from "./fixture.js";
import { describeMetadataStoreLifecycle } from "./lifecycle.js";
import { describeMetadataStoreMigrations } from "./migrations.js";
import { describeMetadataStorePersistence } from "./persistence.js";
import { describeMetadataStoreStatements } from "./statements.js";
import { describeMetadataStoreTransactions } from "./transactions.js";
import { describeMetadataStoreTypes } from "./types.js";

/**
 * The whole metadata-store conformance suite: every group below, each with a fresh fixture per
 * test. Tests that need a capability the engine lacks are skipped, with the capability named in
 * the test title, never passed silently.
 *
 * @example
 * describeMetadataStore({
 *   name: "my engine",
 *   capabilities: myEngine.capabilities,
 *   create: async () => { const dir = await mkdtemp(...); return { engine: myEngine, location: (n) => join(dir, n), cleanup: () => rm(dir, { recursive: true }) }; },
 * });
 */
export function describeMetadataStore(options: DescribeMetadataStoreOptions): void {
  describeMetadataStoreLifecycle(options);
  describeMetadataStoreStatements(options);
  describeMetadataStoreTypes(options);
  describeMetadataStoreTransactions(options);
  describeMetadataStoreErrors(options);
  describeMetadataStorePersistence(options);
  describeMetadataStoreMigrations(options);
  describeMetadataStoreConcurrency(options);
}
