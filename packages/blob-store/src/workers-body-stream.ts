/**
 * A body stream as gateways hand it out (a KV value, an R2 object body, a cached response body):
 * Node's web `ReadableStream`, which is async-iterable as in Workers. Calls resolve to the DOM
 * signatures first; the loose trailing overloads only let the type be assigned where Workers'
 * own `ReadableStream` (from `@cloudflare/workers-types`) is expected, whose reader and pipe
 * types differ in detail from the DOM's.
 */
export type WorkersBodyStream = ReadableStream<Uint8Array> & {
  values(options?: { preventCancel?: boolean }): AsyncIterableIterator<Uint8Array>;
  [Symbol.asyncIterator](options?: { preventCancel?: boolean }): AsyncIterableIterator<Uint8Array>;
  getReader(): any;
  getReader(options: { mode: "byob" }): any;
  pipeThrough(transform: any, options?: any): any;
  pipeTo(destination: any, options?: any): Promise<void>;
  tee(): [any, any];
};
