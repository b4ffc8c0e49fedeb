/** Starting an HTTP server on a host and port, and the URL it then answers at. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** `http://host:port`, with an IPv6 host in brackets. */
export function httpUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Listens (port 0 = a free one) and resolves with the URL; rejects on e.g. EADDRINUSE. */
export async function listen(server: Server, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return httpUrl(host, (server.address() as AddressInfo).port);
}
