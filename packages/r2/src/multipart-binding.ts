import { toBindingInt, toBindingString } from "./binding-values.js";
import type { BucketStore } from "./bucket-store.js";
import type { SelectedPart } from "./complete-checks.js";
import { abortUpload, completeUpload, uploadPart } from "./multipart-writes.js";
import type { MultipartOperations } from "./multipart-upload.js";
import { discardBody, requireKnownLength, toPutBody, type PutBody } from "./put-body.js";
import { r2Error } from "./r2-errors.js";
import { CellarR2Object } from "./r2-object.js";
import type { R2Object, R2UploadedPart } from "./r2-types.js";
import { validateKey } from "./validate-key.js";
import { checkSsecKey, optionsObject } from "./write-options.js";

/**
 * The binding half of multipart uploads: converts and checks arguments as the Workers binding
 * (binding checks throw `TypeError`) and the service (`<op>: … (<code>)`) do, then hands them to
 * the store.
 */
export class MultipartBinding implements MultipartOperations {
  readonly #store: BucketStore;
  readonly #assertOpen: () => void;

  constructor(store: BucketStore, assertOpen: () => void) {
    this.#store = store;
    this.#assertOpen = assertOpen;
  }

  async uploadPart(key: string, uploadId: string, rawPartNumber: unknown, rawValue: unknown, rawOptions: unknown): Promise<R2UploadedPart> {
    this.#assertOpen();
    const partNumber = toBindingInt(rawPartNumber);
    let body: PutBody | undefined;
    try {
      body = toPutBody(rawValue, { method: "uploadPart", className: "R2MultipartUpload", nullable: false });
      checkSsecKey(optionsObject(rawOptions, "uploadPart").ssecKey);
      checkPartNumber(partNumber, this.#store.limits.maxPartNumber);
      const sized = requireKnownLength(body);
      validateKey("uploadPart", key, this.#store.limits);
      // Checked before a byte is stored (spec R8, and R2 for put).
      if (sized.length > this.#store.limits.maxUploadSize) throw r2Error("uploadPart", "entityTooLarge");
      const etag = await this.#store.track(uploadPart(this.#store, key, uploadId, partNumber, sized));
      return { partNumber, etag };
    } catch (error) {
      discardBody(body, error);
      throw error;
    }
  }

  async complete(key: string, uploadId: string, rawParts: unknown): Promise<R2Object> {
    this.#assertOpen();
    if (!Array.isArray(rawParts)) throw new TypeError("complete() takes an array of uploaded parts");
    const parts: SelectedPart[] = rawParts.map((part: unknown) => {
      if (typeof part !== "object" || part === null) throw new TypeError("Each uploaded part must be an object with partNumber and etag");
      const { partNumber, etag } = part as Record<string, unknown>;
      return { partNumber: toBindingInt(partNumber), etag: toBindingString(etag) };
    });
    for (const { partNumber } of parts) checkPartNumber(partNumber, this.#store.limits.maxPartNumber);
    validateKey("completeMultipartUpload", key, this.#store.limits);
    const record = await this.#store.track(completeUpload(this.#store, key, uploadId, parts));
    return new CellarR2Object(record);
  }

  async abort(key: string, uploadId: string): Promise<void> {
    this.#assertOpen();
    validateKey("abortMultipartUpload", key, this.#store.limits);
    await this.#store.track(abortUpload(this.#store, key, uploadId));
  }
}

/** @throws {TypeError} for a part number outside 1-10000, in the runtime's words */
function checkPartNumber(partNumber: number, max: number): void {
  if (partNumber < 1 || partNumber > max) {
    throw new TypeError(`Part number must be between 1 and ${max} (inclusive). Actual value was: ${partNumber}`);
  }
}
