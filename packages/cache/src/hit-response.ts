import { randomUUID } from "node:crypto";
import type { BlobId, BlobStore } from "@cellar/blob-store";
import type { CacheMetadata } from "./cache-metadata.js";
import { currentAge, type MatchPlan } from "./match-plan.js";
import { SMALL_BODY_BYTES } from "./response-body.js";

/** Statuses whose responses never have a body (a `Response` refuses one). */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * The headers of a hit: the stored ones, `CF-Cache-Status: HIT` and the current `Age`;
 * `undefined` when a stored value is not a valid header (a damaged row).
 */
export function hitHeaders(metadata: CacheMetadata, now: number): Headers | undefined {
  let headers: Headers;
  try {
    headers = new Headers(metadata.headers as [string, string][]);
  } catch {
    return undefined;
  }
  headers.set("CF-Cache-Status", "HIT");
  const age = currentAge(headers, now);
  if (age !== undefined) headers.set("Age", age);
  return headers;
}

/**
 * Builds the response of a hit from its plan, reading only what the plan needs from the blob:
 * nothing for 304 and 416, one range as a stream, several ranges as a `multipart/byteranges`
 * stream read one part at a time (no `Content-Length`, spec cache.md §4), the whole body as a
 * stream (or in memory when small). `headers` are the stored headers with `CF-Cache-Status: HIT`
 * and the current `Age`. Resolves with `null` when the blob is missing.
 */
export async function hitResponse(
  blobs: BlobStore,
  blobId: BlobId,
  metadata: CacheMetadata,
  headers: Headers,
  plan: MatchPlan,
): Promise<Response | null> {
  const { status, size } = metadata;
  switch (plan.kind) {
    case "not-modified":
      return new Response(null, { status: 304, headers });
    case "unsatisfiable":
      // Miniflare's 416 carries only these two headers.
      return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${size}`, "CF-Cache-Status": "HIT" } });
    case "full": {
      if (NULL_BODY_STATUSES.has(status)) return new Response(null, { status, headers });
      // Stores return bytes over a plain ArrayBuffer (never shared memory), as `Response` wants.
      const body = size <= SMALL_BODY_BYTES ? ((await blobs.getBytes(blobId)) as Uint8Array<ArrayBuffer> | null) : await blobs.get(blobId);
      return body === null ? null : new Response(body, { status, headers });
    }
    case "single": {
      const { start, end } = plan.range;
      const body = await blobs.get(blobId, plan.range);
      if (body === null) return null;
      headers.set("Content-Range", `bytes ${start}-${end}/${size}`);
      headers.set("Content-Length", String(end - start + 1));
      return new Response(body, { status: 206, headers });
    }
    case "multiple": {
      const multipart = await blobs.getRanges(blobId, plan.ranges, {
        contentType: headers.get("Content-Type") ?? undefined,
        // Miniflare's boundary (on-disk-layout §6), so responses compare byte for byte but for the UUID.
        boundary: `miniflare-boundary-${randomUUID()}`,
      });
      if (multipart === null) return null;
      headers.set("Content-Type", multipart.contentType);
      headers.delete("Content-Length");
      return new Response(multipart.body, { status: 206, headers });
    }
  }
}
