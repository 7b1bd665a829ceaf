export { openState, type CellarState, type OpenStateOptions, type StateDurableObjectOptions, type StateLogger } from "./open-state.js";
export type { GcOptions, GcNamespaceReport, GcReport } from "./gc.js";
export type { EngineKind } from "./engines.js";
export { listDurableObjectIds } from "./layout.js";
export { startServer, type CellarServer, type ServeOptions } from "./server/cellar-server.js";
export type { S3Credentials } from "./server/exchange.js";
