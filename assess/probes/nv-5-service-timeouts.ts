/** NV-5's verdict; measured by hanging-services.ts together with NF-5. */
import { fmtMs } from '../measure.ts';
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

const blanketCut = (m: Nv5Measurement) => {
  const cuts = [cut(m.blanket.users), cut(m.blanket.posts)].filter((x): x is number => x !== undefined);
  return cuts.length ? Math.max(...cuts) : undefined;
};

export function judgeNv5(m: Nv5Measurement): ProbeResult {
  const parts: Part[] = [
    // Either call cut by the gateway at its deadline shows the blanket; a connection closed early by
    // something else (503) is not a timeout and is left out.
    flawAtLeast('without per-service timeouts a hanging call waits the blanket 30 s (>= 25 s)', blanketCut(m), 25_000, show.ms),
    lowerIsBetter('user service: 5 s (answered by 6 s)', cut(m.perService.users), [5_000, 6_000], show.ms),
    lowerIsBetter('content service: 10 s (answered by 11 s)', cut(m.perService.posts), [10_000, 11_000], show.ms),
  ];
  return judged(
    'NV-5',
    'gateway->users and gateway->posts hops hanging (Toxiproxy timeout toxics on svc-users, svc-posts); breakers on; switch service-timeouts off, then on; GET /api/users/:id and GET /api/feed at once (the median of twelve feed calls with timeouts on); time to the gateway\'s answer',
    `blanket: users ${fmtMs(m.blanket.users.ms)} (HTTP ${m.blanket.users.status}), posts ${fmtMs(m.blanket.posts.ms)} (HTTP ${m.blanket.posts.status}); per-service: users ${fmtMs(m.perService.users.ms)} (HTTP ${m.perService.users.status}), posts ${fmtMs(m.perService.posts.ms)} (HTTP ${m.perService.posts.status}); ranking's 10 s is inside posts (NV-4)`,
    parts,
    { blanketUsersMs: m.blanket.users.ms, blanketPostsMs: m.blanket.posts.ms, perServiceUsersMs: m.perService.users.ms, perServicePostsMs: m.perService.posts.ms },
  );
}
