export * from "./sites-namespace.js";
export * from "./sites-manifest.js";
export * from "./sites-key.js";
export * from "./sites-filter.js";
