/**
 * Waiting for work with a time limit. `Promise.race` with a bare `setTimeout` leaves the timer
 * running after the work settles: it holds Node's event loop open (an interrupt that should exit
 * at once waits out the limit) and, when it rejects, can reject with nobody listening. This clears
 * the timer whichever way the race ends.
 */

/** `work`'s value, or `onLate()`'s if `work` has not settled within `ms` (throw in `onLate` to reject). */
export async function within<T, U>(work: Promise<T>, ms: number, onLate: () => U): Promise<T | U> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<U>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(onLate());
      } catch (e) {
        reject(e);
      }
    }, ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
