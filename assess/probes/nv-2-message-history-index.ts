import { SQL } from '../../sql-audit/index.ts';
import type { ClaimProbe } from '../probe.ts';
import { fmtMs } from '../measure.ts';
import { flawAtLeast, judged, lowerIsBetter, notRun, show, type ProbeResult } from '../verdict.ts';
import { n, timeSql } from './lib.ts';

export interface Nv2Measurement {
  runs: number;
  messages: number;
  beforeP50Ms: number;
  afterP50Ms: number;
}

/** The claim's own size is 10,000 messages: "200 ms" is the flaw (held at >= 100 ms), "< 5 ms" the fix. */
export function judgeNv2(m: Nv2Measurement): ProbeResult {
  return judged(
    'NV-2',
    `switch idx-messages-conversation-created off/on; get_message_history (50 newest) of the conversation closest to the claim's 10,000 messages (${m.messages}), ${m.runs} runs each`,
    `p50 ${fmtMs(m.beforeP50Ms)} -> ${fmtMs(m.afterP50Ms)} (${(m.beforeP50Ms / Math.max(m.afterP50Ms, 0.001)).toFixed(0)}x)`,
    [
      flawAtLeast(`baseline ~200 ms at ${m.messages} messages (>= 100 ms)`, m.beforeP50Ms, 100, show.ms),
      lowerIsBetter('with the index < 5 ms', m.afterP50Ms, 5, show.ms, { strict: true }),
    ],
    { baselineP50Ms: m.beforeP50Ms, optimizedP50Ms: m.afterP50Ms, messages: m.messages },
  );
}

/** NV-2: one page of a conversation's history with messages(conversation_id) vs (conversation_id, created_at DESC). */
export const nv2MessageHistoryIndex: ClaimProbe = {
  id: 'nv-2-message-history-index',
  claimIds: ['NV-2'],
  description: 'times get_message_history for the conversation nearest 10,000 messages with idx-messages-conversation-created off, then on',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const conv = [...ctx.dataset.heavyConversations].sort((a, b) => Math.abs(a.messages - 10_000) - Math.abs(b.messages - 10_000))[0];
    if (!conv) return [notRun('NV-2', 'the dataset has no heavy conversation')];
    const runs = n(ctx, 20, 100);
    const params = [conv.id, 50, 0];
    const before = await ctx.withSwitches({ 'idx-messages-conversation-created': false }, () => timeSql(ctx, SQL.get_message_history, params, runs));
    const after = await ctx.withSwitches({ 'idx-messages-conversation-created': true }, () => timeSql(ctx, SQL.get_message_history, params, runs));
    return [judgeNv2({ runs, messages: conv.messages, beforeP50Ms: before.p50, afterP50Ms: after.p50 })];
  },
};
