import { describeMetadataStore } from "@cellar/conformance";
import { SQLITE_ENGINE_CAPABILITIES, createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { BadStatementsDatabase, brokenEngine } from "../support/metadata-store-broken-engines.ts";
import { fileFixture } from "../support/metadata-store-fixtures.ts";

// run() repeats the previous statement's `changes`; safeIntegers() is ignored.
const broken = (busyTimeoutMs?: number) =>
  brokenEngine(createSqliteEngine({ busyTimeoutMs }), (db) => new BadStatementsDatabase(db));

describeMetadataStore({
  name: "bad-statements",
  capabilities: SQLITE_ENGINE_CAPABILITIES,
  create: () => fileFixture(broken()),
  createWithBusyTimeout: (ms) => fileFixture(broken(ms)),
});
