/**
 * A request the Cloudflare-shaped API refuses: answered as `{ success: false, errors: [{ code,
 * message }] }` with `status`. Thrown by handlers and caught once, in `handleCloudflareApiRequest`,
 * so a handler can stop at any depth without writing the response itself.
 */
export class CloudflareApiError extends Error {
  /** The HTTP status of the answer. */
  readonly status: number;
  /** Cloudflare's numeric error code (see `api-error-codes.ts`). */
  readonly code: number;
  /** Extra response headers, e.g. `allow` on a 405. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: number, message: string, options: { cause?: unknown; headers?: Record<string, string> } = {}) {
    super(message, { cause: options.cause });
    this.name = "CloudflareApiError";
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
  }
}
