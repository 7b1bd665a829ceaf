import type { CellarR2Bucket } from "@cellar/r2";
import type { CellarState } from "../../../open-state.js";

/** Buckets known to exist, per state: once a bucket exists it stays (R2 buckets are never removed here). */
const known = new WeakMap<CellarState, Set<string>>();

/**
 * The bucket if it exists (it was used, or is on disk), without creating it: reads of a bucket
 * nobody wrote answer as an empty bucket and leave no files behind.
 */
export function existingBucket(state: CellarState, name: string): CellarR2Bucket | undefined {
  let names = known.get(state);
  if (names === undefined) {
    names = new Set();
    known.set(state, names);
  }
  if (!names.has(name)) {
    if (!state.names("r2").includes(name)) return undefined;
    names.add(name);
  }
  return state.r2(name);
}

/** The bucket, created if new: buckets exist implicitly, as in `wrangler dev`. */
export function bucketForWrite(state: CellarState, name: string): CellarR2Bucket {
  const bucket = state.r2(name);
  let names = known.get(state);
  if (names === undefined) {
    names = new Set();
    known.set(state, names);
  }
  names.add(name);
  return bucket;
}
