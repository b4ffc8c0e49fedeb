export * from './sli.ts';
export * from './throughput.ts';
export * from './capacity-table.ts';
