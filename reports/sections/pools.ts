/** Connection pool analysis: the Nova budget table (per service pool, timeout, total) and bars. */
import type { Block, SectionDescriptor } from '../types.ts';
import { poolBudgetBars } from '../charts/specs.ts';
import { fmtMs } from '../derive/format.ts';

export const pools: SectionDescriptor = {
  id: 'pools',
  title: 'Connection pool analysis',
  render(model) {
    const p = model.pools;
    if (!p) return [{ kind: 'empty', text: 'No pool budget in the inputs (audit/pools.json is written by brink audit pools).' }];
    const margin = p.limit === null ? null : p.limit - p.total;
    const blocks: Block[] = [
      {
        kind: 'table',
        columns: ['Service', 'Replicas', 'Pools per replica', 'Pool size', 'Timeout', 'Total connections'],
        rows: [
          ...p.rows.map((r) => [r.service, r.replicas, r.poolsPerReplica, r.poolMax, r.timeoutMs === undefined ? '-' : fmtMs(r.timeoutMs), r.total]),
          [{ text: 'TOTAL' }, '', '', '', '', { text: String(p.total), tone: margin === null ? undefined : margin < 0 ? 'bad' : 'good' }],
        ],
      },
      p.limit === null || margin === null
        ? { kind: 'paragraph', tone: 'warn', text: `Total ${p.total}; the audit did not know the connection limit to check it against.` }
        : {
          kind: 'paragraph', tone: margin < 0 ? 'bad' : margin < p.limit * 0.1 ? 'warn' : 'good',
          text: margin < 0 ? `OVER BUDGET: ${p.total} > ${p.limitName} ${p.limit} (by ${-margin}).` : `${p.total} <= ${p.limitName} ${p.limit} (margin ${margin}).`,
        },
    ];
    if (p.flags.length) blocks.push({ kind: 'list', items: p.flags });
    blocks.push({ kind: 'chart', id: 'pool-budget', title: 'Pool budget', spec: poolBudgetBars(p) });
    return blocks;
  },
};
