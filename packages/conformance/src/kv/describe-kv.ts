import type { DescribeKVOptions } from "./kv-fixture.js";
import { describeKVBulk } from "./kv-bulk.js";
import { describeKVConcurrency } from "./kv-concurrency.js";
import { describeKVExpiry } from "./kv-expiry.js";
import { describeKVGet } from "./kv-get.js";
import { describeKVList } from "./kv-list.js";
import { describeKVPut } from "./kv-put.js";
import { describeKVStorage } from "./kv-storage.js";
import { describeKVValidation } from "./kv-validation.js";

/**
 * The whole KV conformance suite (spec kv.md): every group below, each also exported alone so a
 * backend author can run just the one they are fixing. Each test gets a fresh namespace from
 * `options.create` and a clock the suite controls.
 */
export function describeKV(options: DescribeKVOptions): void {
  describeKVGet(options);
  describeKVPut(options);
  describeKVList(options);
  describeKVExpiry(options);
  describeKVValidation(options);
  describeKVBulk(options);
  describeKVConcurrency(options);
  describeKVStorage(options);
}
