/**
 * Toxiproxy proxies between the gateway and each service (`svc-<service>`), so chaos experiments
 * can put latency, resets or a cut between them. Plain fetch to Toxiproxy's HTTP API.
 */
export interface Hop {
  name: string;
  /** http://127.0.0.1:PORT where the proxy listens (what the gateway calls). */
  url: string;
  upstream: string;
}

export async function createHop(apiUrl: string, name: string, upstreamUrl: string): Promise<Hop> {
  const upstream = new URL(upstreamUrl).host;
  // A proxy of the same name left by a crashed run would make the POST answer 409.
  await fetch(`${apiUrl}/proxies/${encodeURIComponent(name)}`, { method: 'DELETE', signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
  const res = await fetch(`${apiUrl}/proxies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, listen: '127.0.0.1:0', upstream, enabled: true }),
    signal: AbortSignal.timeout(5_000),
  });
  if (!res.ok) throw new Error(`toxiproxy: creating proxy ${name} -> ${upstream} failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { listen: string };
  return { name, url: `http://${body.listen}`, upstream };
}

export async function deleteHop(apiUrl: string, name: string): Promise<void> {
  await fetch(`${apiUrl}/proxies/${encodeURIComponent(name)}`, { method: 'DELETE', signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
}
