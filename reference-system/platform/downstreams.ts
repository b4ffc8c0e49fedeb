/**
 * What each gateway forwards to: every service and chat instance, straight or (toxiproxyHops)
 * through a Toxiproxy proxy per target so chaos experiments can cut or slow one hop.
 */
import type { DownstreamId } from '../gateway/index.ts';
import { createHop, deleteHop, type Hop } from '../toxiproxy-hops.ts';
import type { PlatformParts } from './parts.ts';

export interface DownstreamTarget {
  service: DownstreamId;
  /** The hop's name: the service id, or chat, chat-2, ... */
  name: string;
  url: string;
}

export type Downstreams = Partial<Record<DownstreamId, string[]>>;

/** The services, then the chat instances (the first named "chat", the others "chat-<n>"). */
export function downstreamTargets(serviceUrls: Record<string, string>, chatUrls: readonly string[]): DownstreamTarget[] {
  return [
    ...Object.entries(serviceUrls).map(([id, url]) => ({ service: id as DownstreamId, name: id, url })),
    ...chatUrls.map((url, i) => ({ service: 'chat' as const, name: i === 0 ? 'chat' : `chat-${i + 1}`, url })),
  ];
}

/** Base URLs per downstream, in target order (chat may list several). */
export function groupDownstreams(targets: readonly Pick<DownstreamTarget, 'service' | 'url'>[]): Downstreams {
  const out: Downstreams = {};
  for (const t of targets) (out[t.service] ??= []).push(t.url);
  return out;
}

/** Puts a hop in front of each target when asked (removed after everything else stops); returns the hops and what the gateways call. */
export async function routeDownstreams(p: PlatformParts, targets: readonly DownstreamTarget[]): Promise<{ hops: Hop[]; downstreams: Downstreams }> {
  if (!p.opts.toxiproxyHops) return { hops: [], downstreams: groupDownstreams(targets) };
  const api = p.endpoints.toxiproxyUrl;
  const prefix = p.opts.hopPrefix ?? 'svc-';
  const hops: Hop[] = [];
  const routed: DownstreamTarget[] = [];
  for (const t of targets) {
    const hop = await createHop(api, `${prefix}${t.name}`, t.url);
    hops.push(hop);
    p.stoppers.addLast(`hop-${t.name}`, () => deleteHop(api, hop.name));
    routed.push({ ...t, url: hop.url });
  }
  return { hops, downstreams: groupDownstreams(routed) };
}
