/**
 * What a verified SigV4 request hands on to the body decoder, so it can check the signature of
 * every `aws-chunked` chunk (each chains on the one before, starting from the request's).
 */
export interface SigningContext {
  readonly signingKey: Uint8Array;
  /** `<date>/<region>/<service>/aws4_request` */
  readonly scope: string;
  /** The request's `x-amz-date`. */
  readonly amzDate: string;
  /** The request signature: the previous signature of the first chunk. */
  readonly seedSignature: string;
}
