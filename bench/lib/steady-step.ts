/**
 * One constant-arrival-rate step of the issue-14 feed mix through the gateway with brink's Node
 * engine, sampled by the attribution sampler: shared by bench:steady, bench:profile and
 * bench:cores so they measure the same thing the same way.
 */
import { readFileSync } from 'node:fs';
import type { Attribution } from '../../core/index.ts';
import { startAttribution, LoadEngine, type Plan, HTTP_METRICS, type ScenarioDescriptor, type SetupData } from '../../scenarios/index.ts';
import type { StackState } from '../../stack/index.ts';
import { feedMix, type MixUser } from './feed-mix.ts';

export const loadavg = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
export const f0 = (n: number): string => n.toFixed(0);
export const f1 = (n: number): string => n.toFixed(1);

/** "one-process", "split", "split+2gw"…: a platform layout by name (STEADY_LAYOUTS and friends). */
export function layoutOf(name: string): { split: boolean; gatewayInstances: number } {
  const m = /^(one-process|split)(?:\+(\d+)gw)?$/.exec(name);
  if (!m) throw new Error(`layout "${name}" is not one-process[+Ngw] or split[+Ngw]`);
  return { split: m[1] === 'split', gatewayInstances: Number(m[2] ?? 1) };
}

export function feedMixScenario(users: MixUser[]): ScenarioDescriptor {
  const next = feedMix(users);
  let i = 0;
  return {
    id: 'steady-feed-mix',
    description: 'issue 14: 70% feed, 30% user posts, one user following nobody',
    k6Script: '',
    planKey: 'feed',
    metrics: HTTP_METRICS,
    node: {
      async iteration(vu) {
        const t = next(i++);
        await vu.get(t.path, { name: t.route, token: t.headers.authorization!.slice('Bearer '.length), discardBody: true });
      },
    },
  };
}

export interface StepResult {
  layout: string;
  rate: number;
  durationS: number;
  achieved: number;
  /** Requests answered 2xx (during the step and its drain). */
  okRequests: number;
  p50: number;
  p99: number;
  errorRate: number;
  top: string;
  saturated: string;
  /** Non-2xx answers by status (or error code), so an error rate says what failed. */
  failures: string;
  load: string;
  attribution: Attribution;
  /**
   * Answers per second within the step's window; `achieved` also counts answers that came in the
   * drain after it (gracefulStop), which hides a backlog: 1,000 "ok/s" can be 850/s plus a queue.
   */
  inWindow: number;
  /** Answers that came after the window (the backlog drained). */
  drained: number;
  /** Per second of the step: offered and answered rate, P99 (ms), VUs busy. */
  series: { tS: number; offered: number; rate: number; p99: number; vus: number }[];
}

export interface StepOptions {
  layout: string;
  users: MixUser[];
  rate: number;
  durationS: number;
  dataset: 'small' | 'medium';
  /** Pids of processes outside the stack to name in the attribution (the generator by default). */
  extraProcesses?: { name: string; pid: number }[];
}

