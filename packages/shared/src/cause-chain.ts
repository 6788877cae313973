/**
 * The error and its `cause`s, outermost first, as objects; stops at a
 * non-object and after `maxDepth` links (a cycle cannot loop forever).
 * The one walker every "anything in its cause chain" check uses.
 */
export function* causeChain(err: unknown, maxDepth = 10): Generator<object & { code?: unknown; cause?: unknown }> {
  let current = err;
  for (let depth = 0; depth < maxDepth && current !== null && typeof current === "object"; depth++) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}
