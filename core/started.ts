/**
 * What every started thing returns (issue 17: builder, then a started handle, as testcontainers'
 * StartedTestContainer): its fields plus stop(), also as `await using`. The stack's components
 * extend it with their process, port and version; a chat instance or the notifications worker,
 * which are not child processes, use it as it is.
 */
export interface StartedHandle {
  /** Stops everything the process opened; a second call returns the first call's promise. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Runs `fn` once; later calls get the first call's promise (stop() may be called by several owners). */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

/** Adds stop() and Symbol.asyncDispose to `fields` (in place, so its getters stay live), both running `stop` once. */
export function startedHandle<T extends object>(fields: T, stop: () => Promise<void>): T & StartedHandle {
  const stopOnce = once(stop);
  return Object.assign(fields, { stop: stopOnce, [Symbol.asyncDispose]: stopOnce });
}
