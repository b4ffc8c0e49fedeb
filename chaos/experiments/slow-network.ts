/**
 * slow-network (NF-4): a slow, chopped-up link between the client and the gateway: bandwidth
 * limited and TCP data sliced into small delayed segments. brink puts a proxy of its own
 * (brink-gateway) in front of the gateway for this, so the toxics act on the gateway's compressed
 * responses: with compression on, fewer bytes cross the slow link and the feed stays fast; off,
 * the same feed takes several times longer. responseBytes (what crossed the wire) is measured.
 */
import type { ExperimentDescriptor } from '../descriptor.ts';
import { hypothesis, type Measurements } from '../hypothesis.ts';
import { buildToxic, type ToxicSpec } from '../../stack/index.ts';
import type { FaultAction } from '../experiment.ts';
import { gatewayProbe, requirePlatform, STEADY_P99_MS } from './common.ts';

export const GATEWAY_PROXY = 'brink-gateway';
const RATE_KBPS = 16;

export const slowNetwork: ExperimentDescriptor = {
  id: 'slow-network',
  description: `a ${RATE_KBPS} KB/s link sliced into ~256-byte segments between client and gateway: with gzip the feed stays under 1 s; bytes on the wire measured`,
  claimIds: ['NF-4'],
  proxies: [GATEWAY_PROXY],
  recipe: [
    '# a proxy of your own in front of the gateway (brink chaos clear deletes brink-* proxies):',
    'curl -s -X POST $TOXIPROXY/proxies -d \'{"name":"brink-gateway","listen":"127.0.0.1:18080","upstream":"127.0.0.1:<gateway port>"}\'',
    `brink chaos inject brink-gateway bandwidth rateKBps=${RATE_KBPS}`,
    'brink chaos inject brink-gateway slicer averageSizeBytes=256 sizeVariationBytes=64 delayUs=2000',
    'curl -s -o /dev/null --compressed -w "%{size_download} bytes %{time_total}s\\n" -H "authorization: Bearer $TOKEN" http://127.0.0.1:18080/api/feed',
    'brink chaos clear',
  ],
  timing: {
    smoke: { steadyMs: 5_000, methodMs: 10_000, recoverMs: 5_000, afterMs: 4_000 },
    load: { steadyMs: 15_000, methodMs: 30_000, recoverMs: 10_000, afterMs: 8_000 },
  },
  async prepare({ stack, timing, toxiproxy }) {
    const { gateway } = requirePlatform(stack, 'slow-network');
    await toxiproxy.deleteProxy(GATEWAY_PROXY);
    const created = await toxiproxy.createProxy(GATEWAY_PROXY, '127.0.0.1:0', new URL(gateway).host);
    const baseUrl = `http://${created.listen}`;
    try {
      const { probe, close } = await gatewayProbe(stack, 'slow-network', { path: '/api/feed?limit=20', concurrency: 2, pauseMs: 100, timeoutMs: 20_000, slowMs: 1000, gzip: true, baseUrl });
      const toxic = (t: ToxicSpec): FaultAction => ({ kind: 'toxic', toxic: { ...t, stream: 'downstream', toxicity: 1 } });
      return {
        probe,
        faults: [
          { id: 'bandwidth', proxy: GATEWAY_PROXY, startMs: 0, stopMs: timing.methodMs, action: toxic(buildToxic('bandwidth', { rateKBps: RATE_KBPS })) },
          { id: 'slicer', proxy: GATEWAY_PROXY, startMs: 0, stopMs: timing.methodMs, action: toxic(buildToxic('slicer', { averageSizeBytes: 256, sizeVariationBytes: 64, delayUs: 2000 })) },
        ],
        hypotheses: [
          hypothesis('the feed answers before the fault', 'before', 'errorRate <= 0.01', `p99Ms < ${STEADY_P99_MS}`),
          hypothesis(`on a ${RATE_KBPS} KB/s sliced link the feed still answers within 1 s`, 'during', 'errorRate == 0', 'p99Ms < 1000'),
          hypothesis('the feed is fast again after', 'after', 'errorRate == 0', `p99Ms < ${STEADY_P99_MS}`),
        ],
        measure: (_phase, _w, _slis, samples): Measurements => {
          const ok = samples.filter((s) => s.ok && s.bytes !== undefined);
          return ok.length === 0 ? {} : { responseBytes: Math.round(ok.reduce((a, s) => a + s.bytes!, 0) / ok.length) };
        },
        stop: async () => {
          await close();
          await toxiproxy.deleteProxy(GATEWAY_PROXY);
        },
      };
    } catch (e) {
      await toxiproxy.deleteProxy(GATEWAY_PROXY);
      throw e;
    }
  },
};
