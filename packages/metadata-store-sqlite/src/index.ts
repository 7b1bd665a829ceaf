export * from "./sqlite-engine.js";
