import type { S3Call } from "../s3-call.js";
import { requestHeader } from "../s3-call.js";
import { etagList } from "./s3-conditions.js";

/**
 * S3's conditional writes (`If-Match`, `If-None-Match: *`) as R2 `onlyIf` headers. R2 reads
 * header etags only when quoted, and S3 clients may send them bare, so every etag is re-quoted.
 */
export function putConditions(call: S3Call): Headers | undefined {
  const onlyIf = new Headers();
  for (const name of ["if-match", "if-none-match"]) {
    const value = requestHeader(call, name);
    if (value === undefined) continue;
    onlyIf.set(name, etagList(value).map((etag) => (etag === "*" ? etag : `"${etag}"`)).join(", "));
  }
  return [...onlyIf.keys()].length === 0 ? undefined : onlyIf;
}
