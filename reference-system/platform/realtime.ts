/**
 * The realtime side: chat instances and the notifications worker. Loaded on first use (Socket.IO and
 * amqplib are heavy), and optional: if it cannot start the rest of the platform still runs and the
 * gateway answers chat routes with 503.
 */
import type { PlatformParts } from './parts.ts';

type Stoppable = { stop(): Promise<void> };

/** Starts the chat instances and the notifications worker; returns the chat instances' URLs (none if it failed). */
export async function startRealtime(p: PlatformParts): Promise<string[]> {
  const chatUrls: string[] = [];
  try {
    const rt = await import('../realtime/index.ts');
    const { databaseUrl, redisUrl, amqpUrl } = p.endpoints;
    const rtOpts = { databaseUrl, redisUrl, amqpUrl, jwtSecret: p.jwtSecret, switches: p.store.current };
    for (let i = 0; i < (p.opts.chatInstances ?? 1); i++) {
      const chat: Stoppable & { url: string } = await rt.startChatInstance({ ...rtOpts, port: 0, instanceId: `chat-${i + 1}` });
      chatUrls.push(chat.url);
      p.stoppers.add(`chat-${i + 1}`, () => chat.stop());
    }
    const worker: Stoppable = await rt.startNotificationsWorker({ ...rtOpts, instanceId: 'notifications' });
    p.stoppers.add('notifications', () => worker.stop());
  } catch (e) {
    p.log.error({ err: (e as Error).message }, 'realtime side did not start; chat routes will answer 503');
  }
  return chatUrls;
}
