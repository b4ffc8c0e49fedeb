/**
 * A small real HTTP + Socket.IO server that speaks the subset of the platform's API the scenarios
 * use, for integration tests and benchmarks on loopback when the real platform is not the point
 * (engine behaviour, schema parity, stalls). Not a mock of infrastructure: it is a load target.
 * Options make it misbehave on purpose: stall the event loop for stallMs every stallEveryMs, or
 * answer 429 to every Nth request.
 */
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';

export interface MiniPlatformOptions {
  /** Conversation id -> member user ids; sockets of members join the conversation's room. */
  conversations?: Record<number, number[]>;
  /** Answer 429 to every Nth API request (0 = never). */
  rateLimitEvery?: number;
  /** Answer 500 to every Nth API request (0 = never). */
  failEvery?: number;
  /** Plain-text "ok" for every path (the fastest possible target, for benchmarks). */
  bare?: boolean;
}

export interface StartedMiniPlatform {
  url: string;
  requests: () => number;
  messages: () => number;
  close: () => Promise<void>;
  [Symbol.asyncDispose]: () => Promise<void>;
}

const userOf = (auth: string | undefined): number | null => {
  // Tokens in tests are "u<id>" or real JWTs; only the user id matters here.
  const m = /^(?:Bearer )?u(\d+)$/.exec(auth ?? '') ?? /"sub":"(\d+)"/.exec(decodeJwtPayload(auth));
  return m ? Number(m[1]) : null;
};

function decodeJwtPayload(auth: string | undefined): string {
  const part = (auth ?? '').replace(/^Bearer /, '').split('.')[1];
  if (!part) return '';
  try {
    return Buffer.from(part, 'base64url').toString('utf8');
  } catch {
    return '';
  }
}

export async function startMiniPlatform(o: MiniPlatformOptions = {}): Promise<StartedMiniPlatform> {
  let requests = 0;
  let messages = 0;
  let nextId = 1000;
  const page = (n: number) => ({ items: Array.from({ length: n }, (_, i) => ({ id: i + 1, body: `post ${i + 1}` })), nextCursor: 'c2' });
  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    requests += 1;
    if (o.bare) {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
      res.end('ok');
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (!url.pathname.startsWith('/api/')) return send(res, 200, { ok: true });
      if (userOf(req.headers.authorization) === null) return send(res, 401, { error: { code: 'UNAUTHENTICATED', message: 'no token' } });
      if (o.rateLimitEvery && requests % o.rateLimitEvery === 0) return send(res, 429, { error: { code: 'RATE_LIMITED', message: 'slow down' } });
      if (o.failEvery && requests % o.failEvery === 0) return send(res, 500, { error: { code: 'INTERNAL', message: 'planned failure' } });
      const limit = Math.min(50, Number(url.searchParams.get('limit') ?? 20));
      if (req.method === 'POST') return send(res, 201, { id: nextId++, body: (JSON.parse(body || '{}') as { body?: string }).body });
      if (url.pathname.startsWith('/api/search/')) return send(res, 200, { items: page(5).items });
      return send(res, 200, page(limit));
    });
  };
  const server: Server = createServer({ keepAliveTimeout: 60_000 }, handler);
  const io = new SocketServer(server, { path: '/socket.io', transports: ['websocket'] });
  io.use((socket, next) => {
    const id = userOf(String((socket.handshake.auth as { token?: string }).token ?? ''));
    if (id === null) return next(new Error('UNAUTHENTICATED'));
    socket.data.userId = id;
    next();
  });
  io.on('connection', (socket) => {
    for (const [conv, members] of Object.entries(o.conversations ?? {})) if (members.includes(socket.data.userId as number)) void socket.join(`conv:${conv}`);
    socket.on('message:send', (m: { conversationId: number; body: string; clientTs: number }, ack?: (r: unknown) => void) => {
      messages += 1;
      const msg = { id: nextId++, conversationId: m.conversationId, senderId: socket.data.userId, body: m.body, clientTs: m.clientTs, createdAt: new Date().toISOString() };
      socket.to(`conv:${m.conversationId}`).emit('message:new', msg);
      ack?.({ ok: true, id: msg.id, createdAt: msg.createdAt });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    await io.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url: `http://127.0.0.1:${port}`, requests: () => requests, messages: () => messages, close, [Symbol.asyncDispose]: close };
}

/** Setup data for a mini platform: users u1..uN with tokens "u<id>", conversations of `perConversation`. */
export function miniSetupData(baseUrl: string, users: number, perConversation = 2) {
  const list = Array.from({ length: users }, (_, i) => ({ id: i + 1, token: `u${i + 1}` }));
  const conversations: Array<{ id: number; members: typeof list }> = [];
  for (let i = 0; i + perConversation <= list.length; i += perConversation) conversations.push({ id: conversations.length + 1, members: list.slice(i, i + perConversation) });
  return {
    baseUrl,
    users: list,
    heavyUsers: [{ id: 1, posts: 10_000 }],
    conversations,
    searchTerms: { selective: ['zebra', 'quokka'], broad: ['the', 'a'] },
    dataset: `mini-platform (${users} users)`,
  };
}

export const membershipOf = (data: ReturnType<typeof miniSetupData>) =>
  Object.fromEntries(data.conversations.map((c) => [c.id, c.members.map((m) => m.id)]));
