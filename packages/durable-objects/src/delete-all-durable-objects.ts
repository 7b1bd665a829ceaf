import type { CellarDurableObjectNamespace } from "./durable-object-namespace.js";

/**
 * Deletes every object of every namespace that is not `preventEviction` (workerd's
 * `deleteAllDurableObjects()` from `workerd:unsafe`); see {@link CellarDurableObjectNamespace.deleteAll}.
 * Every namespace is attempted; their failures are thrown together as one AggregateError.
 */
export async function deleteAllDurableObjects(namespaces: Iterable<CellarDurableObjectNamespace>): Promise<void> {
  const errors: unknown[] = [];
  for (const namespace of namespaces) {
    if (namespace.preventEviction) continue;
    try {
      await namespace.deleteAll();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `deleteAllDurableObjects() failed in ${errors.length} namespaces: ${errors.map((error) => (error as Error).message).join("; ")}`);
}
