export * from "./describe-durable-object-storage.js";
export * from "./durable-objects-kv.js";
export * from "./durable-objects-transactions.js";
export * from "./durable-objects-sql.js";
export type * from "./durable-objects-fixture.js";
export * from "./durable-objects-alarms.js";
