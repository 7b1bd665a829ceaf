import { describe, expect, it } from "vitest";
import { asWorkersResponse } from "../src/workers-response.js";

describe("asWorkersResponse", () => {
  it("adds webSocket, cf and headers.getAll('Set-Cookie'), and keeps them on clones", async () => {
    const response = asWorkersResponse(
      new Response("body", {
        headers: [
          ["Set-Cookie", "a=1"],
          ["Set-Cookie", "b=2"],
        ],
      }),
    );
    expect(response).toBeInstanceOf(Response);
    expect(response.webSocket).toBeNull();
    expect(response.cf).toBeUndefined();
    expect(response.headers.getAll("set-cookie")).toEqual(["a=1", "b=2"]);
    expect(() => response.headers.getAll("X-Other")).toThrow(TypeError);
    const clone = response.clone();
    expect(clone.webSocket).toBeNull();
    expect(clone.headers.getAll("Set-Cookie")).toEqual(["a=1", "b=2"]);
    expect(await clone.text()).toBe("body");
    expect(await response.text()).toBe("body");
  });
});
