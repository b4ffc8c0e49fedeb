/**
 * The expired-story cleanup a chat instance runs on its own connections every
 * `storyCleanupIntervalMs` (CP-7: 15 min). Every instance schedules it; the batched mode's Redis
 * lock keeps two from deleting at once.
 */
import type { Logger } from 'pino';
import { cleanupExpiredStories, type StoryCleanupDeps } from './story-cleanup.ts';

/** Starts the schedule (0 = none); returns what cancels it. */
export function scheduleStoryCleanup(deps: StoryCleanupDeps, intervalMs: number, log: Logger): () => void {
  if (intervalMs <= 0) return () => undefined;
  const timer = setInterval(() => {
    cleanupExpiredStories(deps).then(
      (r) => log.info({ ...r }, 'story cleanup'),
      (e: Error) => log.warn({ err: e.message }, 'story cleanup failed'),
    );
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