export async function runStep(state: StackState, o: StepOptions): Promise<StepResult> {
  const { rate, durationS } = o;
  const plan: Plan = {
    scenario: { executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration: `${durationS}s`, preAllocatedVUs: Math.min(2000, rate), maxVUs: Math.min(4000, rate * 4) },
    thresholds: {},
  };
  const data: SetupData = { baseUrl: state.platform!.services.gateway!, users: [], heavyUsers: [], conversations: [], searchTerms: { selective: [], broad: [] }, dataset: o.dataset };
  const sampler = await startAttribution(state, o.extraProcesses ? { extraProcesses: o.extraProcesses } : {});
  const r = await new LoadEngine().run({ scenario: feedMixScenario(o.users), plan, data, gracefulStopS: 10 });
  const a = await sampler.stop();
  const ok = r.totals.requests - r.totals.errors;
  const top = a.topConsumer ? `${a.topConsumer.component} ${a.topConsumer.cpuMeanCores.toFixed(2)} cores` : '-';
  const sat = a.saturated[0] ? `${a.saturated[0].resource} ${f0(a.saturated[0].level * 100)}%` : '-';
  const failures: Record<string, number> = {};
  for (const e of r.endpoints) for (const [code, n] of Object.entries(e.statusCounts)) if (!code.startsWith('2')) failures[code] = (failures[code] ?? 0) + n;
  const failed = Object.entries(failures).map(([c, n]) => `${c}: ${n}`).join(', ') || 'none';
  const series = r.timeSeries.map((p) => ({ tS: Math.round(p.tMs / 1000), offered: p.offeredRatePerSec ?? 0, rate: p.ratePerSec, p99: p.p99Ms, vus: p.vus ?? 0 }));
  return { layout: o.layout, rate, durationS, achieved: ok / durationS, okRequests: ok, p50: r.totals.latencyMs.p50, p99: r.totals.latencyMs.p99, errorRate: r.totals.errorRate, top, saturated: sat, failures: failed, load: loadavg(), attribution: a,
    series,
    inWindow: series.filter((p) => p.tS < durationS).reduce((a, p) => a + p.rate, 0) / durationS,
    drained: series.filter((p) => p.tS >= durationS).reduce((a, p) => a + p.rate, 0),
  };
}

export function printStep(s: StepResult): void {
  console.log(
    `${s.layout.padEnd(14)} ${String(s.rate).padStart(5)} req/s -> ${f0(s.achieved).padStart(5)} ok/s  p50 ${f1(s.p50).padStart(8)} ms  p99 ${f1(s.p99).padStart(8)} ms  errors ${(s.errorRate * 100).toFixed(2).padStart(6)}% (${s.failures})  in the window ${f0(s.inWindow)}/s, ${f0(s.drained)} after it;  top ${s.top}; most saturated ${s.saturated}  (load ${s.load})`,
  );
}

/** The step second by second in buckets of `everyS`: where a backlog starts and whether it drains. */
export function formatSeries(s: StepResult, everyS = 5): string {
  const out: string[] = [];
  for (let t = 0; t < s.series.length; t += everyS) {
    const b = s.series.slice(t, t + everyS);
    const mean = (k: 'offered' | 'rate') => b.reduce((a, p) => a + p[k], 0) / b.length;
    out.push(`${b[0]!.tS}s: offered ${f0(mean('offered'))} done ${f0(mean('rate'))}/s p99<=${f0(Math.max(...b.map((p) => p.p99)))} ms vus ${f0(Math.max(...b.map((p) => p.vus)))}`);
  }
  return out.join(' | ');
}

/**
 * CPU milliseconds per served request for each stack component (CPU time / 2xx answers), largest first;
 * the load generator and the rest of the machine are left out.
 */
export function cpuMsPerRequest(s: StepResult): { component: string; ms: number }[] {
  const ok = Math.max(1, s.okRequests);
  // CPU over the whole sampled time (the step and its drain) over every request answered in it.
  const cpuMs = (c: (typeof s.attribution.components)[number]) => c.samples.reduce((a, x, i) => a + x.cpuCores * (x.tMs - (i > 0 ? c.samples[i - 1]!.tMs : x.tMs - s.attribution.intervalMs)), 0);
  return s.attribution.components
    .filter((c) => c.component !== 'load-generator' && !c.component.startsWith('other'))
    .map((c) => ({ component: c.component, ms: cpuMs(c) / ok }))
    .filter((c) => c.ms >= 0.005)
    .sort((a, b) => b.ms - a.ms);
}

export function formatCpuPerRequest(s: StepResult): string {
  const rows = cpuMsPerRequest(s);
  const total = rows.reduce((a, r) => a + r.ms, 0);
  return `CPU per request ${total.toFixed(2)} ms: ${rows.map((r) => `${r.component} ${r.ms.toFixed(2)}`).join(', ')}`;
}
