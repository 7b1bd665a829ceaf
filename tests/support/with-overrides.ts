/**
 * `target`, with some of its members replaced: everything not in `overrides` is the real object
 * (methods bound to it, getters read from it). Broken implementations in tests/broken/ use it to
 * state only the flaw they add, instead of delegating every member by hand.
 */
export function withOverrides<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof T];
      const value = Reflect.get(object, property, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}
