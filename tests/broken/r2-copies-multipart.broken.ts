import { describeR2, type R2MultipartUploadLike } from "@cellar/conformance";
import type { CellarR2Bucket } from "@cellar/r2";
import { BACKENDS } from "../support/backends.ts";
import { overrideBucket, overrideComplete } from "../support/r2-breakage.ts";
import { r2SuiteOptions } from "../support/r2-fixtures.ts";

// Broken on purpose: completing an upload reads the object back and stores a single-part copy
// of it, as a naive gateway that concatenates parts would. The "no byte copied" tests must fail.
function copying(bucket: CellarR2Bucket, upload: R2MultipartUploadLike): R2MultipartUploadLike {
  return overrideComplete(upload, async (parts) => {
    const object = await upload.complete(parts);
    const bytes = await (await bucket.get(upload.key))!.arrayBuffer();
    return bucket.put(upload.key, bytes, { httpMetadata: object.httpMetadata, customMetadata: object.customMetadata, storageClass: object.storageClass });
  });
}

describeR2(
  r2SuiteOptions(BACKENDS[0]!, {
    name: "broken: copies multipart",
    bucket: (bucket) =>
      overrideBucket(bucket, {
        createMultipartUpload: async (key, options) => copying(bucket, await bucket.createMultipartUpload(key, options as never)),
        resumeMultipartUpload: (key, uploadId) => copying(bucket, bucket.resumeMultipartUpload(key, uploadId)),
      }),
  }),
);
