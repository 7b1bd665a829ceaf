import { describeR2 } from "@cellar/conformance";
import { BACKENDS } from "../support/backends.ts";
import { r2SuiteOptions } from "../support/r2-fixtures.ts";

// Broken on purpose: the blob store never deletes, so replaced, deleted and aborted data stays
// behind. The blob-count tests must fail.
describeR2(
  r2SuiteOptions(BACKENDS[0]!, {
    name: "broken: leaks blobs",
    blobs: (blobs) => ({
      capabilities: blobs.capabilities,
      put: (body, options) => blobs.put(body, options),
      get: (id, range) => blobs.get(id, range),
      getBytes: (id, range) => blobs.getBytes(id, range),
      getRanges: (id, ranges, options) => blobs.getRanges(id, ranges, options),
      stat: (id) => blobs.stat(id),
      delete: async () => {},
      sweep: (options) => blobs.sweep(options),
      close: () => blobs.close(),
    }),
  }),
);
