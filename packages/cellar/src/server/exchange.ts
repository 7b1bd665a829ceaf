import type { IncomingMessage, ServerResponse } from "node:http";
import type { CellarState } from "../open-state.js";

/** What every handler of `cellar serve` works with. */
export interface ServerContext {
  /** The state whose KV namespaces, R2 buckets and D1 databases the server exposes. */
  readonly state: CellarState;
  /** Time source for presigned-URL expiry and similar checks, in epoch ms. */
  readonly clock: { now(): number };
  /**
   * When set, S3 requests must be signed (AWS Signature Version 4, headers or presigned query)
   * with these credentials; when unset, any credentials are accepted and signatures are not checked.
   */
  readonly s3Credentials: S3Credentials | undefined;
}

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** One request being answered. */
export interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  /** The request URL, resolved against the server's own origin. */
  readonly url: URL;
  readonly context: ServerContext;
}
