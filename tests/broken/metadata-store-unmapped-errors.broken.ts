import { describeMetadataStore } from "@cellar/conformance";
import { SQLITE_ENGINE_CAPABILITIES, createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { UnmappedErrorsDatabase, brokenEngine } from "../support/metadata-store-broken-engines.ts";
import { fileFixture } from "../support/metadata-store-fixtures.ts";

// Engine errors escape unmapped: better-sqlite3's SqliteError, RangeError and TypeError.
const broken = (busyTimeoutMs?: number) =>
  brokenEngine(createSqliteEngine({ busyTimeoutMs }), (db) => new UnmappedErrorsDatabase(db));

describeMetadataStore({
  name: "unmapped-errors",
  capabilities: SQLITE_ENGINE_CAPABILITIES,
  create: () => fileFixture(broken()),
  createWithBusyTimeout: (ms) => fileFixture(broken(ms)),
});
