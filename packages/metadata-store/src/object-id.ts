import { createHash, createHmac } from "node:crypto";
import { join } from "node:path";

/**
 * The id workerd and Miniflare derive from an object's name, which names its SQLite file on
 * disk (`<class dir>/<id>.sqlite`). Computing it the same way is what makes a database seeded
 * here the one `wrangler dev` opens:
 *
 *   key = SHA-256(uniqueKey); a = HMAC-SHA256(key, name)[0:16]; b = HMAC-SHA256(key, a)[0:16];
 *   id = hex(a ‖ b)   (64 lowercase hex characters)
 */
export function idFromName(uniqueKey: string, name: string): string {
  const key = createHash("sha256").update(uniqueKey).digest();
  const a = createHmac("sha256", key).update(name).digest().subarray(0, 16);
  const b = createHmac("sha256", key).update(a).digest().subarray(0, 16);
  return Buffer.concat([a, b]).toString("hex");
}

/** The `uniqueKey` of each product's object class, as Miniflare 4 names them. */
export const OBJECT_CLASS = Object.freeze({
  kv: "miniflare-KVNamespaceObject",
  cache: "miniflare-CacheObject",
  r2: "miniflare-R2BucketObject",
  d1: "miniflare-D1DatabaseObject",
} as const);

export type ProductName = keyof typeof OBJECT_CLASS;

/**
 * Where `wrangler dev` keeps one product object's database under a persist root such as
 * `.wrangler/state/v3`: `<root>/<product>/<class>/<idFromName(class, name)>.sqlite`. `name` is
 * the KV namespace id, the R2 bucket name, the D1 database id, or `default` / `named:<cache>`.
 */
export function objectDatabasePath(persistRoot: string, product: ProductName, name: string): string {
  const objectClass = OBJECT_CLASS[product];
  return join(persistRoot, product, objectClass, `${idFromName(objectClass, name)}.sqlite`);
}
