/**
 * The child process of assess/chat-child.ts: one chat instance; answers memory questions over
 * IPC; stops on "stop" or when its parent goes away (never left running after an assessment).
 */
import { startChatInstance, type RealtimeOptions } from '../reference-system/index.ts';

const opts = JSON.parse(process.env.BRINK_CHAT_CHILD_OPTIONS ?? 'null') as RealtimeOptions | null;
if (!opts || !process.send) {
  console.error('assess/chat-child-main.ts runs as a child of startChatChild (BRINK_CHAT_CHILD_OPTIONS and an IPC channel)');
  process.exit(104);
}
const chat = await startChatInstance(opts);
const stop = async () => {
  await chat.stop().catch(() => undefined);
  process.exit(0);
};
process.on('disconnect', () => void stop());
process.on('message', (m: { type: string }) => {
  if (m.type === 'memory') {
    for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
    const mem = process.memoryUsage();
    process.send!({ type: 'memory', rss: mem.rss, heapUsed: mem.heapUsed });
  } else if (m.type === 'stop') void stop();
});
process.send({ type: 'ready', url: chat.url });
