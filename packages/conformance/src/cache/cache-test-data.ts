/** A URL under the suite's test origin. */
export function url(path: string): string {
  return `https://cache.test${path.startsWith("/") ? path : `/${path}`}`;
}

/** A response with `body` and headers; `max-age=3600` unless `headers` says otherwise. */
export function cacheable(body: BodyInit | null, headers: Record<string, string> = { "Cache-Control": "max-age=3600" }, status = 200): Response {
  return new Response(body, { status, headers });
}

/** A `Request` for `path` carrying `headers`, and `cf.cacheKey` when given (assigned, as Node's `Request` has no `cf`). */
export function request(path: string, init: { method?: string; headers?: Record<string, string>; cacheKey?: string } = {}): Request {
  const result = new Request(url(path), { method: init.method ?? "GET", headers: init.headers });
  return init.cacheKey === undefined ? result : Object.assign(result, { cf: { cacheKey: init.cacheKey } });
}

/**
 * A stream of `total` bytes produced on demand, `chunkSize` at a time; `pulled()` tells how many
 * bytes the consumer has pulled so far, so a test can see a body was drained.
 */
export function countingStream(total: number, chunkSize = 16 * 1024, fill = 0x61): { stream: ReadableStream<Uint8Array>; pulled(): number } {
  let produced = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (produced >= total) {
          controller.close();
          return;
        }
        const size = Math.min(chunkSize, total - produced);
        produced += size;
        controller.enqueue(new Uint8Array(size).fill(fill));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => produced };
}

/** HTTP dates (IMF-fixdate) relative to the suite clock's start. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** 16 bytes, the body of the spec's range examples. */
export const SIXTEEN = "0123456789abcdef";
