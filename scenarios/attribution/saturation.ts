/**
 * Names the saturated resource from an attribution's series: a pure function of the samples, so
 * the report and `brink run` say the same thing and tests feed it literal numbers.
 * - a Node process runs JavaScript on one thread: ~1 core, a loop busy > 90% or lagging > 100 ms
 *   (p99) is saturated whatever the machine has left;
 * - a multi-process component (Postgres) or the machine is saturated near all its cores;
 * - PgBouncer with clients waiting for a server connection is a pool limit.
 */
import type { ComponentSeries, PoolWaitSample, SaturationFinding } from '../../core/index.ts';

export const NODE_LOOP_BUSY = 0.9;
export const NODE_LAG_P99_MS = 100;
/** A Node process below this many cores cannot be bound by its own single thread. */
export const STARVED_BELOW_CORES = 0.6;
const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const fmt = (n: number, d = 2) => n.toFixed(d);

export function findSaturation(input: { cpus: number; components: ComponentSeries[]; pgbouncer: PoolWaitSample[]; machineBusyCores?: number[] }): SaturationFinding[] {
  const out: SaturationFinding[] = [];
  const { cpus } = input;
  let machineLevel = 0;
  if (input.machineBusyCores && input.machineBusyCores.length > 0) {
    const m = mean(input.machineBusyCores);
    machineLevel = m / cpus;
    const other = input.components.find((c) => c.component === 'other (outside the stack)');
    out.push({ resource: 'machine CPU', level: machineLevel, evidence: `${fmt(m)} of ${cpus} cores busy on average (every process on the machine${other ? `; ${fmt(other.cpuMeanCores)} of them outside the stack and the load generator` : ''})` });
  }
  for (const c of input.components) {
    const loop = c.samples.filter((s) => s.loopUtilization !== undefined);
    if (loop.length > 0) {
      const busy = mean(loop.map((s) => s.loopUtilization!));
      const lag = c.loopLagP99MaxMs ?? 0;
      let level = Math.max(busy / NODE_LOOP_BUSY, lag / NODE_LAG_P99_MS, c.cpuMeanCores);
      let evidence = `loop busy ${fmt(busy * 100, 0)}% on average, lag p99 up to ${fmt(lag, 0)} ms, ${fmt(c.cpuMeanCores)} cores`;
      // A loop that is "busy" on a fraction of a core while the machine is full is waiting for a
      // CPU, not doing more work than one core can: the machine is the saturated resource.
      if (machineLevel >= 0.9 && c.cpuMeanCores < STARVED_BELOW_CORES && level > machineLevel) {
        level = machineLevel * 0.99;
        evidence += `: starved of CPU (the machine was full), not limited by its own thread`;
      }
      out.push({ resource: `${c.component} event loop`, level, evidence });
    } else if (c.component !== 'other (outside the stack)') {
      out.push({ resource: `${c.component} CPU`, level: c.cpuMeanCores / cpus, evidence: `${fmt(c.cpuMeanCores)} cores on average, ${fmt(c.cpuMaxCores)} at most, of ${cpus}` });
    }
  }
  if (input.pgbouncer.length > 0) {
    const waiting = input.pgbouncer.map((p) => p.clientsWaiting);
    const maxWaiting = Math.max(...waiting);
    const servers = Math.max(1, ...input.pgbouncer.map((p) => p.serversActive + p.serversIdle));
    const maxWaitMs = Math.max(...input.pgbouncer.map((p) => p.maxWaitMs));
    out.push({
      resource: 'PgBouncer pool',
      level: maxWaiting === 0 ? 0 : Math.max(mean(waiting) / servers, maxWaitMs / 1000),
      evidence: `up to ${maxWaiting} clients waiting for one of ${servers} server connections (longest wait ${fmt(maxWaitMs, 0)} ms)`,
    });
  }
  return out.sort((a, b) => b.level - a.level);
}

/** The component that used the most CPU (the load generator included; the rest of the machine not). */
export function topConsumer(components: ComponentSeries[], cpus: number): { component: string; cpuMeanCores: number; shareOfMachine: number } | undefined {
  const ranked = components.filter((c) => c.component !== 'other (outside the stack)').sort((a, b) => b.cpuMeanCores - a.cpuMeanCores);
  const top = ranked[0];
  return top ? { component: top.component, cpuMeanCores: top.cpuMeanCores, shareOfMachine: top.cpuMeanCores / cpus } : undefined;
}
