// What each scenario does per iteration, as pure functions both engines share (stock k6 and
// brink's Node engine import this file), so the two engines send the same request mix.

// The feed mix, per 100 iterations: read-heavy like a social app.
export const FEED_MIX = [
  { action: 'feed', weight: 50 }, // home feed (NV-3, NF-2)
  { action: 'get_user_posts', weight: 25 }, // a profile; one in five is a heavy user (NV-1)
  { action: 'list_comments', weight: 12 }, // comments of a post seen in the feed (NF-13)
  { action: 'create_post', weight: 8 }, // writes invalidate caches
  { action: 'create_comment', weight: 5 },
];

/** The feed action for a uniform random r in [0, 1). */
export function feedAction(r) {
  let acc = 0;
  for (const m of FEED_MIX) {
    acc += m.weight / 100;
    if (r < acc) return m.action;
  }
  return FEED_MIX[FEED_MIX.length - 1].action;
}

/** Post ids out of a page, whatever the envelope ({items}, {posts}, {data} or a bare array). */
export function postIdsOf(body) {
  const list = Array.isArray(body) ? body : body && (body.items || body.posts || body.data || body.results);
  return Array.isArray(list) ? list.map((p) => p && p.id).filter((id) => id !== undefined && id !== null) : [];
}

/** The next page's cursor, if the page has one. */
export function nextCursorOf(body) {
  if (!body || Array.isArray(body)) return undefined;
  return body.nextCursor || body.next_cursor || body.cursor || (body.page && body.page.nextCursor) || undefined;
}

/** A user whose posts to read: a heavy user (10k/100k posts) one time in five. */
export function profileTarget(data, r1, r2) {
  const heavy = data.heavyUsers || [];
  if (heavy.length > 0 && r1 < 0.2) return { id: heavy[Math.floor(r2 * heavy.length)].id, heavy: true };
  return { id: data.users[Math.floor(r2 * data.users.length)].id, heavy: false };
}

/** Search: selective terms 70%, broad 30%; posts 80%, users 20%. */
export function searchRequest(data, r1, r2, r3) {
  const broad = r1 >= 0.7 && data.searchTerms.broad.length > 0;
  const terms = broad || data.searchTerms.selective.length === 0 ? data.searchTerms.broad : data.searchTerms.selective;
  const term = terms[Math.floor(r2 * terms.length)];
  const kind = r3 < 0.8 ? 'posts' : 'users';
  return { name: `search_${kind}`, path: `/api/search/${kind}?q=${encodeURIComponent(term)}`, selectivity: broad ? 'broad' : 'selective' };
}

/**
 * Chat slots: VU n (1-based) is one member of one conversation. Every conversation gets two
 * connected members before any gets three.
 */
export function chatSlots(data) {
  const slots = [];
  const seat = (c, m) => slots.push({ conversationId: c.id, user: c.members[m] });
  // Two seats per conversation first (a message needs someone to reach), then one more each, round-robin.
  for (const c of data.conversations) if (c.members.length >= 2) seat(c, 0), seat(c, 1);
  const longest = Math.max(0, ...data.conversations.map((c) => c.members.length));
  for (let m = 2; m < longest; m++) {
    for (const c of data.conversations) if (m < c.members.length) seat(c, m);
  }
  return slots;
}

/** This VU's slot, and how many other VUs (of `vus`) sit in the same conversation. */
export function chatSlotOf(data, vu, vus) {
  const slots = chatSlots(data);
  if (slots.length === 0) throw new Error('setup data has no conversations for chat-burst');
  const used = slots.slice(0, Math.min(vus, slots.length));
  const slot = slots[(vu - 1) % slots.length];
  const peers = vu > slots.length ? 0 : used.filter((s) => s.conversationId === slot.conversationId).length - 1;
  return { ...slot, peers, spare: vu > slots.length };
}

/** Message bodies carry the sender's VU and sequence, so a receiver can skip its own echoes. */
export const messageBody = (vu, seq) => `brink chat-burst vu${vu} #${seq}`;
export const isOwnMessage = (body, vu) => typeof body === 'string' && body.startsWith(`brink chat-burst vu${vu} #`);

/**
 * Warm-up requests made before the load (k6: in setup(), tagged group ::setup; Node engine:
 * before its clock starts) and left out of endpoints and thresholds: a cold platform's first
 * requests (empty caches, connection pools opening, JIT) would otherwise be a smoke run's P99.
 */
export function warmupRequests(scenario, data) {
  const users = data.users.slice(0, 4);
  const out = [];
  if (scenario === 'feed') {
    for (const u of users) out.push({ path: '/api/feed?limit=20', token: u.token });
    for (const h of data.heavyUsers) out.push({ path: `/api/users/${h.id}/posts?limit=20`, token: users[0].token });
  } else if (scenario === 'search-spike') {
    const terms = [...data.searchTerms.selective.slice(0, 3), ...data.searchTerms.broad.slice(0, 3)];
    for (const t of terms) {
      out.push({ path: `/api/search/posts?q=${encodeURIComponent(t)}`, token: users[0].token });
      out.push({ path: `/api/search/users?q=${encodeURIComponent(t)}`, token: users[0].token });
    }
  }
  return out;
}
