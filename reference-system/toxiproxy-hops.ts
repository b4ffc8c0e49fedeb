/**
 * Toxiproxy proxies between the gateway and each service (`svc-<service>`), so chaos experiments
 * can put latency, resets or a cut between them. Through the one Toxiproxy client (stack's).
 */
import { ToxiproxyClient } from '../stack/index.ts';

export interface Hop {
  name: string;
  /** http://127.0.0.1:PORT where the proxy listens (what the gateway calls). */
  url: string;
  upstream: string;
}

export async function createHop(apiUrl: string, name: string, upstreamUrl: string): Promise<Hop> {
  const upstream = new URL(upstreamUrl).host;
  const client = new ToxiproxyClient(apiUrl);
  // A proxy of the same name left by a crashed run would make the create answer 409.
  await client.deleteProxy(name).catch(() => undefined);
  const p = await client.createProxy(name, '127.0.0.1:0', upstream);
  return { name, url: `http://${p.listen}`, upstream };
}

export async function deleteHop(apiUrl: string, name: string): Promise<void> {
  await new ToxiproxyClient(apiUrl).deleteProxy(name).catch(() => undefined);
}
