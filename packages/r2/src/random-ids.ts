import { createHash, randomBytes } from "node:crypto";

/** A new object version: 16 random bytes as 32 lowercase hex characters, as Miniflare makes them. */
export function newVersion(): string {
  return randomBytes(16).toString("hex");
}

/** A new upload id: 128 random bytes, base64url (171 characters), as Miniflare makes them. */
export function newUploadId(): string {
  return randomBytes(128).toString("base64url");
}

/**
 * A multipart object's etag: the hex MD5 of the concatenated binary MD5s of its parts (in
 * part-number order), then `-<part count>`, as S3 and R2 compute it.
 */
export function multipartEtag(partMd5Hexes: readonly string[]): string {
  const hash = createHash("md5");
  for (const md5 of partMd5Hexes) hash.update(Buffer.from(md5, "hex"));
  return `${hash.digest("hex")}-${partMd5Hexes.length}`;
}
