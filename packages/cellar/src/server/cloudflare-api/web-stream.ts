import type { Readable } from "node:stream";

/** How much a body stream reads ahead of the store consuming it. */
const READ_AHEAD_BYTES = 64 * 1024;

/** A Node stream seen as a web stream, and the way to let the rest of it go by unread. */
export interface WebBody {
  readonly stream: ReadableStream<Uint8Array>;
  /** Stops handing data over and drains the source; for when the consumer gave up on it. */
  discard(): void;
}

/**
 * A web `ReadableStream` over a Node stream (a request body, a multipart part), with backpressure.
 *
 * Unlike `Readable.toWeb`, cancelling it (or `discard()`) does not destroy the source: it drains
 * it. A store that refuses a value early cancels the stream, and destroying a request would cut
 * the connection the error is to be answered on; destroying a busboy part would stall the parser
 * for good.
 */
export function toWebStream(source: Readable): WebBody {
  let discarded = false;
  const discard = (): void => {
    discarded = true;
    source.resume();
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        source.on("data", (chunk: Buffer) => {
          if (discarded) return;
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) source.pause();
        });
        source.once("end", () => {
          if (!discarded) controller.close();
        });
        source.once("error", (error) => {
          if (!discarded) controller.error(error);
        });
        source.pause();
      },
      pull() {
        source.resume();
      },
      cancel: discard,
    },
    { highWaterMark: READ_AHEAD_BYTES, size: (chunk) => chunk.byteLength },
  );
  return { stream, discard };
}

/** A stream over chunks already in memory, handed over without concatenating them into one copy. */
export function chunksToWebStream(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
}
