/**
 * The platform's Prometheus metrics. One registry per platform (tests start several platforms in
 * one process); every metric carries a `service` label. Metrics are created on first use, so any
 * module can ask for one by name without caring who registered it first.
 */
import { Counter, Gauge, Histogram, Registry, type CounterConfiguration, type GaugeConfiguration, type HistogramConfiguration } from 'prom-client';

export function createMetricsRegistry(): Registry {
  return new Registry();
}

function getOr<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function counter<L extends string>(registry: Registry, cfg: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
  return getOr(registry, cfg.name, () => new Counter<L>({ ...cfg, registers: [registry] }));
}

export function gauge<L extends string>(registry: Registry, cfg: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
  return getOr(registry, cfg.name, () => new Gauge<L>({ ...cfg, registers: [registry] }));
}

export function histogram<L extends string>(registry: Registry, cfg: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
  return getOr(registry, cfg.name, () => new Histogram<L>({ ...cfg, registers: [registry] }));
}

/** Latency buckets in seconds: fine below 100 ms, where the SLOs live, coarse up to 30 s. */
export const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function httpDurationHistogram(registry: Registry): Histogram<'service' | 'method' | 'route' | 'status'> {
  return histogram(registry, {
    name: 'brink_http_request_duration_seconds',
    help: 'HTTP request duration by service, route and status',
    labelNames: ['service', 'method', 'route', 'status'],
    buckets: LATENCY_BUCKETS_S,
  });
}
