/**
 * Shared set-up for the realtime integration tests (real Postgres via PgBouncer, Redis, RabbitMQ):
 * a fresh database, users, tokens, Socket.IO clients, and a namespace for AMQP names so test
 * files never consume each other's events. Everything started here is stopped by close().
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import amqp from 'amqplib';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { createDatabase, type CreatedDatabase, type StackState } from '../../stack/index.ts';
import { signAccessToken } from '../shared/tokens.ts';
import { switchesFor, type Switches } from '../../core/index.ts';
import type { RealtimeOptions, RealtimeTuning } from './options.ts';
import { allNotificationQueues } from './amqp/topology.ts';
import { DEFAULT_TUNING } from './options.ts';

export interface Fixture {
  db: CreatedDatabase;
  pool: pg.Pool;
  switches: Switches;
  options(overrides?: Partial<RealtimeOptions>): RealtimeOptions;
  users(n: number): Promise<number[]>;
  conversation(memberIds: number[]): Promise<number>;
  token(userId: number): Promise<string>;
  /** A connected client whose rooms are joined (rejects with the server's connect_error message). */
  client(url: string, userId: number): Promise<ClientSocket>;
  /** Registers a stop function to run on close(). */
  own(stop: () => Promise<unknown>): void;
  namespace: string;
  close(): Promise<void>;
}

export async function openFixture(stack: StackState, name: string, variant: 'baseline' | 'optimized', tuning: Partial<RealtimeTuning> = {}): Promise<Fixture> {
  const db = await createDatabase(stack, `rt_${name}`);
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  const jwtSecret = randomBytes(24).toString('base64url');
  const namespace = `t${randomBytes(3).toString('hex')}.`;
  const switches = switchesFor(variant);
  const clients: ClientSocket[] = [];
  const owned: (() => Promise<unknown>)[] = [];
  let userSeq = 0;

  const fixture: Fixture = {
    db,
    pool,
    switches,
    namespace,
    options: (overrides = {}) => ({
      databaseUrl: db.pgbouncerUrl,
      redisUrl: stack.urls.redis,
      amqpUrl: stack.urls.amqp,
      jwtSecret,
      switches,
      tuning: { namespace, logLevel: 'error', storyCleanupIntervalMs: 0, ...tuning },
      ...overrides,
    }),
    async users(n) {
      const names = Array.from({ length: n }, () => `u${++userSeq}_${randomBytes(2).toString('hex')}`);
      const r = await pool.query<{ id: string }>(
        `INSERT INTO users (username, email, password_hash, display_name)
         SELECT n, n || '@example.test', 'x', n FROM unnest($1::text[]) AS n RETURNING id`,
        [names],
      );
      return r.rows.map((row) => Number(row.id));
    },
    async conversation(memberIds) {
      const c = await pool.query<{ id: string }>('INSERT INTO conversations (created_by) VALUES ($1) RETURNING id', [memberIds[0]]);
      const id = Number(c.rows[0]!.id);
      await pool.query('INSERT INTO conversation_members (conversation_id, user_id) SELECT $1, unnest($2::bigint[])', [id, memberIds]);
      return id;
    },
    token: (userId) => signAccessToken(jwtSecret, userId),
    async client(url, userId) {
      const socket = connectClient(url, { auth: { token: await signAccessToken(jwtSecret, userId) }, transports: ['websocket'], reconnection: false, forceNew: true });
      clients.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('session:ready', () => resolve());
        socket.once('connect_error', (e) => reject(e));
      });
      return socket;
    },
    own: (stop) => void owned.push(stop),
    async close() {
      for (const c of clients) c.disconnect();
      for (const stop of owned.reverse()) await stop().catch(() => undefined);
      await deleteAmqpNames(stack.urls.amqp, namespace);
      await pool.end();
      await db.drop().catch(() => undefined);
    },
  };
  return fixture;
}

async function deleteAmqpNames(url: string, namespace: string): Promise<void> {
  const conn = await amqp.connect(url);
  try {
    const ch = await conn.createChannel();
    for (const q of allNotificationQueues({ namespace, exchange: '', maxAttempts: DEFAULT_TUNING.notificationMaxAttempts, messageTtlMs: 1, maxLength: 1 })) await ch.deleteQueue(q);
    await ch.deleteExchange(`${namespace}brink.events`);
    await ch.deleteExchange(`${namespace}brink.events.dlx`);
    await ch.close();
  } finally {
    await conn.close();
  }
}

/** Resolves with the next `event` the socket receives, or null after timeoutMs. */
export function nextEvent<T>(socket: ClientSocket, event: string, timeoutMs: number): Promise<T | null> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      socket.off(event, on);
      resolve(null);
    }, timeoutMs);
    const on = (payload: T) => {
      clearTimeout(t);
      resolve(payload);
    };
    socket.once(event, on);
  });
}

/** Emits with an ack; rejects after timeoutMs without one. */
export function emitAck<T>(socket: ClientSocket, event: string, payload: unknown, timeoutMs = 10_000): Promise<T> {
  return socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<T>;
}

/** Polls until fn returns a truthy value; bounded by timeoutMs. */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  } while (Date.now() < until);
  throw new Error(`${what} not reached after ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}
