import { describeR2 } from "@cellar/conformance";
import { BACKENDS } from "../support/backends.ts";
import { overrideBucket, without } from "../support/r2-breakage.ts";
import { r2SuiteOptions } from "../support/r2-fixtures.ts";

// Broken on purpose: `range` is dropped from get, so every read returns the whole object.
describeR2(
  r2SuiteOptions(BACKENDS[0]!, {
    name: "broken: ignores ranges",
    bucket: (bucket) => overrideBucket(bucket, { get: (key, options) => bucket.get(key, without(options, "range") as never) }),
  }),
);
