/** Removes every toxic brink added (names start with "brink-") from every proxy: the interrupt path. */
export async function clearBrinkToxics(toxiproxyUrl: string): Promise<number> {
  const proxies = (await (await fetch(`${toxiproxyUrl}/proxies`, { signal: AbortSignal.timeout(5000) })).json()) as Record<string, { toxics: { name: string }[]; enabled: boolean }>;
  let removed = 0;
  for (const [name, p] of Object.entries(proxies)) {
    for (const t of p.toxics) {
      if (!t.name.startsWith('brink-')) continue;
      await fetch(`${toxiproxyUrl}/proxies/${encodeURIComponent(name)}/toxics/${encodeURIComponent(t.name)}`, { method: 'DELETE', signal: AbortSignal.timeout(5000) });
      removed++;
    }
    // A disabled proxy is an outage someone forgot; an assessment always leaves proxies enabled.
    if (!p.enabled) {
      await fetch(`${toxiproxyUrl}/proxies/${encodeURIComponent(name)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: true }), signal: AbortSignal.timeout(5000) });
    }
  }
  return removed;
}

/** Adds a toxic (name must start with "brink-" so the interrupt path removes it). */
export async function addToxic(toxiproxyUrl: string, proxy: string, toxic: { name: string; type: string; stream?: 'upstream' | 'downstream'; attributes: Record<string, number> }): Promise<void> {
  const res = await fetch(`${toxiproxyUrl}/proxies/${encodeURIComponent(proxy)}/toxics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stream: 'upstream', toxicity: 1, ...toxic }), signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`toxiproxy: adding ${toxic.name} to ${proxy} answered ${res.status} ${await res.text()}`);
}

/** Removes one toxic; a toxic that is already gone is fine. */
export async function removeToxic(toxiproxyUrl: string, proxy: string, name: string): Promise<void> {
  const res = await fetch(`${toxiproxyUrl}/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(name)}`, { method: 'DELETE', signal: AbortSignal.timeout(5000) });
  if (!res.ok && res.status !== 404) throw new Error(`toxiproxy: removing ${name} from ${proxy} answered ${res.status}`);
}
