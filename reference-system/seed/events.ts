/** What seeding reports while it runs, and the per-table figures it returns. */
import type { SeededTable } from './generate.ts';

export type SeedEvent =
  /** The loading connection's server process, so a benchmark can read its CPU time. */
  | { type: 'connected'; backendPid: number; elapsedMs: number }
  | { type: 'phase'; phase: 'schema' | 'prepare' | 'copy' | 'indexes' | 'analyze' | 'done'; elapsedMs: number }
  | { type: 'table-progress'; table: SeededTable; rows: number; expectedRows: number; elapsedMs: number }
  | { type: 'table-done'; table: SeededTable; rows: number; durationMs: number }
  /** A key, foreign key or index rebuilt after the load. */
  | { type: 'index-done'; index: string; table: string; durationMs: number };

export interface TableFigure {
  table: SeededTable;
  rows: number;
  durationMs: number;
  rowsPerSec: number;
}
