/** The SQL audit's public surface: the platform's named queries and the schema and index migrations. */
export * from './catalog.ts';
export * from './migrate.ts';
