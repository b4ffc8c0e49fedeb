import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { workerOutcomes } from './worker-stats.ts';

describe('worker outcomes', () => {
  it('counts in the stats object and in the Prometheus counter alike', async () => {
    const registry = new Registry();
    const { stats, count } = workerOutcomes(registry);
    count('handled');
    count('inserted', 3);
    count('handled');
    expect(stats).toEqual({ handled: 2, inserted: 3, duplicates: 0, retried: 0, deadLettered: 0, lost: 0 });
    const text = await registry.getSingleMetricAsString('brink_notifications_events_total');
    expect(text).toContain('brink_notifications_events_total{outcome="handled"} 2');
    expect(text).toContain('brink_notifications_events_total{outcome="inserted"} 3');
  });
});
