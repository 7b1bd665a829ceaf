export * from "./wasm-engine.js";
