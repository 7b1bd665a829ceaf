import { describeMetadataStore } from "@cellar/conformance";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { WASM_ENGINE_CAPABILITIES, createWasmEngine } from "@cellar/metadata-store-wasm";
import { DatabaseWrapper, brokenEngine } from "../support/metadata-store-broken-engines.ts";
import { fileFixture } from "../support/metadata-store-fixtures.ts";

// A wasm engine that claims files but never writes one: every database stays in memory.
const wasm = await createWasmEngine();
const broken = brokenEngine(wasm, (db, location) => new DatabaseWrapper(db, location), {
  capabilities: WASM_ENGINE_CAPABILITIES,
  openLocation: () => ":memory:",
});

describeMetadataStore({
  name: "lossy-persistence",
  capabilities: WASM_ENGINE_CAPABILITIES,
  create: () => fileFixture(broken, () => createSqliteEngine()),
});
