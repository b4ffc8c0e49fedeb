/**
 * Comment page cache keys (3 minutes, LC-1): `comments:<postId>:<cursor>:<limit>`. A new comment
 * or a deleted post drops every page of the post through commentsKeyPrefix.
 */
export const COMMENTS_TTL_S = 3 * 60;

export const commentsKeyPrefix = (postId: number): string => `comments:${postId}:`;

export const commentsKey = (postId: number, cursorKey: string, limit: number): string => `${commentsKeyPrefix(postId)}${cursorKey}:${limit}`;
