import type { ClaimProbe } from '../probe.ts';
import { http } from '../measure.ts';
import { result } from './lib.ts';

/** LC-4: liveness, readiness (dependencies with a timeout) and Prometheus metrics on the gateway. */
export const lc4Health: ClaimProbe = {
  id: 'lc-4-health',
  claimIds: ['LC-4'],
  description: 'calls /health, /health/ready and /metrics on the gateway and checks what they say',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const health = await http(`${ctx.gateway}/health`);
    const ready = await http(`${ctx.gateway}/health/ready`);
    const metrics = await http(`${ctx.gateway}/metrics`);
    const readyBody = JSON.parse(ready.body.toString() || '{}') as { checks?: { name: string }[] };
    const text = metrics.body.toString();
    const histograms = (text.match(/^# TYPE \S+ histogram$/gm) ?? []).length;
    return [
      result(
        'LC-4',
        'GET /health, /health/ready and /metrics on the gateway',
        `/health ${health.status}; /health/ready ${ready.status} checking ${(readyBody.checks ?? []).map((c) => c.name).join(', ') || 'nothing'}; /metrics ${metrics.status}, ${String(metrics.headers['content-type'])}, ${histograms} histograms`,
        [
          { label: '/health answers (liveness)', ok: health.status === 200, measured: String(health.status) },
          { label: '/health/ready checks dependencies', ok: ready.status === 200 && (readyBody.checks?.length ?? 0) >= 2, measured: `${ready.status}, ${readyBody.checks?.length ?? 0} checks` },
          { label: '/metrics is Prometheus text', ok: metrics.status === 200 && /text\/plain/.test(String(metrics.headers['content-type'])) && histograms > 0, measured: `${histograms} histograms` },
        ],
        { histograms },
      ),
    ];
  },
};
