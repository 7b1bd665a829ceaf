export {};
export * from "./metadata-store/index.js";
export * from "./blob-store/index.js";
export * from "./kv/index.js";
