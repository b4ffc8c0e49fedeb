import type { ClaimProbe } from '../probe.ts';
import { fmtMs, http, repeat } from '../measure.ts';
import { heavyUser, n, result } from './lib.ts';

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
      const lat = await repeat(runs, () => http(url, { headers }), { warmup: 5 });
      return { bytes: one.bytes, encoding: String(one.headers['content-encoding'] ?? 'identity'), lat };
    };
    const off = await ctx.withSwitches({ compression: false }, measure);
    const on = await ctx.withSwitches({ compression: true }, measure);
    const saving = 1 - on.bytes / off.bytes;
    const addedMs = on.lat.p50 - off.lat.p50;
    return [
      result(
        'NF-4',
        `switch compression off/on; GET /api/users/:id/posts?limit=50 through the gateway, ${runs} requests each, loopback`,
        `${off.bytes} B -> ${on.bytes} B (${on.encoding}), ${(saving * 100).toFixed(0)}% smaller; p50 ${fmtMs(off.lat.p50)} -> ${fmtMs(on.lat.p50)} (${addedMs >= 0 ? '+' : ''}${addedMs.toFixed(2)} ms)`,
        [
          { label: 'JSON 60-80% smaller', ok: saving >= 0.6 && saving <= 0.8, measured: `${(saving * 100).toFixed(0)}%` },
          { label: '+2-5 ms latency', ok: addedMs >= 2 && addedMs <= 5, measured: `${addedMs >= 0 ? '+' : ''}${addedMs.toFixed(2)} ms` },
        ],
        { bytesOff: off.bytes, bytesOn: on.bytes, saving, p50OffMs: off.lat.p50, p50OnMs: on.lat.p50 },
      ),
    ];
  },
};
