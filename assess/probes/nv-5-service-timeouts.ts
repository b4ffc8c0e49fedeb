import type { ClaimProbe } from '../probe.ts';
import { fmtMs, http } from '../measure.ts';
import { addToxic, removeToxic } from '../toxics.ts';
import { judged, lowerIsBetter, flawAtLeast, show, type Part, type ProbeResult } from '../verdict.ts';

/** How long a call to a hanging service took before the gateway answered, and what it answered. */
export interface HangingCall {
  ms: number;
  status: number;
}

export interface Nv5Measurement {
  /** service-timeouts off (blanket 30 s), breakers on. */
  blanket: { users: HangingCall; posts: HangingCall };
  /** service-timeouts on (user 5 s, content 10 s), breakers on. */
  perService: { users: HangingCall; posts: HangingCall };
}

/** A call only counts as "cut by its timeout" if the gateway answered 504; anything else measured nothing. */
const cut = (c: HangingCall) => (c.status === 504 ? c.ms : undefined);

export function judgeNv5(m: Nv5Measurement): ProbeResult {
  const parts: Part[] = [
    flawAtLeast('without per-service timeouts a hanging call waits the blanket 30 s (>= 25 s)', cut(m.blanket.users), 25_000, show.ms),
    lowerIsBetter('user service: 5 s (answered by 6 s)', cut(m.perService.users), [5_000, 6_000], show.ms),
    lowerIsBetter('content service: 10 s (answered by 11 s)', cut(m.perService.posts), [10_000, 11_000], show.ms),
  ];
  return judged(
    'NV-5',
    'gateway->users and gateway->posts hops hanging (Toxiproxy timeout toxics on svc-users, svc-posts); breakers on; switch service-timeouts off, then on; GET /api/users/:id and GET /api/feed at once; time to the gateway\'s answer',
    `blanket: users ${fmtMs(m.blanket.users.ms)} (HTTP ${m.blanket.users.status}), posts ${fmtMs(m.blanket.posts.ms)} (HTTP ${m.blanket.posts.status}); per-service: users ${fmtMs(m.perService.users.ms)} (HTTP ${m.perService.users.status}), posts ${fmtMs(m.perService.posts.ms)} (HTTP ${m.perService.posts.status}); ranking's 10 s is inside posts (NV-4)`,
    parts,
    { blanketUsersMs: m.blanket.users.ms, blanketPostsMs: m.blanket.posts.ms, perServiceUsersMs: m.perService.users.ms, perServicePostsMs: m.perService.posts.ms },
  );
}

const TOXIC = 'brink-assess-nv5-hang';

/** NV-5: per-service call timeouts with breakers on (the breaker no longer masks them). */
export const nv5ServiceTimeouts: ClaimProbe = {
  id: 'nv-5-service-timeouts',
  claimIds: ['NV-5'],
  description: 'hangs the users and posts hops and times the gateway\'s answer with service-timeouts off (30 s) then on, breakers on',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const api = ctx.stack.urls.toxiproxy;
    const reader = ctx.dataset.sampleUserIds[3]!;
    const headers = { authorization: `Bearer ${await ctx.token(reader)}` };
    const call = async (path: string): Promise<HangingCall> => {
      const r = await http(`${ctx.gateway}${path}`, { headers, timeoutMs: 60_000 }).catch(() => undefined);
      return r ? { ms: r.ms, status: r.status } : { ms: Number.NaN, status: 0 };
    };
    const both = async () => {
      const [users, posts] = await Promise.all([call(`/api/users/${reader}`), call('/api/feed?limit=5')]);
      return { users: users!, posts: posts! };
    };
    try {
      for (const proxy of ['svc-users', 'svc-posts']) await addToxic(api, proxy, { name: TOXIC, type: 'timeout', attributes: { timeout: 0 } });
      // Two calls per breaker stay far below its volume threshold (10): no breaker opens here.
      const blanket = await ctx.withSwitches({ breakers: true, 'service-timeouts': false, cache: false }, both);
      const perService = await ctx.withSwitches({ breakers: true, 'service-timeouts': true, cache: false }, both);
      return [judgeNv5({ blanket, perService })];
    } finally {
      for (const proxy of ['svc-users', 'svc-posts']) await removeToxic(api, proxy, TOXIC).catch(() => undefined);
    }
  },
};
