import type { DescribeR2Options } from "./r2-fixture.js";
import { describeR2Checksums } from "./r2-checksums.js";
import { describeR2Conditionals } from "./r2-conditionals.js";
import { describeR2List } from "./r2-list.js";
import { describeR2Multipart } from "./r2-multipart.js";
import { describeR2Objects } from "./r2-objects.js";
import { describeR2Ranges } from "./r2-ranges.js";
import { describeR2Storage } from "./r2-storage.js";
import { describeR2Validation } from "./r2-validation.js";

/**
 * The whole R2 conformance suite (spec r2.md, with its "Expected here" requirements): every
 * group below, each also exported alone so a backend author can run just the one they are
 * fixing. Each test gets a fresh bucket from `options.create`, a clock the suite controls and
 * small multipart limits.
 */
export function describeR2(options: DescribeR2Options): void {
  describeR2Objects(options);
  describeR2Ranges(options);
  describeR2Conditionals(options);
  describeR2Checksums(options);
  describeR2Validation(options);
  describeR2List(options);
  describeR2Multipart(options);
  describeR2Storage(options);
}
