/**
 * Many Socket.IO clients against one chat instance: connect them with a bounded number of
 * handshakes in flight, and ask the instance how many it holds. Shared by the NF-8 probe and
 * `npm run bench:realtime`, so both count connections the same way.
 */
import { io as connectClient, type Socket } from 'socket.io-client';

export interface CrowdConnect {
  /** Connected sockets keyed by token index ("session:ready" received: rooms joined). */
  sockets: Map<number, Socket>;
  /** Handshakes refused or not ready within 20 s. */
  failed: number;
  /** Tokens not attempted because the deadline passed. */
  notAttempted: number;
  ms: number;
}

/**
 * Connects one client per token, at most `maxInFlight` handshakes at once, until every token was
 * tried or `deadlineMs` passed (bounded in count and time). A client counts as connected when the
 * instance says its session is ready, not merely when the socket opened.
 */
export async function connectAll(url: string, tokens: readonly string[], maxInFlight: number, deadlineMs: number, signal?: AbortSignal): Promise<CrowdConnect> {
  const sockets = new Map<number, Socket>();
  let failed = 0;
  let next = 0;
  const t0 = performance.now();
  async function one(index: number): Promise<void> {
    const s = connectClient(url, { auth: { token: tokens[index]! }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 20_000 });
    const ok = await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), 20_000);
      s.once('session:ready', () => (clearTimeout(t), resolve(true)));
      s.once('connect_error', () => (clearTimeout(t), resolve(false)));
    });
    if (ok) sockets.set(index, s);
    else {
      failed++;
      s.disconnect();
    }
  }
  await Promise.all(
    Array.from({ length: Math.max(1, maxInFlight) }, async () => {
      while (next < tokens.length && performance.now() - t0 < deadlineMs && !signal?.aborted) await one(next++);
    }),
  );
  return { sockets, failed, notAttempted: tokens.length - next, ms: performance.now() - t0 };
}

/** Sockets the instance itself says it holds (its /health). */
export async function heldSockets(url: string): Promise<number> {
  const h = (await (await fetch(`${url}/health`, { signal: AbortSignal.timeout(15_000) })).json()) as { connectedSockets: number };
  return h.connectedSockets;
}

/** Disconnects every socket of a crowd (idempotent). */
export function disconnectAll(sockets: Iterable<Socket>): void {
  for (const s of sockets) s.disconnect();
}
