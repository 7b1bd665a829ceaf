import { close, fstat, fsync, open, read, rename, unlink, write } from "node:fs";
import { promisify } from "node:util";

/*
 * Promise forms of the callback `fs` calls, for the small-blob fast paths. For a 100-byte blob
 * the per-call cost dominates, and plain file descriptors skip the `FileHandle` bookkeeping of
 * `fs/promises`. Only code that closes the descriptor before it returns uses these; streams
 * that outlive a call use a `FileHandle`, which the garbage collector closes if a caller
 * drops the stream.
 */

export const openFd = promisify(open);
export const closeFd = promisify(close);
export const fstatFd = promisify(fstat);
export const fsyncFd = promisify(fsync);
export const renameFile = promisify(rename);
export const unlinkFile = promisify(unlink);

/** Writes all of `bytes` at the current position, looping over short writes. */
export async function writeAllToFd(fd: number, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    offset += await new Promise<number>((resolve, reject) =>
      write(fd, bytes, offset, bytes.byteLength - offset, null, (error, written) => (error ? reject(error) : resolve(written))),
    );
  }
}

/** Reads exactly `length` bytes at `position` into a new buffer; fails if the file ends first. */
export async function readExactlyFromFd(fd: number, length: number, position: number): Promise<Uint8Array> {
  // Unpooled memory: a pooled Buffer would expose unrelated data through `.buffer`.
  const bytes = new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
  let offset = 0;
  while (offset < length) {
    const bytesRead = await new Promise<number>((resolve, reject) =>
      read(fd, bytes, offset, length - offset, position + offset, (error, count) => (error ? reject(error) : resolve(count))),
    );
    if (bytesRead === 0) throw new Error(`File ended after ${offset} of ${length} bytes`);
    offset += bytesRead;
  }
  return bytes;
}
