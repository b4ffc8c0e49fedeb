export * from './errors.ts';
export * from './registry.ts';
export * from './result.ts';
export * from './histogram.ts';
export * from './paths.ts';
export * from './loopback.ts';
export * from './bundle.ts';
export * from './switches.ts';
