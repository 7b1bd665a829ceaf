/**
 * Runs `run` and captures what it rejects (or throws) with; `undefined` when it settles normally.
 * The `expect…Error` helpers of the gateway suites build their assertions on it, so a helper can
 * tell "resolved" from "rejected with undefined".
 */
export async function captureRejection(run: () => unknown): Promise<{ error: unknown } | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return { error };
  }
}
