import type { ClaimProbe } from '../probe.ts';
import { http, repeat } from '../measure.ts';
import { addToxic, removeToxic } from '../toxics.ts';
import { judgeNf5 } from './nf-5-breaker.ts';
import { judgeNv5, type HangingCall } from './nv-5-service-timeouts.ts';
import { n } from './lib.ts';

interface BreakerStates {
  breakers: { service: string; state: 'closed' | 'open' | 'half-open' }[];
}

const TOXIC = 'brink-assess-hang';
const HOPS = ['svc-users', 'svc-posts'];

/**
 * NV-5 and NF-5 share their waits: the gateway->users and gateway->posts hops hang (Toxiproxy
 * timeout toxics) and, breakers on throughout,
 *  1. service-timeouts off: a users call and a feed call wait the blanket 30 s (NV-5's flaw);
 *  2. service-timeouts on, NewFeed's breaker (10 s window): a users call (5 s) and twelve feed calls
 *     (10 s) at once: NV-5's per-service timeouts, NF-5's wait with a closed breaker, and whether
 *     twelve timeouts open it (the flaw of a window equal to the timeout);
 *  3. the window fixed (switch breaker-window): twelve feed calls again: time to open, calls while
 *     open, then the fault removed and the time to close.
 * Toxics are always removed and the probe waits for the posts breaker to close before it returns.
 */
export const hangingServices: ClaimProbe = {
  id: 'hanging-services',
  claimIds: ['NV-5', 'NF-5'],
  description: 'hangs the users and posts hops and times the gateway with service-timeouts off/on and the breaker window as NewFeed has it, then fixed',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const api = ctx.stack.urls.toxiproxy;
    const reader = ctx.dataset.sampleUserIds[3]!;
    const headers = { authorization: `Bearer ${await ctx.token(reader)}` };
    const call = async (path: string): Promise<HangingCall> => {
      const r = await http(`${ctx.gateway}${path}`, { headers, timeoutMs: 60_000 }).catch(() => undefined);
      return r ? { ms: r.ms, status: r.status } : { ms: Number.NaN, status: 0 };
    };
    const feed = () => call('/api/feed?limit=5');
    const users = () => call(`/api/users/${reader}`);
    const postsState = async () => ((await (await fetch(`${ctx.gateway}/health/circuit-breakers`)).json()) as BreakerStates).breakers.find((b) => b.service === 'posts')?.state;
    const fastCalls = n(ctx, 20, 100);
    try {
      for (const hop of HOPS) await addToxic(api, hop, { name: TOXIC, type: 'timeout', attributes: { timeoutMs: 0 } });
      const base = { breakers: true, cache: false } as const;
      // 1. One call per breaker: far below its volume threshold (10), nothing opens.
      const blanket = await ctx.withSwitches({ ...base, 'service-timeouts': false, 'breaker-window': false }, async () => {
        const [u, p] = await Promise.all([users(), feed()]);
        return { users: u, posts: p };
      });
      // 2. Per-service timeouts with NewFeed's breaker.
      const documented = await ctx.withSwitches({ ...base, 'service-timeouts': true, 'breaker-window': false }, async () => {
        const [u, ...feeds] = await Promise.all([users(), ...Array.from({ length: 12 }, () => feed())]);
        return { users: u!, feeds, state: await postsState() };
      });
      const sortedFeeds = documented.feeds.filter((f) => f.status === 504).map((f) => f.ms).sort((a, b) => a - b);
      const perService = { users: documented.users, posts: sortedFeeds.length ? { ms: sortedFeeds[Math.floor(sortedFeeds.length / 2)]!, status: 504 } : documented.feeds[0]! };
      // 3. The window fixed.
      let recoveryMs: number | undefined;
      const fixed = await ctx.withSwitches({ ...base, 'service-timeouts': true, 'breaker-window': true }, async () => {
        const t0 = performance.now();
        let timeToOpenMs: number | undefined;
        const watcher = (async () => {
          while (timeToOpenMs === undefined && performance.now() - t0 < 20_000) {
            if ((await postsState().catch(() => undefined)) === 'open') timeToOpenMs = performance.now() - t0;
            else await new Promise((r) => setTimeout(r, 100));
          }
        })();
        await Promise.all(Array.from({ length: 12 }, () => feed()));
        await watcher;
        const state = await postsState();
        const statuses = new Set<number>();
        const fast = state === 'open' ? await repeat(fastCalls, async () => statuses.add((await feed()).status)) : undefined;
        await removeToxic(api, 'svc-posts', TOXIC);
        const r0 = performance.now();
        while (performance.now() - r0 < 45_000 && (await postsState().catch(() => undefined)) !== 'closed') {
          await feed().catch(() => undefined);
          await new Promise((r) => setTimeout(r, 500));
        }
        if ((await postsState().catch(() => undefined)) === 'closed') recoveryMs = performance.now() - r0;
        return { state, timeToOpenMs, fast, statuses: [...statuses] };
      });
      return [
        judgeNv5({ blanket, perService }),
        judgeNf5({
          noBreakerWaitMs: perService.posts.status === 504 ? perService.posts.ms : Number.NaN,
          documentWindowState: documented.state,
          fixedWindowState: fixed.state,
          timeToOpenMs: fixed.timeToOpenMs,
          fastCalls,
          openP50Ms: fixed.fast?.p50,
          openMaxMs: fixed.fast?.max,
          openStatuses: fixed.statuses,
          recoveryMs,
        }),
      ];
    } finally {
      for (const hop of HOPS) await removeToxic(api, hop, TOXIC).catch(() => undefined);
      // Leave the platform as found: let the posts breaker half-open and close (reset 30 s).
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline && (await postsState().catch(() => 'closed')) !== 'closed') {
        await feed().catch(() => undefined);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  },
};
