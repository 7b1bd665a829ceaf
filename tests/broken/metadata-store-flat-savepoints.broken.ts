import { describeMetadataStore } from "@cellar/conformance";
import { SQLITE_ENGINE_CAPABILITIES, createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { FlatSavepointsDatabase, brokenEngine } from "../support/metadata-store-broken-engines.ts";
import { fileFixture } from "../support/metadata-store-fixtures.ts";

// Nested transaction(fn) calls run inline, without savepoints.
const broken = (busyTimeoutMs?: number) =>
  brokenEngine(createSqliteEngine({ busyTimeoutMs }), (db) => new FlatSavepointsDatabase(db));

describeMetadataStore({
  name: "flat-savepoints",
  capabilities: SQLITE_ENGINE_CAPABILITIES,
  create: () => fileFixture(broken()),
  createWithBusyTimeout: (ms) => fileFixture(broken(ms)),
});
