/**
 * Event-loop health of this process for bottleneck attribution: delay percentiles (perf_hooks'
 * monitorEventLoopDelay, 10 ms resolution) and utilisation (the share of time the loop was busy)
 * since the previous read. One monitor per process, shared by every server in it, so a one-process
 * platform reports one loop, not six copies of it. Served at GET /health/loop on the gateway and
 * every service (loopback only).
 */
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import type { RequestHandler } from 'express';

export interface LoopReading {
  pid: number;
  /** What runs in this process ("gateway-1", "posts", "platform"…), for naming it in a report. */
  roles: string[];
  lagP99Ms: number;
  lagMeanMs: number;
  lagMaxMs: number;
  /** 0..1: the share of the interval the loop spent running callbacks. */
  utilization: number;
  intervalMs: number;
}

let histogram: IntervalHistogram | undefined;
let lastElu: EventLoopUtilization | undefined;
let lastReadMs = 0;
const roles = new Set<string>();

/** Starts the process's monitor (idempotent) and records one more role for it. */
export function monitorLoop(role: string): void {
  roles.add(role);
  if (histogram) return;
  histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  lastElu = performance.eventLoopUtilization();
  lastReadMs = performance.now();
}

/** Readings since the previous call (the sampler calls it once per interval). */
export function readLoop(): LoopReading {
  if (!histogram) monitorLoop('unknown');
  const h = histogram!;
  const elu = performance.eventLoopUtilization(lastElu);
  lastElu = performance.eventLoopUtilization();
  const now = performance.now();
  const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
  const reading: LoopReading = {
    pid: process.pid,
    roles: [...roles],
    lagP99Ms: h.count > 0 ? ms(h.percentile(99)) : 0,
    lagMeanMs: h.count > 0 ? ms(h.mean) : 0,
    lagMaxMs: h.count > 0 ? ms(h.max) : 0,
    utilization: elu.utilization,
    intervalMs: now - lastReadMs,
  };
  lastReadMs = now;
  h.reset();
  return reading;
}

export const loopHandler: RequestHandler = (_req, res) => {
  res.json(readLoop());
};
