import { describeMetadataStore } from "@cellar/conformance";
import { SQLITE_ENGINE_CAPABILITIES, createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { NoRollbackDatabase, brokenEngine } from "../support/metadata-store-broken-engines.ts";
import { fileFixture } from "../support/metadata-store-fixtures.ts";

// transaction(fn) never rolls back. The transaction and migration groups must catch it.
const broken = (busyTimeoutMs?: number) =>
  brokenEngine(createSqliteEngine({ busyTimeoutMs }), (db) => new NoRollbackDatabase(db));

describeMetadataStore({
  name: "no-rollback",
  capabilities: SQLITE_ENGINE_CAPABILITIES,
  create: () => fileFixture(broken()),
  createWithBusyTimeout: (ms) => fileFixture(broken(ms)),
});
