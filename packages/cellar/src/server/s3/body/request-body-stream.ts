import type { IncomingMessage } from "node:http";

/** Chunks buffered ahead of the reader before the socket is paused. */
const BUFFERED_CHUNKS = 4;

/**
 * A request body as a web stream, with backpressure. Unlike `Readable.toWeb`, cancelling it
 * (as R2 does with a body it refuses before reading) drains the rest of the body instead of
 * destroying the socket, so the client can still read the error response.
 */
export function requestBodyStream(request: IncomingMessage): ReadableStream<Uint8Array> {
  // Set once the stream is closed, errored or cancelled: later request events have nothing to tell it.
  let settled = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        request.on("data", (chunk: Buffer) => {
          if (settled) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) request.pause();
        });
        request.once("end", () => {
          if (settled) return;
          settled = true;
          controller.close();
        });
        request.once("error", (error) => {
          if (settled) return;
          settled = true;
          controller.error(error);
        });
        request.once("close", () => {
          if (settled || request.complete) return;
          settled = true;
          controller.error(new Error("The client closed the connection before sending the whole body."));
        });
        request.pause();
      },
      pull() {
        request.resume();
      },
      cancel() {
        settled = true;
        request.resume();
      },
    },
    new CountQueuingStrategy({ highWaterMark: BUFFERED_CHUNKS }),
  );
}
