/**
 * The downstreams this gateway forwards to: a group of instances for each service given at least
 * one URL (a service not running on this platform has none, and its routes answer 503), and one
 * circuit breaker per group, created at start so the `breakers` switch can turn them on at run time.
 */
import { createBreaker, type DownstreamBreaker } from './breakers.ts';
import { UpstreamGroup } from './proxy.ts';
import { DOWNSTREAMS, type DownstreamId } from './routes.ts';

export function upstreamGroups(urls: Partial<Record<DownstreamId, readonly string[]>>): Map<DownstreamId, UpstreamGroup> {
  const groups = new Map<DownstreamId, UpstreamGroup>();
  for (const id of DOWNSTREAMS) {
    const u = urls[id];
    if (u && u.length > 0) groups.set(id, new UpstreamGroup(id, u));
  }
  return groups;
}

/** `longWindow` is read at every call: the `breaker-window` switch (breakers.ts). */
export function downstreamBreakers(services: Iterable<DownstreamId>, longWindow: () => boolean): Record<string, DownstreamBreaker> {
  return Object.fromEntries([...services].map((id) => [id, createBreaker(id, undefined, { longWindow })]));
}
