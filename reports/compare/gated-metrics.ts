/**
 * `brink report --compare BASE HEAD --metrics p99,p50,error_rate,throughput`: which metrics can
 * fail the comparison (all four are always shown). The names are the CLI's (snake case, as in
 * k6's metric names); `rps` is accepted for throughput. An unknown name is refused by name.
 */
import { invalidInput, unknownName } from '../../core/index.ts';
import type { CompareMetric } from './types.ts';

export const GATED_METRIC_NAMES: Readonly<Record<string, CompareMetric>> = { p99: 'p99', p50: 'p50', error_rate: 'errorRate', throughput: 'throughput', rps: 'throughput' };

/** The CLI's default, the same as the rank gate's: P99 and the error rate. */
export const DEFAULT_GATED_METRICS = 'p99,error_rate';

export function parseGatedMetrics(list: string): CompareMetric[] {
  const names = list.split(',').map((s) => s.trim());
  if (names.every((n) => n === '')) throw invalidInput(`--metrics "${list}" names no metric; expected a comma-separated list of: ${Object.keys(GATED_METRIC_NAMES).join(', ')}`);
  const out: CompareMetric[] = [];
  for (const n of names) {
    if (n === '') continue;
    const m = GATED_METRIC_NAMES[n.toLowerCase()];
    if (!m) throw unknownName('--metrics metric', n, Object.keys(GATED_METRIC_NAMES));
    if (!out.includes(m)) out.push(m);
  }
  return out;
}
