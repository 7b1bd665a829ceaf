/**
 * The largest body `put` stores by default: Cloudflare's limit of "512 MB" on Free, Pro and
 * Business plans, read as 512 MiB. Larger responses are drained and not stored (spec C4).
 */
export const DEFAULT_MAX_OBJECT_SIZE = 512 * 1024 * 1024;

/** The largest `maxObjectSize` a cache storage accepts: the Enterprise limit, "5 GB", read as 5 GiB. */
export const MAX_OBJECT_SIZE_LIMIT = 5 * 1024 * 1024 * 1024;

/** workerd refuses a cache name of this many UTF-8 bytes or more (`Cache name is too long.`). */
export const MAX_CACHE_NAME_BYTES = 1024;
