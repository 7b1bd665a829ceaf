/** What a test stream reports about how its consumer treated it. */
export interface StreamProbe {
  /** Whether the consumer cancelled the stream. */
  readonly cancelled: boolean;
  /** How many chunks the consumer pulled. */
  readonly pulls: number;
}

/**
 * A pull-based stream of `chunks`, then optionally an error or a stall, that records whether its
 * consumer cancelled it. Stalling models a network source that stops sending.
 */
export function probedStream(
  chunks: readonly Uint8Array[],
  end: { readonly error?: unknown; readonly stall?: boolean } = {},
): { stream: ReadableStream<Uint8Array>; probe: StreamProbe } {
  const probe = { cancelled: false, pulls: 0 };
  let index = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        probe.pulls += 1;
        const chunk = chunks[index++];
        if (chunk !== undefined) {
          controller.enqueue(chunk);
          return;
        }
        if (end.stall) return new Promise<void>(() => {});
        if (end.error !== undefined) {
          controller.error(end.error);
          return;
        }
        controller.close();
      },
      cancel() {
        probe.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, probe };
}

/** A stream of `chunks` that then closes. */
export function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  return probedStream(chunks).stream;
}

/** Resolves after `ms` milliseconds of real time. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
