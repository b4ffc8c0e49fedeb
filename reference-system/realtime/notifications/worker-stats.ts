/**
 * The worker's outcome counts: a plain object tests and probes read, mirrored in the Prometheus
 * counter `brink_notifications_events_total{outcome}`.
 */
import type { Registry } from 'prom-client';
import { counter } from '../../shared/metrics.ts';

export interface WorkerStats {
  handled: number;
  inserted: number;
  duplicates: number;
  retried: number;
  deadLettered: number;
  /** Failures in baseline mode: auto-acked, so gone. */
  lost: number;
}

export type CountOutcome = (outcome: keyof WorkerStats, n?: number) => void;

export function workerOutcomes(registry: Registry): { stats: WorkerStats; count: CountOutcome } {
  const outcomes = counter(registry, { name: 'brink_notifications_events_total', help: 'Notification events by outcome', labelNames: ['outcome'] });
  const stats: WorkerStats = { handled: 0, inserted: 0, duplicates: 0, retried: 0, deadLettered: 0, lost: 0 };
  const count: CountOutcome = (k, n = 1) => {
    stats[k] += n;
    outcomes.inc({ outcome: k }, n);
  };
  return { stats, count };
}
