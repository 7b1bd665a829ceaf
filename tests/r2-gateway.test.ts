import { createHash } from "node:crypto";
import type { BlobStore } from "@cellar/blob-store";
import { createMemoryBlobStore } from "@cellar/blob-store-memory";
import type { SqlDatabase } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { createR2Bucket, FixedLengthStream, R2IntegrityError, type R2BucketOptions } from "@cellar/r2";
import { describe, expect, it } from "vitest";
import { countBlobs } from "./support/backends.ts";
import { readR2Rows, recordingReads } from "./support/r2-fixtures.ts";

/**
 * The gateway's own guarantees, beyond the API the conformance suite drives: the write
 * protocol's ordering against `flush()`, blob clean-up on failures, streaming with flat memory,
 * concurrency, and loud failures on lost blobs.
 */

/** A database whose `flush` and `transaction` are observed (and can be made to fail). */
function observedDatabase(db: SqlDatabase, events: string[], control: { failCommits: boolean }): SqlDatabase {
  return new Proxy(db, {
    get(target, property) {
      if (property === "flush") {
        return async () => {
          events.push("flush:start");
          await new Promise((resolve) => setTimeout(resolve, 5));
          await target.flush();
          events.push("flush:end");
        };
      }
      if (property === "transaction") {
        return <T>(fn: () => T): T => {
          if (control.failCommits) throw new Error("disk I/O error");
          const result = target.transaction(fn);
          events.push("commit");
          return result;
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A blob store whose puts and deletes are observed. */
function observedBlobs(blobs: BlobStore, events: string[], control: { failDeletes?: boolean } = {}): BlobStore {
  return {
    ...recordingReads(blobs, []),
    put: async (body, options) => {
      const id = await blobs.put(body, options);
      events.push("blob:put");
      return id;
    },
    delete: async (id) => {
      events.push("blob:delete");
      if (control.failDeletes) throw new Error("EPERM");
      await blobs.delete(id);
    },
  };
}

function openBucket(options: Partial<R2BucketOptions> & { events?: string[]; failCommits?: { failCommits: boolean }; failDeletes?: boolean } = {}) {
  const events = options.events ?? [];
  const metadata = createSqliteEngine().open(":memory:");
  const memory = createMemoryBlobStore();
  const blobs = observedBlobs(memory, events, { failDeletes: options.failDeletes });
  const control = options.failCommits ?? { failCommits: false };
  const bucket = createR2Bucket({ name: "bucket", ...options, metadata: observedDatabase(metadata, events, control), blobs });
  return { bucket, metadata, memory, events, control, blobCount: async () => (await bucket.idle(), countBlobs({ blobs: memory, blobDirectory: undefined })) };
}

function md5(bytes: Uint8Array | string): string {
  return createHash("md5").update(bytes).digest("hex");
}

describe("r2 write protocol", () => {
  it("resolves a put only after flush, and deletes the replaced blob only after that", async () => {
    const { bucket, events } = openBucket();
    await bucket.put("key", "old");
    events.length = 0;
    await bucket.put("key", "new");
    expect(events, "the put resolved after flush").toContain("flush:end");
    await bucket.idle();
    expect(events).toEqual(["blob:put", "commit", "flush:start", "flush:end", "blob:delete"]);
  });

  it("resolves deletes, completes and aborts after flush, deleting blobs only then", async () => {
    const { bucket, events } = openBucket({ limits: { minPartSize: 1 } });
    const upload = await bucket.createMultipartUpload("m");
    const part = await upload.uploadPart(1, "a");
    await upload.uploadPart(2, "unused");
    events.length = 0;
    await upload.complete([part]);
    await bucket.idle();
    expect(events).toEqual(["commit", "flush:start", "flush:end", "blob:delete"]);
    events.length = 0;
    await bucket.delete("m");
    await bucket.idle();
    expect(events).toEqual(["commit", "flush:start", "flush:end", "blob:delete"]);
  });

  it("deletes the new blob when the commit fails, keeping the old object", async () => {
    const { bucket, control, blobCount } = openBucket();
    await bucket.put("key", "old");
    control.failCommits = true;
    await expect(bucket.put("key", "new")).rejects.toThrow("disk I/O error");
    const upload = bucket.resumeMultipartUpload("key", "id");
    await expect(upload.uploadPart(1, "part")).rejects.toThrow("(10024)");
    control.failCommits = false;
    expect(await blobCount()).toBe(1);
    expect(await (await bucket.get("key"))!.text()).toBe("old");
  });

  it("logs a blob it could not delete instead of failing the write, and the sweep collects it later", async () => {
    const warnings: string[] = [];
    const { bucket, memory } = openBucket({ failDeletes: true, logger: { warn: (message) => warnings.push(message) } });
    await bucket.put("key", "old");
    await expect(bucket.put("key", "new")).resolves.toMatchObject({ etag: md5("new") });
    await bucket.idle();
    expect(warnings).toEqual([expect.stringContaining("could not delete blob")]);
    expect(await countBlobs({ blobs: memory, blobDirectory: undefined })).toBe(2);
  });

  it("refuses calls once closed, after finishing writes in flight", async () => {
    const { bucket } = openBucket();
    const writing = bucket.put("key", "value");
    await bucket.close();
    await expect(writing).resolves.toBeTruthy();
    await expect(bucket.put("other", "v")).rejects.toThrow('R2 bucket "bucket" is closed');
    await expect(bucket.head("key")).rejects.toThrow("is closed");
  });
});

describe("r2 streaming", () => {
  it("streams a put into the blob store chunk by chunk, hashing on the way", async () => {
    const chunk = new Uint8Array(64 * 1024).map((_, index) => index & 0xff);
    const total = 200;
    let produced = 0;
    const pulledWhenStoreStarted: number[] = [];
    const memory = createMemoryBlobStore();
    const blobs: BlobStore = {
      ...recordingReads(memory, []),
      put: (body, options) => {
        if (!(body instanceof ReadableStream)) return memory.put(body, options);
        const reader = body.getReader();
        const observed = new ReadableStream<Uint8Array>({
          async pull(controller) {
            const { done, value } = await reader.read();
            if (done) return controller.close();
            pulledWhenStoreStarted.push(produced);
            controller.enqueue(value);
          },
        });
        return memory.put(observed, options);
      },
    };
    const bucket = createR2Bucket({ metadata: createSqliteEngine().open(":memory:"), blobs });
    const source = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (produced === total) return controller.close();
          produced += 1;
          controller.enqueue(chunk.slice());
        },
      },
      { highWaterMark: 0 },
    );
    const object = await bucket.put("big", source.pipeThrough(new FixedLengthStream(total * chunk.byteLength)), { sha256: createHash("sha256").update(Buffer.concat(Array.from({ length: total }, () => chunk))).digest("hex") });
    expect(object.size).toBe(total * chunk.byteLength);
    expect(pulledWhenStoreStarted).toHaveLength(total);
    // The store saw chunk n while the source had produced only a few more: nothing was buffered whole.
    pulledWhenStoreStarted.forEach((pulled, index) => expect(pulled - (index + 1), `chunk ${index}`).toBeLessThanOrEqual(3));
    const whole = Buffer.concat(Array.from({ length: total }, () => chunk));
    expect(object.etag).toBe(md5(whole));
  });

  it("streams a get without reading the whole object first", async () => {
    const { bucket } = openBucket();
    const size = 4 * 1024 * 1024;
    await bucket.put("big", new Uint8Array(size).fill(7));
    const object = await bucket.get("big");
    const reader = object!.body.getReader();
    const first = await reader.read();
    expect(first.value!.byteLength).toBeLessThan(size);
    await reader.cancel();
  });
});

describe("r2 concurrency and integrity", () => {
  it("lets the put called last win among parallel puts to one key, keeping one blob", async () => {
    const { bucket, blobCount, metadata } = openBucket();
    // The first puts stream slowly: they finish storing their bodies last, yet commit first.
    const slow = (text: string, delayMs: number) => {
      const bytes = new TextEncoder().encode(text);
      const source = new ReadableStream<Uint8Array>({
        async pull(controller) {
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          controller.enqueue(bytes);
          controller.close();
        },
      });
      return source.pipeThrough(new FixedLengthStream(bytes.byteLength));
    };
    const values = Array.from({ length: 20 }, (_, index) => `value ${index}`);
    await Promise.all(values.map((value, index) => bucket.put("key", slow(value, 40 - 2 * index))));
    expect(await blobCount()).toBe(1);
    expect(await (await bucket.get("key"))!.text()).toBe("value 19");
    expect(readR2Rows({ metadata }).objects()[0]!.etag).toBe(md5("value 19"));
    await Promise.all([bucket.delete("key"), bucket.put("key", "after the delete")]);
    expect(await (await bucket.get("key"))!.text()).toBe("after the delete");
  });

  it("keeps one blob per part number after parallel uploads of the same part", async () => {
    const { bucket, blobCount } = openBucket();
    const upload = await bucket.createMultipartUpload("m");
    const parts = await Promise.all(Array.from({ length: 10 }, (_, index) => upload.uploadPart(1, `part ${index}`)));
    expect(await blobCount()).toBe(1);
    const winners = await Promise.all(parts.map((part) => upload.complete([part]).then(() => part, () => undefined)));
    expect(winners.filter(Boolean)).toHaveLength(1);
  });

  it("fails loudly when an object's blob is missing, keeping the row", async () => {
    const { bucket, metadata, memory } = openBucket({ limits: { minPartSize: 1 } });
    await bucket.put("lost", "value");
    await memory.delete(readR2Rows({ metadata }).objects()[0]!.blob_id!);
    const error = await bucket.get("lost").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(R2IntegrityError);
    expect(error).toMatchObject({ code: "ERR_R2_BLOB_MISSING", key: "lost" });
    expect(await bucket.head("lost")).not.toBeNull();
    const upload = await bucket.createMultipartUpload("multi");
    await upload.complete([await upload.uploadPart(1, "a"), await upload.uploadPart(2, "b")]);
    await memory.delete(readR2Rows({ metadata }).parts()[1]!.blob_id);
    await expect((await bucket.get("multi"))!.text()).rejects.toBeInstanceOf(R2IntegrityError);
    await bucket.put("lost", "repaired");
    expect(await (await bucket.get("lost"))!.text()).toBe("repaired");
  });
});
