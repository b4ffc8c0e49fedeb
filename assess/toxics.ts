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
