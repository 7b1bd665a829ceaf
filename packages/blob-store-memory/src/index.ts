export * from "./memory-blob-store.js";
