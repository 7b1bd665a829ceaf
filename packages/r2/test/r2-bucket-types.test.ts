import type { R2Bucket, R2MultipartUpload, R2Object, R2ObjectBody } from "@cloudflare/workers-types";
import { describe, expectTypeOf, it } from "vitest";
import type { CellarR2Bucket } from "../src/index.js";

// Type-level: `pnpm typecheck` fails if a cellar bucket stops being usable as a Workers
// `R2Bucket` binding (`env.MY_BUCKET: R2Bucket`).
describe("types", () => {
  it("makes a cellar bucket assignable to the Workers R2Bucket", () => {
    expectTypeOf<CellarR2Bucket>().toExtend<R2Bucket>();
    const bind = (bucket: CellarR2Bucket): R2Bucket => bucket;
    expectTypeOf(bind).returns.toEqualTypeOf<R2Bucket>();
  });

  it("returns Workers-compatible objects, bodies and upload handles", () => {
    const calls = (bucket: CellarR2Bucket) => ({
      head: bucket.head("k"),
      get: bucket.get("k"),
      conditional: bucket.get("k", { onlyIf: { etagMatches: "e" } }),
      put: bucket.put("k", "v", { customMetadata: { a: "b" } }),
      conditionalPut: bucket.put("k", "v", { onlyIf: new Headers() }),
      upload: bucket.createMultipartUpload("k"),
      resumed: bucket.resumeMultipartUpload("k", "id"),
    });
    type Calls = ReturnType<typeof calls>;
    expectTypeOf<Awaited<Calls["head"]>>().toExtend<R2Object | null>();
    expectTypeOf<Awaited<Calls["get"]>>().toExtend<R2ObjectBody | null>();
    expectTypeOf<Awaited<Calls["conditional"]>>().toExtend<R2ObjectBody | R2Object | null>();
    expectTypeOf<Awaited<Calls["put"]>>().toExtend<R2Object>();
    expectTypeOf<Awaited<Calls["conditionalPut"]>>().toExtend<R2Object | null>();
    expectTypeOf<Awaited<Calls["upload"]>>().toExtend<R2MultipartUpload>();
    expectTypeOf<Calls["resumed"]>().toExtend<R2MultipartUpload>();
  });
});
