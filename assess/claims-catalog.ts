/**
 * Every claim of the five assessment documents (shared/assessments/README.md), kept in the repo so
 * `brink assess` works without shared/ beside it. The ids are the catalog's. BEYOND-n rows are
 * findings of brink's own beyond the documents, measured and judged the same way.
 */
export interface ClaimDef {
  id: string;
  document: 'newfeed-microservices' | 'nova-staging-audit' | 'lets-connect-phase4' | 'monolith-1000-users' | 'chat-platform-scalability' | 'beyond-the-documents';
  area: string;
  claim: string;
}

const nf = (id: string, area: string, claim: string): ClaimDef => ({ id, document: 'newfeed-microservices', area, claim });
const nv = (id: string, area: string, claim: string): ClaimDef => ({ id, document: 'nova-staging-audit', area, claim });
const lc = (id: string, area: string, claim: string): ClaimDef => ({ id, document: 'lets-connect-phase4', area, claim });
const mo = (id: string, area: string, claim: string): ClaimDef => ({ id, document: 'monolith-1000-users', area, claim });
const cp = (id: string, area: string, claim: string): ClaimDef => ({ id, document: 'chat-platform-scalability', area, claim });
const beyond = (id: string, area: string, claim: string): ClaimDef => ({ id, document: 'beyond-the-documents', area, claim });

