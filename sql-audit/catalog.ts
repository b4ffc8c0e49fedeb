/**
 * The named queries the reference platform runs, one file each under ./queries. Services import
 * their SQL from here (`SQL.get_user_posts`, or `queryForm('search_posts', switches)`), so the
 * audit explains exactly the text that runs. Analyzers read the whole catalog through QUERY_CATALOG.
 */
import { Registry } from '../core/index.ts';
import type { Switches } from '../core/index.ts';
import type { NamedQuery } from './queries/types.ts';
import { commentsByAuthor } from './queries/comments-by-author.ts';
import { commentsByPost } from './queries/comments-by-post.ts';
import { conversationMemberIds } from './queries/conversation-member-ids.ts';
import { expiredStoriesCleanup } from './queries/expired-stories-cleanup.ts';
import { expiredStoriesCleanupBatch } from './queries/expired-stories-cleanup-batch.ts';
import { fetchChronologicalFeed } from './queries/fetch-chronological-feed.ts';
import { getMessageHistory } from './queries/get-message-history.ts';
import { getMessageHistoryKeyset } from './queries/get-message-history-keyset.ts';
import { getUserByUsername } from './queries/get-user-by-username.ts';
import { getUserPosts } from './queries/get-user-posts.ts';
import { getUserProfile } from './queries/get-user-profile.ts';
import { hydrateAuthor } from './queries/hydrate-author.ts';
import { hydrateAuthors } from './queries/hydrate-authors.ts';
import { insertMessage } from './queries/insert-message.ts';
import { insertNotification } from './queries/insert-notification.ts';
import { insertPost } from './queries/insert-post.ts';
import { insertPresenceEvent } from './queries/insert-presence-event.ts';
import { isConversationMember } from './queries/is-conversation-member.ts';
import { listFollowers } from './queries/list-followers.ts';
import { recentPosts } from './queries/recent-posts.ts';
import { searchPostsFulltext } from './queries/search-posts-fulltext.ts';
import { searchPostsLike } from './queries/search-posts-like.ts';
import { searchUsersLike } from './queries/search-users-like.ts';
import { searchUsersTrigram } from './queries/search-users-trigram.ts';
import { trendingPosts } from './queries/trending-posts.ts';

export type { NamedQuery, ParamPick, ParamSpec, RunsIn } from './queries/types.ts';

export const NAMED_QUERIES = [
  getUserPosts,
  getMessageHistory,
  getMessageHistoryKeyset,
  fetchChronologicalFeed,
  hydrateAuthors,
  hydrateAuthor,
  commentsByPost,
  commentsByAuthor,
  searchPostsLike,
  searchPostsFulltext,
  searchUsersLike,
  searchUsersTrigram,
  expiredStoriesCleanup,
  expiredStoriesCleanupBatch,
  trendingPosts,
  recentPosts,
  isConversationMember,
  conversationMemberIds,
  insertMessage,
  getUserByUsername,
  getUserProfile,
  listFollowers,
  insertPost,
  insertNotification,
  insertPresenceEvent,
] as const;

export type QueryId = (typeof NAMED_QUERIES)[number]['id'];

/** The catalog as a registry: QUERY_CATALOG.get('get_user_posts') throws listing valid ids on a typo. */
export const QUERY_CATALOG = new Registry<NamedQuery>('query', NAMED_QUERIES);

/** The SQL text of every named query, by id: `SQL.get_user_posts`. */
export const SQL = Object.fromEntries(NAMED_QUERIES.map((q) => [q.id, q.sql])) as Record<QueryId, string>;

/** Families with several forms, chosen by a switch (search_posts: LIKE or full text). */
export type QueryFamily = NonNullable<Extract<(typeof NAMED_QUERIES)[number], { family: string }>['family']>;

/** The form of a family the platform runs under these switches, e.g. queryForm('search_posts', switches). */
export function queryForm(family: QueryFamily, switches: Switches): NamedQuery {
  const forms = NAMED_QUERIES.filter((q): q is Extract<typeof q, { family: string }> => 'family' in q && q.family === family);
  const match = forms.find((q) => switches[q.usedWhen.switch] === q.usedWhen.on);
  // Every family has one form per value of its switch, so a match always exists; the unit test checks that.
  if (!match) throw new Error(`no form of query family "${family}" matches the switches`);
  return match;
}
