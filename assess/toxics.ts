/**
 * The assessment's faults, through the one Toxiproxy client and its units table (attributes in
 * brink's names: a timeout toxic is { type: 'timeout', timeoutMs: 0 }, never Toxiproxy's raw
 * { timeout: 0 }, so a typo cannot become a fault that silently does nothing).
 */
import { BRINK_TOXIC_PREFIX, ToxiproxyClient, buildToxic, type ToxicType } from '../stack/index.ts';

/** Removes every toxic brink added (names start with "brink-") and re-enables every proxy: the interrupt path. */
export async function clearBrinkToxics(toxiproxyUrl: string): Promise<number> {
  // A disabled proxy is an outage someone forgot; an assessment always leaves proxies enabled.
  const done = await new ToxiproxyClient(toxiproxyUrl).clearBrinkFaults({ reenable: true });
  return done.filter((d) => !d.endsWith(')')).length;
}

/** Adds a toxic (name must start with "brink-" so the interrupt path removes it); upstream, every connection, unless given. */
export async function addToxic(
  toxiproxyUrl: string,
  proxy: string,
  toxic: { name: string; type: ToxicType; stream?: 'upstream' | 'downstream'; toxicity?: number; attributes: Record<string, number> },
): Promise<void> {
  if (!toxic.name.startsWith(BRINK_TOXIC_PREFIX)) throw new Error(`toxic "${toxic.name}" must start with ${BRINK_TOXIC_PREFIX}: the interrupt path removes only those`);
  const spec = buildToxic(toxic.type, toxic.attributes);
  await new ToxiproxyClient(toxiproxyUrl).addToxic(proxy, toxic.name, { ...spec, stream: toxic.stream ?? 'upstream', toxicity: toxic.toxicity ?? 1 });
}

/** Removes one toxic; a toxic that is already gone is fine. */
export async function removeToxic(toxiproxyUrl: string, proxy: string, name: string): Promise<void> {
  await new ToxiproxyClient(toxiproxyUrl).removeToxic(proxy, name);
}
