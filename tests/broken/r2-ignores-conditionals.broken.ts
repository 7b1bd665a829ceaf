import { describeR2 } from "@cellar/conformance";
import { BACKENDS } from "../support/backends.ts";
import { overrideBucket, without } from "../support/r2-breakage.ts";
import { r2SuiteOptions } from "../support/r2-fixtures.ts";

// Broken on purpose: `onlyIf` is dropped from get and put. The conditional tests must fail.
describeR2(
  r2SuiteOptions(BACKENDS[0]!, {
    name: "broken: ignores conditionals",
    bucket: (bucket) =>
      overrideBucket(bucket, {
        get: (key, options) => bucket.get(key, without(options, "onlyIf") as never),
        put: (key, value, options) => bucket.put(key, value as never, without(options, "onlyIf") as never),
      }),
  }),
);
