/**
 * One client socket's life on a chat instance: its event handlers, its rooms (its user room and
 * every conversation it belongs to), and its presence. Work a socket event starts is tracked, so
 * stop() waits for it before the pool closes.
 */
import type { Socket } from 'socket.io';
import type { Logger } from 'pino';
import type { InflightWork } from '../lifecycle/inflight.ts';
import type { PresenceTracker } from '../presence/presence.ts';
import type { Membership } from './membership.ts';
import { conversationRoom, handleMessageSend, userRoom, type SendDeps } from './message-send.ts';

export interface SessionDeps {
  instanceId: string;
  membership: Membership;
  presence: Pick<PresenceTracker, 'connected' | 'disconnected'>;
  log: Logger;
  send: SendDeps;
  inflight: InflightWork;
}

/** Socket.IO passes an ack callback as an event's last argument when the client asked for one. */
export function splitAck(args: readonly unknown[]): { payload: unknown; ack: ((a: unknown) => void) | undefined } {
  const last = args[args.length - 1];
  if (typeof last !== 'function') return { payload: args[0], ack: undefined };
  return { payload: args.length > 1 ? args[0] : undefined, ack: last as (a: unknown) => void };
}

export function onConnection(d: SessionDeps): (socket: Socket) => void {
  return (socket) => {
    const userId = socket.data.userId as number;
    const presenceFailed = (e: Error) => d.log.warn({ err: e.message, userId }, 'presence write failed');
    // Handlers first, so nothing a client sends right after connecting is missed while rooms load.
    socket.on('message:send', (...args: unknown[]) => {
      const { payload, ack } = splitAck(args);
      d.inflight.track(handleMessageSend(d.send, socket, payload, ack));
    });
    socket.on('disconnect', () => {
      d.inflight.track(d.presence.disconnected(userId).catch(presenceFailed));
    });
    void socket.join(userRoom(userId));
    joinConversations(d, socket, userId);
    d.inflight.track(d.presence.connected(userId).catch(presenceFailed));
  };
}

/** `session:ready` tells the client its rooms are joined: from then on it receives every message. */
function joinConversations(d: SessionDeps, socket: Socket, userId: number): void {
  d.membership.conversationsOf(userId).then(
    async (ids) => {
      await socket.join(ids.map(conversationRoom));
      socket.emit('session:ready', { userId, instanceId: d.instanceId, conversationIds: ids });
    },
    (e: Error) => {
      d.log.warn({ err: e.message, userId }, 'could not load conversations on connect');
      socket.emit('session:error', { error: 'internal_error', message: 'could not load your conversations; reconnect' });
    },
  );
}
