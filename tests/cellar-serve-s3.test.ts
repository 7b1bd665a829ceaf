import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import type { GetObjectCommandInput, S3ServiceException } from "@aws-sdk/client-s3";
import { afterEach, describe, expect, it } from "vitest";
import * as clientS3 from "@aws-sdk/client-s3";
import * as libStorage from "@aws-sdk/lib-storage";
import * as requestPresigner from "@aws-sdk/s3-request-presigner";
import { startServeS3, type ServeS3Fixture, type ServeS3FixtureOptions } from "./support/serve-s3-fixture.ts";

// END TO END: `startServer` on a real state, driven by the AWS SDK v3 (path-style, region
// "auto", as for R2) and by raw fetch for what the SDK hides.
const {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
} = clientS3;
const { Upload } = libStorage;
const { getSignedUrl } = requestPresigner;
const MiB = 1024 * 1024;
const fixtures: ServeS3Fixture[] = [];
async function serve(options: ServeS3FixtureOptions = {}): Promise<ServeS3Fixture> {
  const fixture = await startServeS3(options);
  fixtures.push(fixture);
  return fixture;
}
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((fixture) => fixture.close()));
});

/** The S3 error a send rejects with. */
async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (error) {
    return error as S3ServiceException;
  }
  throw new Error("expected the request to fail");
}

const md5 = (bytes: Uint8Array | string): string => createHash("md5").update(bytes).digest("hex");

