import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { OperationError } from "./cli-errors.js";

/** An input to stream from, of known size; `dispose` removes anything made to read it. */
export interface CommandInput {
  readonly size: number;
  stream(): ReadableStream<Uint8Array>;
  /** A Node stream of the same bytes, for consumers that take one (SQL import). */
  nodeStream(): Readable;
  dispose(): Promise<void>;
}

/** The path that means standard input in `--file`. */
export const STDIN_PATH = "-";

/** A file to read, checked up front so a missing file is a clear error, not a stream failure half-way. */
async function openFile(path: string, dispose: () => Promise<void> = async () => undefined): Promise<CommandInput> {
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
  return {
    size,
    stream: () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>,
    nodeStream: () => createReadStream(path),
    dispose,
  };
}

/**
 * `--file <path>`, or `--file -` for standard input. R2 and KV need a body's length before it
 * is stored, and a pipe has none, so standard input is first spooled to a temporary file (memory
 * stays flat whatever its size), which `dispose` removes.
 */
export async function openInput(path: string, stdin: Readable | undefined): Promise<CommandInput> {
  if (path !== STDIN_PATH) return openFile(path);
  if (stdin === undefined) throw new OperationError("standard input is not available", "ERR_NO_STDIN");
  const directory = await mkdtemp(join(tmpdir(), "cellar-stdin-"));
  const removeSpool = () => rm(directory, { recursive: true, force: true });
  try {
    const spool = join(directory, "input");
    await pipeline(stdin, createWriteStream(spool));
    return await openFile(spool, removeSpool);
  } catch (error) {
    await removeSpool();
    throw error;
  }
}
