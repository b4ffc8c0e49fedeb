/** One or two lines for the end of `brink run`: the top CPU consumer and the most saturated resource. */
import type { Attribution } from '../../core/index.ts';

export function describeAttribution(a: Attribution | undefined): string {
  if (!a) return '';
  const lines: string[] = [];
  if (a.topConsumer) lines.push(`top consumer: ${a.topConsumer.component}, ${a.topConsumer.cpuMeanCores.toFixed(2)} cores on average (${(a.topConsumer.shareOfMachine * 100).toFixed(0)}% of ${a.cpus} cores)`);
  const s = a.saturated[0];
  if (s) lines.push(`most saturated: ${s.resource} (${(s.level * 100).toFixed(0)}% of its limit): ${s.evidence}`);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
