import type { Readable, Writable } from "node:stream";

/** Where a command writes; the real process streams, or captures in tests. */
export interface CliIo {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  /** Ends a long-running command (`serve`); without it, SIGINT or SIGTERM does. */
  readonly stopSignal?: AbortSignal;
  /** What `--file -` reads. */
  readonly stdin?: Readable;
}

/** Writes text and waits until the stream has taken it (so large outputs are not cut at exit). */
export function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/** Machine-readable output: one JSON document and a newline. */
export function writeJson(io: CliIo, value: unknown): Promise<void> {
  return write(io.stdout, `${JSON.stringify(value, null, 2)}\n`);
}

const MIB = 1024 * 1024;

/** Files at least this large show progress on stderr when it is a terminal. */
export const PROGRESS_THRESHOLD_BYTES = 8 * MIB;

function formatBytes(bytes: number): string {
  return bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${bytes} B`;
}

/**
 * A progress line on stderr, redrawn at most ten times a second, for transfers of at least
 * {@link PROGRESS_THRESHOLD_BYTES} when stderr is a terminal; a no-op otherwise.
 */
export function createProgress(io: CliIo, label: string, total: number): { advance(bytes: number): void; done(): void } {
  if (!io.stderr.isTTY || total < PROGRESS_THRESHOLD_BYTES) return { advance() {}, done() {} };
  let seen = 0;
  let drawnAt = 0;
  const draw = (): void => {
    io.stderr.write(`\r${label}: ${formatBytes(seen)} / ${formatBytes(total)} (${Math.floor((seen / total) * 100)}%)`);
  };
  return {
    advance(bytes) {
      seen += bytes;
      const now = Date.now();
      if (now - drawnAt >= 100) {
        drawnAt = now;
        draw();
      }
    },
    done() {
      draw();
      io.stderr.write("\n");
    },
  };
}

/** A pass-through stream that reports the bytes going through it. */
export function countingStream(onChunk: (bytes: number) => void): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    transform(chunk, controller) {
      onChunk(chunk.byteLength);
      controller.enqueue(chunk);
    },
  });
}
