import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { OperationError } from "./cli-errors.js";

/** A file to read, checked up front so a missing file is a clear error, not a stream failure half-way. */
export async function openInputFile(path: string): Promise<{ size: number; stream(): ReadableStream<Uint8Array> }> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new OperationError(`${path} is not a file`, "ERR_NOT_A_FILE");
    size = info.size;
  } catch (error) {
    if (error instanceof OperationError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new OperationError(code === "ENOENT" ? `cannot read ${path}: no such file` : `cannot read ${path}: ${(error as Error).message}`, code ?? "ERR_READ");
  }
  return { size, stream: () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array> };
}
