import { InvalidBlobIdError } from "@cellar/blob-store";
import { it, expect } from "vitest";
it("resolves workspace sources", () => { expect(new InvalidBlobIdError("x").code).toBe("ERR_INVALID_BLOB_ID"); });
