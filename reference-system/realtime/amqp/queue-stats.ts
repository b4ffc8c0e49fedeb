/**
 * Queue depths for metrics, read with passive declares (checkQueue). A missing queue closes the
 * channel (404), so each check that fails gets a fresh channel for the next one.
 */
import type { Channel, ChannelModel } from 'amqplib';

export async function queueDepths(conn: ChannelModel | null, names: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!conn) return out;
  let ch: Channel | null = null;
  try {
    for (const name of names) {
      ch ??= await conn.createChannel();
      ch.on('error', () => undefined);
      try {
        const q = await ch.checkQueue(name);
        out.set(name, q.messageCount);
      } catch {
        ch = null; // the broker closed it
      }
    }
  } finally {
    if (ch) await ch.close().catch(() => undefined);
  }
  return out;
}
