/**
 * Where the infrastructure answers: the vocabulary the stack (which starts it) and the platform
 * (which is given only URLs) share. Loopback only. Each `*Proxied` URL goes through Toxiproxy.
 */
export interface InfraUrls {
  /** postgres://postgres@127.0.0.1:PORT/brink, straight to Postgres (superuser; use for EXPLAIN, HypoPG and index DDL). */
  postgres: string;
  /** Through PgBouncer (transaction mode): what the platform's services use. */
  pgbouncer: string;
  pgbouncerProxied: string;
  /** redis://127.0.0.1:PORT */
  redis: string;
  redisProxied: string;
  /** amqp://guest:guest@127.0.0.1:PORT */
  amqp: string;
  amqpProxied: string;
  /** Toxiproxy's HTTP API, http://127.0.0.1:PORT (the platform's gateway -> service hops too). */
  toxiproxy: string;
}
