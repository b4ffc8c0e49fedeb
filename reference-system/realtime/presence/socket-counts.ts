/**
 * Sockets per user on this instance. Only the first connect (0 -> 1) and the last disconnect
 * (1 -> 0) change a user's status; the others are the same user on another tab or device.
 */
export class SocketCounts {
  readonly #sockets = new Map<number, number>();

  /** Counts a new socket; true when it is the user's first. */
  connected(userId: number): boolean {
    const n = (this.#sockets.get(userId) ?? 0) + 1;
    this.#sockets.set(userId, n);
    return n === 1;
  }

  /** Counts a socket gone; true when it was the user's last (or the user was unknown). */
  disconnected(userId: number): boolean {
    const n = (this.#sockets.get(userId) ?? 1) - 1;
    if (n > 0) {
      this.#sockets.set(userId, n);
      return false;
    }
    this.#sockets.delete(userId);
    return true;
  }
}