describe("cellar serve: S3 API", () => {
  it("puts and gets strings, Buffers and a streamed multi-MiB body, readable through state.r2 and back", async () => {
    const { s3, state } = await serve();
    await s3.send(new PutObjectCommand({ Bucket: "assets", Key: "hello.txt", Body: "hello world", ContentType: "text/plain" }));
    const got = await s3.send(new GetObjectCommand({ Bucket: "assets", Key: "hello.txt" }));
    expect(await got.Body!.transformToString()).toBe("hello world");
    expect(got.ContentType).toBe("text/plain");
    expect(got.ETag).toBe(`"${md5("hello world")}"`);
    expect(got.ContentLength).toBe(11);
    expect(got.LastModified).toBeInstanceOf(Date);

    const buffer = randomBytes(70_000);
    const put = await s3.send(new PutObjectCommand({ Bucket: "assets", Key: "dir/bytes.bin", Body: buffer }));
    expect(put.ETag).toBe(`"${md5(buffer)}"`);
    expect(Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: "assets", Key: "dir/bytes.bin" }))).Body!.transformToByteArray()).equals(buffer)).toBe(true);

    // A Node stream goes out aws-chunked with a CRC32 trailer.
    const big = randomBytes(6 * MiB + 123);
    const chunks = Array.from({ length: 13 }, (_, index) => big.subarray(index * 500_000, (index + 1) * 500_000));
    const streamed = await s3.send(new PutObjectCommand({ Bucket: "assets", Key: "big.bin", Body: Readable.from(chunks), ContentLength: big.length }));
    expect(streamed.ETag).toBe(`"${md5(big)}"`);
    expect(streamed.ChecksumCRC32).toBeDefined();
    const stored = await state.r2("assets").get("big.bin");
    expect(stored!.size).toBe(big.length);
    expect(stored!.httpMetadata?.contentEncoding).toBeUndefined(); // aws-chunked is not stored
    expect(Buffer.from(await stored!.arrayBuffer()).equals(big)).toBe(true);

    // And the other way: written through the binding, read over S3.
    await state.r2("assets").put("from-worker.json", '{"a":1}', { httpMetadata: { contentType: "application/json" }, customMetadata: { origin: "worker", note: "é" } });
    const fromWorker = await s3.send(new GetObjectCommand({ Bucket: "assets", Key: "from-worker.json" }));
    expect(await fromWorker.Body!.transformToString()).toBe('{"a":1}');
    expect(fromWorker.ContentType).toBe("application/json");
    expect(fromWorker.Metadata).toEqual({ origin: "worker", note: "=?UTF-8?B?w6k=?=" });
  });

  it("round-trips HTTP and custom metadata, and honours response-* overrides", async () => {
    const { s3, state } = await serve({ memory: true });
    const expires = new Date("2030-01-02T03:04:05Z");
    await s3.send(
      new PutObjectCommand({
        Bucket: "meta",
        Key: "doc.html",
        Body: "<p>hi</p>",
        ContentType: "text/html",
        ContentLanguage: "en",
        ContentDisposition: 'attachment; filename="doc.html"',
        ContentEncoding: "identity",
        CacheControl: "max-age=60",
        Expires: expires,
        Metadata: { author: "ada", "Mixed-Case": "v" },
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: "meta", Key: "doc.html" }));
    expect(head).toMatchObject({
      ContentType: "text/html",
      ContentLanguage: "en",
      ContentDisposition: 'attachment; filename="doc.html"',
      ContentEncoding: "identity",
      CacheControl: "max-age=60",
      ContentLength: 9,
      Metadata: { author: "ada", "mixed-case": "v" },
    });
    expect(head.ExpiresString).toBe(expires.toUTCString());
    const object = await state.r2("meta").head("doc.html");
    expect(object!.httpMetadata).toEqual({
      contentType: "text/html",
      contentLanguage: "en",
      contentDisposition: 'attachment; filename="doc.html"',
      contentEncoding: "identity",
      cacheControl: "max-age=60",
      cacheExpiry: expires,
    });
    expect(object!.customMetadata).toEqual({ author: "ada", "mixed-case": "v" });
    const overridden = await s3.send(new GetObjectCommand({ Bucket: "meta", Key: "doc.html", ResponseContentType: "text/plain", ResponseContentDisposition: "inline" }));
    expect(overridden.ContentType).toBe("text/plain");
    expect(overridden.ContentDisposition).toBe("inline");
    await overridden.Body!.transformToString();
  });

  it("serves ranges: start-end, open-ended, suffix (clamped), and 416 past the end", async () => {
    const { s3, server } = await serve({ memory: true });
    await s3.send(new PutObjectCommand({ Bucket: "ranges", Key: "r", Body: "0123456789" }));
    const read = async (range: string) => {
      const result = await s3.send(new GetObjectCommand({ Bucket: "ranges", Key: "r", Range: range }));
      return { body: await result.Body!.transformToString(), contentRange: result.ContentRange, status: result.$metadata.httpStatusCode };
    };
    expect(await read("bytes=2-4")).toEqual({ body: "234", contentRange: "bytes 2-4/10", status: 206 });
    expect(await read("bytes=7-")).toEqual({ body: "789", contentRange: "bytes 7-9/10", status: 206 });
    expect(await read("bytes=8-100")).toEqual({ body: "89", contentRange: "bytes 8-9/10", status: 206 });
    expect(await read("bytes=-3")).toEqual({ body: "789", contentRange: "bytes 7-9/10", status: 206 });
    expect(await read("bytes=-50")).toEqual({ body: "0123456789", contentRange: "bytes 0-9/10", status: 206 });
    const invalid = await failure(s3.send(new GetObjectCommand({ Bucket: "ranges", Key: "r", Range: "bytes=10-20" })));
    expect(invalid.name).toBe("InvalidRange");
    expect(invalid.$metadata.httpStatusCode).toBe(416);
    const raw = await fetch(`${server.url}/ranges/r`, { headers: { range: "bytes=-0" } });
    expect(raw.status).toBe(416);
    expect(raw.headers.get("content-range")).toBe("bytes */10");
    expect(await raw.text()).toContain("<Code>InvalidRange</Code>");
    // S3 ignores what it does not understand: several ranges, start after end.
    for (const ignored of ["bytes=0-1,3-4", "bytes=5-2", "items=0-1"]) {
      const whole = await fetch(`${server.url}/ranges/r`, { headers: { range: ignored } });
      expect([whole.status, await whole.text()]).toEqual([200, "0123456789"]);
    }
    const headRange = await s3.send(new HeadObjectCommand({ Bucket: "ranges", Key: "r", Range: "bytes=0-3" }));
    expect([headRange.$metadata.httpStatusCode, headRange.ContentLength, headRange.ContentRange]).toEqual([206, 4, "bytes 0-3/10"]);
  });

  it("answers conditional GET and HEAD with 304 and 412", async () => {
    const { s3 } = await serve({ memory: true });
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket: "cond", Key: "c", Body: "content" }));
    const past = new Date(Date.now() - 3_600_000);
    const future = new Date(Date.now() + 3_600_000);
    const get = (input: Partial<GetObjectCommandInput>) => s3.send(new GetObjectCommand({ Bucket: "cond", Key: "c", ...input }));
    expect(await (await get({ IfMatch: ETag })).Body!.transformToString()).toBe("content");
    expect(await (await get({ IfMatch: ETag!.replaceAll('"', "") })).Body!.transformToString()).toBe("content");
    expect((await failure(get({ IfMatch: '"nope"' }))).$metadata.httpStatusCode).toBe(412);
    expect((await failure(get({ IfMatch: '"nope"' }))).name).toBe("PreconditionFailed");
    expect((await failure(get({ IfNoneMatch: ETag }))).$metadata.httpStatusCode).toBe(304);
    expect((await failure(get({ IfModifiedSince: future }))).$metadata.httpStatusCode).toBe(304);
    expect((await failure(get({ IfUnmodifiedSince: past }))).$metadata.httpStatusCode).toBe(412);
    // If-Match wins over a failing If-Unmodified-Since; If-None-Match over If-Modified-Since.
    expect(await (await get({ IfMatch: ETag, IfUnmodifiedSince: past })).Body!.transformToString()).toBe("content");
    expect(await (await get({ IfNoneMatch: '"other"', IfModifiedSince: future })).Body!.transformToString()).toBe("content");
    expect((await failure(s3.send(new HeadObjectCommand({ Bucket: "cond", Key: "c", IfNoneMatch: ETag })))).$metadata.httpStatusCode).toBe(304);
    expect((await failure(s3.send(new HeadObjectCommand({ Bucket: "cond", Key: "c", IfMatch: '"x"' })))).$metadata.httpStatusCode).toBe(412);
    // Conditional writes: If-None-Match: * refuses an existing key.
    const exists = await failure(s3.send(new PutObjectCommand({ Bucket: "cond", Key: "c", Body: "new", IfNoneMatch: "*" })));
    expect([exists.name, exists.$metadata.httpStatusCode]).toEqual(["PreconditionFailed", 412]);
    await s3.send(new PutObjectCommand({ Bucket: "cond", Key: "fresh", Body: "new", IfNoneMatch: "*" }));
  });

  it("lists with prefix, delimiter, pagination, start-after and url encoding; v1 with marker", async () => {
    const { s3 } = await serve({ memory: true });
    const keys = ["a/1", "a/2", "b/1", "c", "d", "e f+g", "é"];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: "list", Key: key, Body: key }));
    const grouped = await s3.send(new ListObjectsV2Command({ Bucket: "list", Delimiter: "/" }));
    expect(grouped.CommonPrefixes?.map((prefix) => prefix.Prefix)).toEqual(["a/", "b/"]);
    expect(grouped.Contents?.map((object) => object.Key)).toEqual(["c", "d", "e f+g", "é"]);
    expect(grouped.KeyCount).toBe(6);
    expect(grouped.Contents![0]).toMatchObject({ Size: 1, ETag: `"${md5("c")}"`, StorageClass: "STANDARD" });

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: "list", MaxKeys: 2, ContinuationToken: token }));
      pages++;
      seen.push(...(page.Contents ?? []).map((object) => object.Key!));
      expect(page.KeyCount).toBe(page.Contents?.length ?? 0);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (page.IsTruncated) expect(token).toBeTruthy();
    } while (token !== undefined);
    expect(seen).toEqual(keys);
    expect(pages).toBe(4);

    const prefixed = await s3.send(new ListObjectsV2Command({ Bucket: "list", Prefix: "a/", StartAfter: "a/1" }));
    expect(prefixed.Contents?.map((object) => object.Key)).toEqual(["a/2"]);
    const encoded = await s3.send(new ListObjectsV2Command({ Bucket: "list", Prefix: "e", EncodingType: "url" }));
    expect(encoded.Contents?.map((object) => decodeURIComponent(object.Key!))).toEqual(["e f+g"]);
    expect(encoded.Contents?.[0]?.Key).toBe("e%20f%2Bg");
    const none = await s3.send(new ListObjectsV2Command({ Bucket: "list", MaxKeys: 0 }));
    expect([none.KeyCount, none.IsTruncated]).toEqual([0, false]);

    const v1 = await s3.send(new ListObjectsCommand({ Bucket: "list", Marker: "b/1", MaxKeys: 2 }));
    expect(v1.Contents?.map((object) => object.Key)).toEqual(["c", "d"]);
    expect([v1.IsTruncated, v1.NextMarker]).toEqual([true, "d"]);
    // A bucket nobody wrote lists empty, and is not created by being listed.
    expect((await s3.send(new ListObjectsV2Command({ Bucket: "never-written" }))).KeyCount).toBe(0);
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((bucket) => bucket.Name)).toEqual(["list"]);
  });

  it("deletes one key and many (Quiet or not), and buckets only when empty", async () => {
    const { s3, state } = await serve();
    await s3.send(new CreateBucketCommand({ Bucket: "del" }));
    await s3.send(new CreateBucketCommand({ Bucket: "del" })); // idempotent
    await s3.send(new HeadBucketCommand({ Bucket: "del" }));
    for (const key of ["k1", "k2", "k3", "k4", "a&b<c>"]) await s3.send(new PutObjectCommand({ Bucket: "del", Key: key, Body: key }));
    await s3.send(new DeleteObjectCommand({ Bucket: "del", Key: "k1" }));
    await s3.send(new DeleteObjectCommand({ Bucket: "del", Key: "k1" })); // missing keys are fine
    expect(await state.r2("del").head("k1")).toBeNull();
    const loud = await s3.send(new DeleteObjectsCommand({ Bucket: "del", Delete: { Objects: [{ Key: "k2" }, { Key: "a&b<c>" }, { Key: "missing" }] } }));
    expect(loud.Deleted?.map((deleted) => deleted.Key)).toEqual(["k2", "a&b<c>", "missing"]);
    expect(loud.Errors).toBeUndefined();
    const quiet = await s3.send(new DeleteObjectsCommand({ Bucket: "del", Delete: { Quiet: true, Objects: [{ Key: "k3" }, { Key: "x".repeat(1100) }] } }));
    expect(quiet.Deleted).toBeUndefined();
    expect(quiet.Errors?.map((error) => error.Code)).toEqual(["KeyTooLongError"]);
    expect((await state.r2("del").list()).objects.map((object) => object.key)).toEqual(["k4"]);

    const notEmpty = await failure(s3.send(new DeleteBucketCommand({ Bucket: "del" })));
    expect([notEmpty.name, notEmpty.$metadata.httpStatusCode]).toEqual(["BucketNotEmpty", 409]);
    await s3.send(new DeleteObjectCommand({ Bucket: "del", Key: "k4" }));
    await s3.send(new DeleteBucketCommand({ Bucket: "del" }));
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((bucket) => bucket.Name)).toContain("del");
  });

  it("uploads in parts: Create/UploadPart/Complete with R2's etag, lib-storage Upload, abort, and part errors", async () => {
    const { s3, state } = await serve();
    const part1 = randomBytes(5 * MiB);
    const part2 = randomBytes(1000);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: "multi", Key: "video.bin", ContentType: "video/mp4", Metadata: { take: "1" } }));
    const first = await s3.send(new UploadPartCommand({ Bucket: "multi", Key: "video.bin", UploadId, PartNumber: 1, Body: part1 }));
    const second = await s3.send(new UploadPartCommand({ Bucket: "multi", Key: "video.bin", UploadId, PartNumber: 2, Body: part2 }));
    expect(first.ETag).toBe(`"${md5(part1)}"`);
    const disordered = await failure(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: "multi", Key: "video.bin", UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: second.ETag }, { PartNumber: 1, ETag: first.ETag }] } })),
    );
    expect(disordered.name).toBe("InvalidPartOrder");
    const wrongEtag = await failure(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: "multi", Key: "video.bin", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: first.ETag }, { PartNumber: 2, ETag: '"0123"' }] } })),
    );
    expect(wrongEtag.name).toBe("InvalidPart");
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: "multi", Key: "video.bin", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: first.ETag }, { PartNumber: 2, ETag: second.ETag }] } }),
    );
    const expectedEtag = `${md5(Buffer.concat([Buffer.from(md5(part1), "hex"), Buffer.from(md5(part2), "hex")]))}-2`;
    expect(done.ETag).toBe(`"${expectedEtag}"`);
    const object = await state.r2("multi").get("video.bin", { range: { offset: 5 * MiB - 2, length: 4 } });
    expect(object!.etag).toBe(expectedEtag);
    expect(object!.httpMetadata?.contentType).toBe("video/mp4");
    expect(object!.customMetadata).toEqual({ take: "1" });
    expect(Buffer.from(await (object as { arrayBuffer(): Promise<ArrayBuffer> }).arrayBuffer()).equals(Buffer.concat([part1.subarray(-2), part2.subarray(0, 2)]))).toBe(true);

    const small = await s3.send(new CreateMultipartUploadCommand({ Bucket: "multi", Key: "small" }));
    const a = await s3.send(new UploadPartCommand({ Bucket: "multi", Key: "small", UploadId: small.UploadId, PartNumber: 1, Body: "tiny" }));
    const b = await s3.send(new UploadPartCommand({ Bucket: "multi", Key: "small", UploadId: small.UploadId, PartNumber: 2, Body: "tiny" }));
    const tooSmall = await failure(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: "multi", Key: "small", UploadId: small.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: a.ETag }, { PartNumber: 2, ETag: b.ETag }] } })),
    );
    expect([tooSmall.name, tooSmall.$metadata.httpStatusCode]).toEqual(["EntityTooSmall", 400]);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: "multi", Key: "small", UploadId: small.UploadId }));
    const aborted = await failure(s3.send(new UploadPartCommand({ Bucket: "multi", Key: "small", UploadId: small.UploadId, PartNumber: 3, Body: "late" })));
    expect([aborted.name, aborted.$metadata.httpStatusCode]).toEqual(["NoSuchUpload", 404]);
    const badNumber = await failure(s3.send(new UploadPartCommand({ Bucket: "multi", Key: "small", UploadId: small.UploadId, PartNumber: 10001, Body: "x" })));
    expect(badNumber.name).toBe("InvalidArgument");

    const content = randomBytes(11 * MiB + 17);
    const upload = new Upload({ client: s3, params: { Bucket: "multi", Key: "managed.bin", Body: Readable.from([content.subarray(0, 3 * MiB), content.subarray(3 * MiB)]) }, partSize: 5 * MiB, queueSize: 2 });
    const uploaded = await upload.done();
    expect(uploaded.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    const managed = await state.r2("multi").get("managed.bin");
    expect(managed!.size).toBe(content.length);
    expect(md5(Buffer.from(await (managed as { arrayBuffer(): Promise<ArrayBuffer> }).arrayBuffer()))).toBe(md5(content));
  });

  it("copies objects across buckets with COPY and REPLACE metadata directives", async () => {
    const { s3, state } = await serve({ memory: true });
    await s3.send(new PutObjectCommand({ Bucket: "src", Key: "dir/orig name.txt", Body: "copied bytes", ContentType: "text/plain", Metadata: { a: "1" } }));
    const copied = await s3.send(new CopyObjectCommand({ Bucket: "dst", Key: "copy.txt", CopySource: "src/dir/orig%20name.txt" }));
    expect(copied.CopyObjectResult?.ETag).toBe(`"${md5("copied bytes")}"`);
    const copy = await state.r2("dst").get("copy.txt");
    expect(await (copy as { text(): Promise<string> }).text()).toBe("copied bytes");
    expect(copy!.httpMetadata?.contentType).toBe("text/plain");
    expect(copy!.customMetadata).toEqual({ a: "1" });
    await s3.send(new CopyObjectCommand({ Bucket: "dst", Key: "copy.txt", CopySource: "/dst/copy.txt", MetadataDirective: "REPLACE", ContentType: "text/markdown", Metadata: { b: "2" } }));
    const replaced = await state.r2("dst").head("copy.txt");
    expect([replaced!.httpMetadata?.contentType, replaced!.customMetadata]).toEqual(["text/markdown", { b: "2" }]);
    const toItself = await failure(s3.send(new CopyObjectCommand({ Bucket: "dst", Key: "copy.txt", CopySource: "dst/copy.txt" })));
    expect(toItself.name).toBe("InvalidRequest");
    const missing = await failure(s3.send(new CopyObjectCommand({ Bucket: "dst", Key: "x", CopySource: "src/nope" })));
    expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(["NoSuchKey", 404]);
    const unmet = await failure(s3.send(new CopyObjectCommand({ Bucket: "dst", Key: "x", CopySource: "src/dir/orig%20name.txt", CopySourceIfMatch: '"abc"' })));
    expect(unmet.$metadata.httpStatusCode).toBe(412);
  });

  it("reports S3 errors with codes, statuses and XML bodies", async () => {
    const { s3, server } = await serve({ memory: true });
    const missing = await failure(s3.send(new GetObjectCommand({ Bucket: "errs", Key: "nope" })));
    expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(["NoSuchKey", 404]);
    const headMissing = await failure(s3.send(new HeadObjectCommand({ Bucket: "errs", Key: "nope" })));
    expect([headMissing.name, headMissing.$metadata.httpStatusCode]).toEqual(["NotFound", 404]);
    const longKey = await failure(s3.send(new PutObjectCommand({ Bucket: "errs", Key: "k".repeat(1025), Body: "x" })));
    expect([longKey.name, longKey.$metadata.httpStatusCode]).toEqual(["KeyTooLongError", 400]);
    const badBucket = await failure(s3.send(new PutObjectCommand({ Bucket: "Bad_Bucket", Key: "k", Body: "x" })));
    expect([badBucket.name, badBucket.$metadata.httpStatusCode]).toEqual(["InvalidBucketName", 400]);
    const unknownUpload = await failure(s3.send(new AbortMultipartUploadCommand({ Bucket: "errs", Key: "k", UploadId: "not-an-upload" })));
    expect(unknownUpload.name).toBe("NoSuchUpload");

    const raw = await fetch(`${server.url}/errs/nope`);
    expect(raw.status).toBe(404);
    expect(raw.headers.get("content-type")).toBe("application/xml");
    const xml = await raw.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>nope<\/Key><Resource>\/errs\/nope<\/Resource><RequestId>[0-9A-F]{16}<\/RequestId><\/Error>$/);
    expect(xml).toContain(raw.headers.get("x-amz-request-id")!);
    const escaped = await (await fetch(`${server.url}/errs/${encodeURIComponent("<&>")}`)).text();
    expect(escaped).toContain("<Key>&lt;&amp;&gt;</Key>");

    const notAllowed = await fetch(`${server.url}/`, { method: "DELETE" });
    expect(notAllowed.status).toBe(405);
    expect(await notAllowed.text()).toContain("<Code>MethodNotAllowed</Code>");
    const notImplemented = await fetch(`${server.url}/errs/k?tagging`, { method: "PUT", body: "<Tagging/>" });
    expect(notImplemented.status).toBe(501);
    expect(await notImplemented.text()).toContain("<Message>cellar serve does not implement Tagging.</Message>");
    const listParts = await fetch(`${server.url}/errs/k?uploadId=u`);
    expect([listParts.status, (await listParts.text()).includes("ListParts")]).toEqual([501, true]);
    const noLength = await fetch(`${server.url}/errs/k`, { method: "PUT", body: Readable.toWeb(Readable.from([Buffer.from("abc")])) as ReadableStream, duplex: "half" } as RequestInit);
    expect(noLength.status).toBe(411);
    expect(await noLength.text()).toContain("<Code>MissingContentLength</Code>");
    const malformed = await fetch(`${server.url}/errs?delete`, { method: "POST", body: "<Delete><Object>" });
    expect([malformed.status, (await malformed.text()).includes("MalformedXML")]).toEqual([400, true]);
  });

  it("verifies checksums and Content-MD5; a mismatch leaves the stored object unchanged", async () => {
    const { s3, server, state } = await serve({ memory: true });
    await s3.send(new PutObjectCommand({ Bucket: "sums", Key: "k", Body: "original" }));
    const wrongCrc = await failure(s3.send(new PutObjectCommand({ Bucket: "sums", Key: "k", Body: "replacement", ChecksumCRC32: "AAAAAA==" })));
    expect([wrongCrc.name, wrongCrc.$metadata.httpStatusCode]).toEqual(["BadDigest", 400]);
    const wrongSha = await failure(s3.send(new PutObjectCommand({ Bucket: "sums", Key: "k", Body: "replacement", ChecksumSHA256: createHash("sha256").update("other").digest("base64") })));
    expect(wrongSha.name).toBe("BadDigest");
    const wrongMd5 = await failure(s3.send(new PutObjectCommand({ Bucket: "sums", Key: "k", Body: "replacement", ContentMD5: createHash("md5").update("other").digest("base64") })));
    expect(wrongMd5.name).toBe("BadDigest");
    expect(await (await state.r2("sums").get("k") as { text(): Promise<string> }).text()).toBe("original");

    const sha256 = createHash("sha256").update("replacement").digest("base64");
    const good = await s3.send(new PutObjectCommand({ Bucket: "sums", Key: "k", Body: "replacement", ChecksumSHA256: sha256, ContentMD5: createHash("md5").update("replacement").digest("base64") }));
    expect(good.ChecksumSHA256).toBe(sha256);
    const crc32c = await s3.send(new PutObjectCommand({ Bucket: "sums", Key: "c", Body: "123456789", ChecksumAlgorithm: "CRC32C" }));
    expect(crc32c.ChecksumCRC32C).toBe(Buffer.from("e3069283", "hex").toString("base64"));

    // A streamed body whose CRC32 trailer is wrong, and a payload hash that does not match.
    const body = "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
    const chunked = await fetch(`${server.url}/sums/k`, {
      method: "PUT",
      headers: { "content-encoding": "aws-chunked", "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-decoded-content-length": "3", "x-amz-trailer": "x-amz-checksum-crc32" },
      body,
    });
    expect([chunked.status, (await chunked.text()).includes("BadDigest")]).toEqual([400, true]);
    const payloadHash = await fetch(`${server.url}/sums/k`, { method: "PUT", headers: { "x-amz-content-sha256": createHash("sha256").update("x").digest("hex") }, body: "y" });
    expect([payloadHash.status, (await payloadHash.text()).includes("XAmzContentSHA256Mismatch")]).toEqual([400, true]);
    expect(await (await state.r2("sums").get("k") as { text(): Promise<string> }).text()).toBe("replacement");
    // The same chunked body with the right trailer is stored decoded.
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE((await import("node:zlib")).crc32("abc"));
    const ok = await fetch(`${server.url}/sums/k`, {
      method: "PUT",
      headers: { "content-encoding": "aws-chunked,gzip", "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-decoded-content-length": "3", "x-amz-trailer": "x-amz-checksum-crc32" },
      body: body.replace("AAAAAA==", crc.toString("base64")),
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-amz-checksum-crc32")).toBe(crc.toString("base64"));
    const stored = await state.r2("sums").get("k");
    expect(await (stored as { text(): Promise<string> }).text()).toBe("abc");
    expect(stored!.httpMetadata?.contentEncoding).toBe("gzip");
  });

  it("serves the same API under /cdn-cgi/local/r2/s3", async () => {
    const { client, server, state } = await serve({ memory: true, s3Credentials: { accessKeyId: "key", secretAccessKey: "secret" } });
    const s3 = client({ endpoint: `${server.url}/cdn-cgi/local/r2/s3` });
    await s3.send(new PutObjectCommand({ Bucket: "mounted", Key: "a/b c.txt", Body: "mounted" }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: "mounted", Key: "a/b c.txt" }))).Body!.transformToString()).toBe("mounted");
    expect((await s3.send(new ListObjectsV2Command({ Bucket: "mounted" }))).Contents?.map((object) => object.Key)).toEqual(["a/b c.txt"]);
    expect(await state.r2("mounted").head("a/b c.txt")).not.toBeNull();
  });

  it("enforces SigV4 when credentials are set: right keys pass (headers, streams, presigned), wrong ones fail", async () => {
    const credentials = { accessKeyId: "AKIDCELLAR", secretAccessKey: "s3cr3t" };
    const { s3, client, server } = await serve({ memory: true, s3Credentials: credentials });
    await s3.send(new PutObjectCommand({ Bucket: "auth", Key: "x y/ü+?.txt", Body: "signed" }));
    await s3.send(new PutObjectCommand({ Bucket: "auth", Key: "streamed", Body: Readable.from([Buffer.from("a"), Buffer.from("bc")]), ContentLength: 3 }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: "auth", Key: "x y/ü+?.txt" }))).Body!.transformToString()).toBe("signed");
    expect((await s3.send(new ListObjectsV2Command({ Bucket: "auth", Prefix: "x y/", Delimiter: "/" }))).KeyCount).toBe(1);
    await s3.send(new DeleteObjectsCommand({ Bucket: "auth", Delete: { Objects: [{ Key: "streamed" }] } }));

    const wrongSecret = await failure(client({ secretAccessKey: "wrong" }).send(new GetObjectCommand({ Bucket: "auth", Key: "x y/ü+?.txt" })));
    expect([wrongSecret.name, wrongSecret.$metadata.httpStatusCode]).toEqual(["SignatureDoesNotMatch", 403]);
    const wrongKey = await failure(client({ accessKeyId: "OTHER" }).send(new ListBucketsCommand({})));
    expect([wrongKey.name, wrongKey.$metadata.httpStatusCode]).toEqual(["InvalidAccessKeyId", 403]);
    const unsigned = await fetch(`${server.url}/auth/x%20y/%C3%BC%2B%3F.txt`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain("<Code>AccessDenied</Code>");

    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: "auth", Key: "x y/ü+?.txt" }), { expiresIn: 60 });
    expect(await (await fetch(url)).text()).toBe("signed");
    const tampered = await fetch(url.replace("X-Amz-Expires=60", "X-Amz-Expires=61"));
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain("SignatureDoesNotMatch");
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: "auth", Key: "presigned-put" }), { expiresIn: 60 });
    expect((await fetch(putUrl, { method: "PUT", body: "uploaded with a URL" })).status).toBe(200);
    expect(await (await s3.send(new GetObjectCommand({ Bucket: "auth", Key: "presigned-put" }))).Body!.transformToString()).toBe("uploaded with a URL");
  });

  it("refuses presigned URLs after X-Amz-Expires by the server's clock, even without credentials", async () => {
    let now = Date.now();
    const { s3 } = await serve({ memory: true, clock: { now: () => now } });
    await s3.send(new PutObjectCommand({ Bucket: "presign", Key: "k", Body: "v" }));
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: "presign", Key: "k" }), { expiresIn: 30 });
    expect(await (await fetch(url)).text()).toBe("v");
    now += 31_000;
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    const text = await expired.text();
    expect(text).toContain("<Code>AccessDenied</Code>");
    expect(text).toContain("<Message>Request has expired</Message>");
  });

  it("decodes signed aws-chunked bodies and rejects a bad chunk signature", async () => {
    const credentials = { accessKeyId: "AKID", secretAccessKey: "secret" };
    const { server, state } = await serve({ memory: true, s3Credentials: credentials });
    const { signedChunkedPut } = await import("./support/serve-sigv4-chunked.ts");
    const chunks = [Buffer.from("hello "), Buffer.from("chunked "), Buffer.from("world")];
    const ok = await signedChunkedPut({ url: `${server.url}/chunks/signed.txt`, credentials, chunks });
    expect(ok.status).toBe(200);
    expect(await (await state.r2("chunks").get("signed.txt") as { text(): Promise<string> }).text()).toBe("hello chunked world");
    const tampered = await signedChunkedPut({ url: `${server.url}/chunks/signed.txt`, credentials, chunks, tamper: true });
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain("SignatureDoesNotMatch");
    expect(await (await state.r2("chunks").get("signed.txt") as { text(): Promise<string> }).text()).toBe("hello chunked world");
  });
});

