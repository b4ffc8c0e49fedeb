/**
 * WebSocket upgrades on /socket.io passed to a chat instance as a raw TCP pipe: the gateway
 * re-sends the upgrade request it received, then copies bytes both ways until either side closes.
 * Fresh WebSocket sessions are spread round-robin; a WebSocket connection stays on its instance.
 */
import { connect } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export function makeUpgradeHandler(chatUrls: () => readonly string[], onError: (e: Error) => void) {
  let next = 0;
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const urls = chatUrls();
    if (!req.url?.startsWith('/socket.io') || urls.length === 0) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    // A session that started with long-polling (a `sid` in the query) lives on the first instance,
    // where the gateway sends all polling requests; only fresh WebSocket sessions are spread.
    const target = new URL(/[?&]sid=/.test(req.url) ? urls[0]! : urls[next++ % urls.length]!);
    const upstream = connect(Number(target.port), target.hostname);
    const fail = (e: Error) => {
      onError(e);
      if (socket.writable) socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      upstream.destroy();
    };
    upstream.once('error', fail);
    socket.on('error', () => upstream.destroy());
    upstream.once('connect', () => {
      upstream.off('error', fail);
      upstream.on('error', () => socket.destroy());
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      lines.push(`X-Forwarded-For: ${req.socket.remoteAddress ?? ''}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    socket.once('close', () => upstream.destroy());
    upstream.once('close', () => socket.destroy());
  };
}
