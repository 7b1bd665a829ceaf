import { describeMetadataStore } from "@cellar/conformance";
import { SQLITE_ENGINE_CAPABILITIES, createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { fileFixture, memoryCapabilities, memoryFixture } from "./support/metadata-store-fixtures.ts";

// The conformance suite on better-sqlite3: files with both durability settings, and memory.
for (const durability of ["normal", "strict"] as const) {
  describeMetadataStore({
    name: `better-sqlite3 file (${durability})`,
    capabilities: SQLITE_ENGINE_CAPABILITIES,
    create: () => fileFixture(createSqliteEngine({ durability }), () => createSqliteEngine()),
    createWithBusyTimeout: (busyTimeoutMs) => fileFixture(createSqliteEngine({ durability, busyTimeoutMs })),
  });
}

describeMetadataStore({
  name: "better-sqlite3 :memory:",
  capabilities: memoryCapabilities(createSqliteEngine()),
  create: async () => memoryFixture(createSqliteEngine()),
});
