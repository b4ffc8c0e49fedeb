/**
 * Pinned images, shared by the docker provider (testcontainers) and checked against
 * docker-compose.yml by a test, so the two never drift apart.
 */
export const IMAGES = {
  postgres: 'postgres:15.10-bookworm',
  pgbouncer: 'edoburu/pgbouncer:v1.23.1-p3',
  redis: 'redis:7.2.7-alpine',
  rabbitmq: 'rabbitmq:3.13.7-alpine',
  toxiproxy: 'ghcr.io/shopify/toxiproxy:2.12.0',
} as const;
