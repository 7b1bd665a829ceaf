import { describeKVExpiry, describeKVGet } from "@cellar/conformance";
import { kvSuiteOptions } from "../support/kv-fixtures.ts";

// A KV whose clock never moves, so nothing ever expires: the expiry tests must fail, the get
// tests (which do not move the clock) must still pass.
const frozen = Date.UTC(2026, 0, 1);
const options = kvSuiteOptions({ blobs: "memory", engine: "native", database: "memory" }, { name: "ignores expiry", clock: { now: () => frozen } });
describeKVExpiry(options);
describeKVGet(options);
