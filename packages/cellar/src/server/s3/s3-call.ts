import type { Exchange } from "../exchange.js";
import type { SigningContext } from "./auth/signing-context.js";

/** One authenticated S3 request, as the operations receive it. */
export interface S3Call {
  readonly exchange: Exchange;
  /** Set when a signature was verified: the body decoder checks chunk signatures with it. */
  readonly signing: SigningContext | undefined;
}

/** A request header as one string (repeated headers joined), or undefined. */
export function requestHeader(call: S3Call, name: string): string | undefined {
  const value = call.exchange.request.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}
