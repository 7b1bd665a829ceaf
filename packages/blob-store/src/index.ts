export * from "./errors.js";
export * from "./capabilities.js";
export type * from "./blob-store.js";
