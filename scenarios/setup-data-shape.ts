/**
 * What a run prepares before any load is sent (users with tokens, heavy users, conversations,
 * search terms), written to setup-data.json and read by both engines. Its own module so that the
 * VU context can name it without importing the scenario types that name the VU context.
 */
/** A seeded user with an access token minted before the load starts (never through login). */
export interface SeededUser {
  id: number;
  token: string;
}

/** The run directory's setup-data.json, read by both engines (k6: open(__ENV.BRINK_DATA)). */
export interface SetupData {
  baseUrl: string;
  users: SeededUser[];
  /** Users with 10k/100k posts: get_user_posts against them is the NV-1 query. */
  heavyUsers: Array<{ id: number; posts: number }>;
  /** Conversations with the tokens of their members, for chat-burst. */
  conversations: Array<{ id: number; members: SeededUser[] }>;
  searchTerms: { selective: string[]; broad: string[] };
  /** Where the data came from, for the run card. */
  dataset: string;
}
