// A load-engine worker thread's entry: registers tsx (module hooks are per thread) so the
// TypeScript sources load as they are, then runs the worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
