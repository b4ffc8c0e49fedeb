/**
 * One chat instance (README.md has its wire interface): a builder that validates its options, and
 * start(), which opens its connections (chat-parts.ts), serves HTTP and Socket.IO on one port
 * (chat-server.ts), schedules the story cleanup, and answers a started handle whose stop() closes
 * it all in an order that loses nothing.
 */
import { configure, type RealtimeOptions, type ResolvedOptions } from '../options.ts';
import { InflightWork } from '../lifecycle/inflight.ts';
import { listen } from '../lifecycle/listen.ts';
import { once, startedHandle, type StartedHandle } from '../../../core/index.ts';
import { scheduleStoryCleanup } from '../stories/cleanup-schedule.ts';
import { closeChatParts, openChatParts, type ChatParts } from './chat-parts.ts';
import { createChatServer, type ChatServer } from './chat-server.ts';

export interface ChatInstance extends StartedHandle {
  url: string;
  instanceId: string;
  /** Writes pending presence changes now (presence-batching on); returns users written. */
  flushPresence(): Promise<number>;
}

/** A chat instance configured and validated but not started (testcontainers' container before start()). */
export class ChatInstanceBuilder {
  readonly options: ResolvedOptions;
  readonly instanceId: string;

  /** Throws on invalid options, before anything is opened. */
  constructor(input: RealtimeOptions) {
    ({ options: this.options, id: this.instanceId } = configure(input, 'chat', 'chat'));
  }

  /** Resolves once listening; if the port cannot be had, closes what it opened and rejects. */
  async start(): Promise<ChatInstance> {
    const { options: o, instanceId } = this;
    const parts = openChatParts(o, instanceId);
    const inflight = new InflightWork();
    const server = createChatServer(o, instanceId, parts, inflight);
    const stopCleanup = scheduleStoryCleanup({ db: parts.db, redis: parts.redis, switches: o.switches, redisPrefix: o.names.redisPrefix }, o.tuning.storyCleanupIntervalMs, parts.log);
    const stop = once(async () => {
      stopCleanup();
      await stopChat(parts, server, inflight);
    });
    let url: string;
    try {
      url = await listen(server.httpServer, o.host, o.port);
    } catch (e) {
      await stop();
      throw e;
    }
    parts.log.info({ url, instanceId }, 'chat instance listening');
    return startedHandle({ url, instanceId, flushPresence: () => parts.presence.flush() }, stop);
  }
}

export async function startChatInstance(input: RealtimeOptions): Promise<ChatInstance> {
  return new ChatInstanceBuilder(input).start();
}

async function stopChat(parts: ChatParts, { httpServer, io }: ChatServer, inflight: InflightWork): Promise<void> {
  parts.metrics.stop();
  // io.close() disconnects every socket (presence goes offline) and closes the HTTP server.
  httpServer.closeIdleConnections();
  await new Promise<void>((resolve) => io.close(() => resolve()));
  parts.batcher.flush();
  // Bounded: with presence-batching off, 10,000 sockets going offline are 20,000 writes.
  await inflight.drain(15_000);
  await closeChatParts(parts);
}
