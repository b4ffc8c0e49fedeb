import { SQL } from '../../sql-audit/catalog.ts';
import type { ClaimProbe } from '../probe.ts';
import { fmtMs } from '../measure.ts';
import { n, result, timeSql } from './lib.ts';

/** NV-2: one page of a heavy conversation's history with messages(conversation_id) vs (conversation_id, created_at DESC). */
export const nv2MessageHistoryIndex: ClaimProbe = {
  id: 'nv-2-message-history-index',
  claimIds: ['NV-2'],
  description: 'times get_message_history for the heaviest conversation with idx-messages-conversation-created off, then on',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const conv = [...ctx.dataset.heavyConversations].sort((a, b) => b.messages - a.messages)[0];
    if (!conv) return [{ id: 'NV-2', method: '-', measured: '-', verdict: 'NOT RUN', reason: 'the dataset has no heavy conversation' }];
    const runs = n(ctx, 20, 100);
    const params = [conv.id, 50, 0];
    const before = await ctx.withSwitches({ 'idx-messages-conversation-created': false }, () => timeSql(ctx, SQL.get_message_history, params, runs));
    const after = await ctx.withSwitches({ 'idx-messages-conversation-created': true }, () => timeSql(ctx, SQL.get_message_history, params, runs));
    return [
      result(
        'NV-2',
        `switch idx-messages-conversation-created off/on; get_message_history (50 newest) of a conversation with ${conv.messages} messages, ${runs} runs each`,
        `p50 ${fmtMs(before.p50)} -> ${fmtMs(after.p50)} (${(before.p50 / Math.max(after.p50, 0.001)).toFixed(0)}x)`,
        [
          { label: `baseline ~200 ms at ${conv.messages} messages (>= 100 ms)`, ok: before.p50 >= 100, measured: fmtMs(before.p50) },
          { label: 'with the index < 5 ms', ok: after.p50 < 5, measured: fmtMs(after.p50) },
        ],
        { baselineP50Ms: before.p50, optimizedP50Ms: after.p50, messages: conv.messages },
      ),
    ];
  },
};
