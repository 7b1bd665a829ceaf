export * from "./fs-blob-store.js";
export * from "./fs-blob-store-options.js";
export { PARTIAL_WRITE_PREFIX } from "./partial-write-name.js";
