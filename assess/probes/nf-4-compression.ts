import type { ClaimProbe } from '../probe.ts';
import { fmtMs, http, repeat } from '../measure.ts';
import { costAtMost, higherIsBetter, judged, show, type ProbeResult } from '../verdict.ts';
import { heavyUser, n } from './lib.ts';

export interface Nf4Measurement {
  runs: number;
  bytesOff: number | undefined;
  bytesOn: number | undefined;
  encodingOn: string;
  p50OffMs: number | undefined;
  p50OnMs: number | undefined;
}

/** 60-80% smaller is an improvement (more is better than claimed); +2-5 ms is a cost (less is cheaper). */
export function judgeNf4(m: Nf4Measurement): ProbeResult {
  const saving = m.bytesOff && m.bytesOn !== undefined && m.encodingOn === 'gzip' ? 1 - m.bytesOn / m.bytesOff : undefined;
  const addedMs = m.p50OffMs !== undefined && m.p50OnMs !== undefined ? m.p50OnMs - m.p50OffMs : undefined;
  return judged(
    'NF-4',
    `switch compression off/on; GET /api/users/:id/posts?limit=50 through the gateway, ${m.runs} requests each, loopback`,
    `${m.bytesOff ?? '-'} B -> ${m.bytesOn ?? '-'} B (${m.encodingOn})${saving !== undefined ? `, ${show.pct(saving)} smaller` : ''}; p50 ${m.p50OffMs !== undefined ? fmtMs(m.p50OffMs) : '-'} -> ${m.p50OnMs !== undefined ? fmtMs(m.p50OnMs) : '-'}${addedMs !== undefined ? ` (${show.plusMs(addedMs)})` : ''}`,
    [
      m.encodingOn === 'gzip' || m.bytesOn === undefined ? higherIsBetter('JSON 60-80% smaller', saving, [0.6, 0.8], show.pct) : { label: 'JSON 60-80% smaller', ok: false, measured: `answered ${m.encodingOn}, not gzip` },
      costAtMost('+2-5 ms latency', addedMs, [2, 5], show.plusMs),
    ],
    { bytesOff: m.bytesOff, bytesOn: m.bytesOn, saving, p50OffMs: m.p50OffMs, p50OnMs: m.p50OnMs },
  );
}

/** NF-4: gzip level 6 over 1 KB: response size and latency with the compression switch off and on. */
export const nf4Compression: ClaimProbe = {
  id: 'nf-4-compression',
  claimIds: ['NF-4'],
  description: 'fetches a 50-post JSON page through the gateway with Accept-Encoding: gzip, compression off then on',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const user = heavyUser(ctx, 'small');
    const token = await ctx.token(ctx.dataset.sampleUserIds[0]!);
    const url = `${ctx.gateway}/api/users/${user.id}/posts?limit=50`;
    const headers = { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' };
    const runs = n(ctx, 50, 300);
    const measure = async () => {
      const one = await http(url, { headers });
      if (one.status !== 200) throw new Error(`GET ${url} answered ${one.status}`);
      const lat = await repeat(runs, async () => {
        const r = await http(url, { headers });
        if (r.status !== 200) throw new Error(`GET ${url} answered ${r.status}`);
      }, { warmup: 5 });
      return { bytes: one.bytes, encoding: String(one.headers['content-encoding'] ?? 'identity'), lat };
    };
    const off = await ctx.withSwitches({ compression: false }, measure);
    const on = await ctx.withSwitches({ compression: true }, measure);
    return [judgeNf4({ runs, bytesOff: off.bytes, bytesOn: on.bytes, encodingOn: on.encoding, p50OffMs: off.lat.p50, p50OnMs: on.lat.p50 })];
  },
};
