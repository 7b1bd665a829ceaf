import { describeMetadataStore } from "@cellar/conformance";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { WASM_ENGINE_CAPABILITIES, createWasmEngine } from "@cellar/metadata-store-wasm";
import { fileFixture, memoryCapabilities, memoryFixture } from "./support/metadata-store-fixtures.ts";

// The conformance suite on sql.js: memory, and files with both durability settings. Files are
// inspected with native SQLite, so "persisted" means "a real SQLite file with that content".
const engines = {
  normal: await createWasmEngine(),
  strict: await createWasmEngine({ durability: "strict" }),
};

for (const durability of ["normal", "strict"] as const) {
  describeMetadataStore({
    name: `sql.js file (${durability})`,
    capabilities: WASM_ENGINE_CAPABILITIES,
    create: () => fileFixture(engines[durability], () => createSqliteEngine()),
  });
}

describeMetadataStore({
  name: "sql.js :memory:",
  capabilities: memoryCapabilities(engines.normal),
  create: async () => memoryFixture(engines.normal),
});
