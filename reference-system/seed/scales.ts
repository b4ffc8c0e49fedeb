/**
 * Dataset sizes. Small is for CI (a few seconds); medium is the benchmark size (NV-1 and NF-13
 * only show at >= 1M posts); large is for soak runs. Heavy users and heavy conversations are the
 * NV-1 / NV-2 shapes: one user's 100,000 posts, one conversation's 100,000 messages.
 */
import { unknownName } from '../../core/index.ts';

export const SCALE_NAMES = ['small', 'medium', 'large'] as const;
export type ScaleName = (typeof SCALE_NAMES)[number];

export interface ScaleSpec {
  users: number;
  /** Posts of everyone but the heavy users. */
  regularPosts: number;
  /** Exact post counts (live + soft-deleted) of the heavy users, who are users 1, 2, ... */
  heavyUserPosts: number[];
  /** Average accounts each user follows (power-law distributed, at least 1). */
  meanFollows: number;
  comments: number;
  conversations: number;
  /** Exact message counts of the heavy conversations, which are conversations 1, 2, ... */
  heavyConversationMessages: number[];
  /** Messages in all other conversations. */
  regularMessages: number;
  stories: number;
  /** Share of posts and comments soft-deleted (deleted_at set). */
  deletedShare: number;
}

export const SCALES: Record<ScaleName, ScaleSpec> = {
  small: {
    users: 2_000,
    regularPosts: 40_000,
    heavyUserPosts: [100_000, 10_000],
    meanFollows: 20,
    comments: 30_000,
    conversations: 500,
    heavyConversationMessages: [10_000],
    regularMessages: 10_000,
    stories: 2_000,
    deletedShare: 0.05,
  },
  medium: {
    users: 50_000,
    regularPosts: 1_000_000,
    heavyUserPosts: [100_000, 10_000],
    meanFollows: 20,
    comments: 500_000,
    conversations: 10_000,
    heavyConversationMessages: [100_000, 10_000],
    regularMessages: 200_000,
    stories: 50_000,
    deletedShare: 0.05,
  },
  large: {
    users: 500_000,
    regularPosts: 9_890_000,
    heavyUserPosts: [100_000, 10_000],
    meanFollows: 20,
    comments: 5_000_000,
    conversations: 100_000,
    heavyConversationMessages: [100_000, 10_000],
    regularMessages: 2_000_000,
    stories: 500_000,
    deletedShare: 0.05,
  },
};

export function parseScale(value: string): ScaleName {
  if (!(SCALE_NAMES as readonly string[]).includes(value)) throw unknownName('scale', value, SCALE_NAMES);
  return value as ScaleName;
}

export function totalPosts(spec: ScaleSpec): number {
  return spec.regularPosts + spec.heavyUserPosts.reduce((a, b) => a + b, 0);
}

export function totalMessages(spec: ScaleSpec): number {
  return spec.regularMessages + spec.heavyConversationMessages.reduce((a, b) => a + b, 0);
}
