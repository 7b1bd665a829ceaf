export * from "./entries-table.js";
