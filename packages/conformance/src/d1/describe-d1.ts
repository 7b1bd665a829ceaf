import { describeD1Batch } from "./d1-batch.js";
import { describeD1Concurrency } from "./d1-concurrency.js";
import { describeD1Errors } from "./d1-errors.js";
import { describeD1Exec } from "./d1-exec.js";
import { describeD1Export } from "./d1-export.js";
import type { DescribeD1Options } from "./d1-fixture.js";
import { describeD1Limits } from "./d1-limits.js";
import { describeD1Persistence } from "./d1-persistence.js";
import { describeD1Restrictions } from "./d1-restrictions.js";
import { describeD1Results } from "./d1-results.js";
import { describeD1Sessions } from "./d1-sessions.js";
import { describeD1Values } from "./d1-values.js";

/**
 * The whole D1 conformance suite (spec d1.md): every group below, each also exported alone so a
 * backend author can run just the one they are fixing. Each test gets a fresh, empty database
 * from `options.create`; tests needing a capability the backend lacks are skipped, with the
 * capability named in their title.
 */
export function describeD1(options: DescribeD1Options): void {
  describeD1Results(options);
  describeD1Values(options);
  describeD1Batch(options);
  describeD1Exec(options);
  describeD1Errors(options);
  describeD1Limits(options);
  describeD1Restrictions(options);
  describeD1Sessions(options);
  describeD1Export(options);
  describeD1Persistence(options);
  describeD1Concurrency(options);
}
