import { expect } from "vitest";

/** Expects `run` to reject with a `TypeError` whose message is exactly `message`, as the Workers runtime throws. */
export async function expectCacheTypeError(run: () => unknown, message: string): Promise<void> {
  let outcome: { error: unknown } | undefined;
  try {
    await run();
  } catch (error) {
    outcome = { error };
  }
  expect(outcome, `expected a TypeError "${message}", but it resolved`).toBeDefined();
  expect(outcome!.error).toBeInstanceOf(TypeError);
  expect((outcome!.error as Error).message).toBe(message);
}

/** Expects a hit: a response with `CF-Cache-Status: HIT`; returns it. */
export function expectHit(response: Response | undefined, label = "match"): Response {
  expect(response, `${label} should hit`).toBeDefined();
  expect(response!.headers.get("CF-Cache-Status"), `${label}: CF-Cache-Status`).toBe("HIT");
  return response!;
}

/** Expects a hit with `status` and exactly `body` as text; returns the response's headers. */
export async function expectHitWithBody(response: Response | undefined, body: string, status = 200): Promise<Headers> {
  const hit = expectHit(response);
  expect(hit.status).toBe(status);
  expect(await hit.text()).toBe(body);
  return hit.headers;
}

/**
 * Expects `actual` to hold exactly `expected`'s bytes. Compares with `Buffer.equals`: vitest's
 * deep equality walks typed arrays element by element, which takes seconds on large bodies.
 */
export function expectSameBytes(actual: Uint8Array | ArrayBuffer, expected: Uint8Array, label = "bytes"): void {
  const bytes = actual instanceof Uint8Array ? actual : new Uint8Array(actual);
  expect(bytes.byteLength, `${label}: length`).toBe(expected.byteLength);
  const same = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(
    Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength),
  );
  if (!same) {
    const index = bytes.findIndex((byte, i) => byte !== expected[i]);
    expect.fail(`${label}: byte ${index} is ${bytes[index]}, expected ${expected[index]}`);
  }
}
