export * from "./metadata-store/index.js";
export * from "./blob-store/index.js";
export * from "./kv/index.js";
export * from "./r2/index.js";
export * from "./cache/index.js";
export * from "./d1/index.js";
export * from "./durable-objects/index.js";