export const CLAIMS: ClaimDef[] = [
  nf('NF-1', 'database', 'Connection pooling: 50-70% less DB connection time than a connection per request.'),
  nf('NF-2', 'caching', 'Query result caching: cached reads 80-90% faster; 90% fewer DB queries for hot data; hit rate > 80%.'),
  nf('NF-3', 'database', 'Pooling + caching + indexes together: 3-5x better overall response time.'),
  nf('NF-4', 'gateway', 'Gzip (level 6, threshold 1 KB): JSON responses 60-80% smaller, +2-5 ms latency.'),
  nf('NF-5', 'resilience', 'Circuit breaker: a call to a dead service fails in < 1 ms once the breaker is open, instead of waiting out a 10 s timeout.'),
  nf('NF-6', 'gateway', 'Redis rate limiting (sorted-set sliding window, pipelined): +1-3 ms per check; correct across several gateway instances.'),
  nf('NF-7', 'gateway', 'Gateway: 10,000+ req/s with 5-10 ms overhead from compression + rate limit + breaker.'),
  nf('NF-8', 'realtime', 'Socket.IO with the Redis adapter: 10,000+ connections per instance, delivery across instances.'),
  nf('NF-9', 'messaging', 'RabbitMQ prefetch 10 + dead-letter queue + TTL: 3x message throughput, no lost messages.'),
  nf('NF-10', 'capacity', 'Capacity, current -> optimized: ~500 -> ~5,000 concurrent users; ~200 -> ~2,000 req/s; avg 250 -> 50 ms; P95 800 -> 150 ms; P99 1,500 -> 300 ms; errors 2% -> 0.1%; 50 -> 20 DB connections.'),
  nf('NF-11', 'database', 'At 1,000 concurrent users: 500+ DB connections against a limit of 100; JWT verification CPU at 90%; N+1 queries; slow unindexed queries.'),
  nf('NF-12', 'database', 'PgBouncer (transaction mode, max_client_conn 1000, default_pool_size 25, max_db_connections 100) supports 10,000+ client connections.'),
  nf('NF-13', 'database', 'Indexes posts(author_id), posts(created_at DESC), comments(post_id), comments(author_id).'),
  nf('NF-14', 'capacity', 'KPI targets: P95 < 150 ms, errors < 0.1%, cache hit > 80%, 5,000 concurrent users.'),
  nv('NV-1', 'database', 'get_user_posts with only an index on user_id: > 500 ms at 10,000 posts per user, P99 > 5 s at 100,000. With (user_id, created_at DESC) WHERE deleted_at IS NULL: < 10 ms (50x) and no Sort node in the plan.'),
  nv('NV-2', 'database', 'Message history per conversation: 200 ms at 10,000 messages -> < 5 ms with (conversation_id, created_at DESC).'),
  nv('NV-3', 'database', 'Chronological feed joining follows needs follows(follower_id, followee_id); author hydration must be one batched query (= ANY($1)), not one query per post.'),
  nv('NV-4', 'resilience', 'A ranking/analytics query without a timeout can run 30+ s and starve the pool; a 5 s timeout per source with an empty fallback keeps the feed answering.'),
  nv('NV-5', 'resilience', 'Per-service call timeouts (ranking 10 s, user 5 s, content 10 s) instead of a blanket 30 s.'),
  nv('NV-6', 'database', 'Pool budget: content 20 + feed 10 + user 10 + chat 10 + analytics 20 + search 20 = 90 < PgBouncer max_db_connections 100; standardize at 15 per service; transaction mode multiplexes 225 client connections onto 50 server connections.'),
  nv('NV-7', 'caching', 'Redis pools: 10 by default, chat 20, feed 15.'),
  nv('NV-8', 'cpu', 'CPU-bound password hashing (~100 ms) on the event loop: 10 concurrent registrations take 1 s; moving it off the loop fixes it.'),
  nv('NV-9', 'caching', 'Cache stampede: 1,000 simultaneous feed misses all reach Postgres; a lock lets one rebuild.'),
  nv('NV-10', 'capacity', 'Feed stress: 100 users x 10 req/s = 1,000 req/s; safe throughput ~200 req/s; failure mode is pool exhaustion, then breaker fallback overloading Postgres.'),
  nv('NV-11', 'realtime', 'Chat burst: 1,000 WebSocket connections x 10 msg/s; Postgres saturates near 5,000 writes/s; safe ~500 msg/s.'),
  nv('NV-12', 'search', 'Search spike: 50 concurrent full-text searches over 1M documents give P99 > 2 s; safe ~20.'),
  nv('NV-13', 'capacity', 'SLI targets: feed P99 < 500 ms; message send P99 < 100 ms; inter-service call P99 < 100 ms; search P99 < 1 s; feed throughput > 1,000 req/s; WebSocket concurrency > 10,000.'),
  nv('NV-14', 'capacity', 'Load plan: stages 2 m -> 10, 5 m -> 100, 2 m -> 200, 1 m -> 0 users, threshold p(99) < 500; 0% errors at 100 users and no pool exhaustion; stress to 500 users; 24 h soak at 50 users.'),
  lc('LC-1', 'caching', 'Cache-aside with TTLs (profile 10 min, search 5 min, feed 2 min, comments 3 min), invalidated on mutation, and graceful fallback when Redis is down.'),
  lc('LC-2', 'caching', 'Cached endpoints 60-90% faster (10-50 ms vs 100-300 ms); hit rates: profiles 80-90%, feeds 70-85%, search 60-80%.'),
  lc('LC-3', 'database', 'Single, composite and partial indexes: queries 50-80% faster.'),
  lc('LC-4', 'operability', '/health (liveness), /health/ready (dependencies, 5 s timeout), /metrics (Prometheus).'),
  lc('LC-5', 'operability', 'Its own unchecked test list: caching with Redis, fallback without Redis, health and metrics endpoints, invalidation on mutation, cached vs uncached load test.'),
  mo('MO-1', 'database', 'One DB client (and pool) per module, 48+ of them, exhausts Postgres connections; one shared pool fixes it.'),
  mo('MO-2', 'database', 'Pool settings: connection_limit 20, pool_timeout 20 s.'),
  mo('MO-3', 'capacity', 'One optimized instance serves 1,000 concurrent users; more need a cluster behind a balancer.'),
  cp('CP-1', 'realtime', 'Connections kept in an in-memory map: a message never reaches a user connected to another instance; Redis pub/sub (or the Socket.IO Redis adapter) fixes it.'),
  cp('CP-2', 'database', 'pg pool: max 50, min 10, idle 30 s, connect timeout 2 s.'),
  cp('CP-3', 'realtime', 'Message paging: enforce a maximum page size, index (chat_id, created_at DESC), cursor paging; no N+1 on chat members; cache membership instead of querying it per message; 60 messages/min per user, then 429.'),
  cp('CP-4', 'security', 'Auth: 15 min access tokens + 7 day refresh tokens in Redis, rotated on use; login 5 per 15 min per IP; signup 10 per hour per IP.'),
  cp('CP-5', 'search', "User search with LIKE '%q%' cannot use a b-tree index; full-text or trigram index instead."),
  cp('CP-6', 'realtime', 'Presence written to the DB on every change; keep it in Redis and persist in batches every 30 s.'),
  cp('CP-7', 'database', 'Expired-story cleanup: delete in batches of 1,000, every 15 min, under a distributed lock, with an index on expires_at.'),
  cp('CP-8', 'messaging', 'Notification consumer: retries with exponential backoff (max 3), dead-letter queue, prefetch 10.'),
  cp('CP-9', 'messaging', 'RabbitMQ queues: TTL, max length, dead-letter exchange.'),
  cp('CP-10', 'capacity', 'Capacity: ~1,000 users, ~500 msg/s, ~2,000 API req/s today; 1,000,000+ users, 100,000+ msg/s, 50,000+ req/s with every fix and horizontal scaling.'),
  beyond('BEYOND-1', 'database', 'Beyond the documents (brink, issue 14): the follows-join home feed walks posts by time until it finds a page of the reader\'s followees (1.4 s on medium data for a reader who follows 50 sparse accounts); a per-followee top-N merge (switch feed-followee-merge) answers it at least 10x faster, in < 50 ms.'),
];

export function claimById(id: string): ClaimDef | undefined {
  return CLAIMS.find((c) => c.id === id);
}
