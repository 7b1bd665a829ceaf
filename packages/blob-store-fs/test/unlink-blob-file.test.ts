import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const unlinkFile = vi.fn<(path: string) => Promise<void>>();
const chmod = vi.fn<(path: string, mode: number) => Promise<void>>();
vi.mock("../src/fd-io.ts", () => ({ unlinkFile }));
vi.mock("node:fs/promises", async (importOriginal) => ({ ...(await importOriginal<typeof import("node:fs/promises")>()), chmod }));

const { unlinkBlobFile } = await import("../src/unlink-blob-file.ts");

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

describe("unlinkBlobFile (Windows behaviours, simulated)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "performance"] });
    unlinkFile.mockReset();
    chmod.mockReset().mockResolvedValue(undefined);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reports a missing file as not deleted", async () => {
    unlinkFile.mockRejectedValue(errno("ENOENT"));
    await expect(unlinkBlobFile("/x")).resolves.toBe(false);
  });

  it("retries EBUSY every 50 ms until the file can go", async () => {
    unlinkFile.mockRejectedValueOnce(errno("EBUSY")).mockRejectedValueOnce(errno("EBUSY")).mockResolvedValueOnce(undefined);
    const result = unlinkBlobFile("/x");
    await vi.advanceTimersByTimeAsync(100);
    await expect(result).resolves.toBe(true);
    expect(unlinkFile).toHaveBeenCalledTimes(3);
  });

  it("makes a read-only file writable on EPERM, then unlinks it", async () => {
    unlinkFile.mockRejectedValueOnce(errno("EPERM")).mockResolvedValueOnce(undefined);
    await expect(unlinkBlobFile("/x")).resolves.toBe(true);
    expect(chmod).toHaveBeenCalledWith("/x", 0o644);
  });

  it("gives up after 2 seconds with the last error", async () => {
    unlinkFile.mockRejectedValue(errno("EBUSY"));
    const result = unlinkBlobFile("/x").then(
      () => "resolved",
      (error: NodeJS.ErrnoException) => error.code,
    );
    await vi.advanceTimersByTimeAsync(2100);
    await expect(result).resolves.toBe("EBUSY");
    expect(unlinkFile.mock.calls.length).toBeGreaterThanOrEqual(40);
  });

  it("does not retry other errors", async () => {
    unlinkFile.mockRejectedValue(errno("EACCES"));
    await expect(unlinkBlobFile("/x")).rejects.toMatchObject({ code: "EACCES" });
    expect(unlinkFile).toHaveBeenCalledTimes(1);
  });
});
