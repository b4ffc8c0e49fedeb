import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The project's root folder (where package.json is). */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Git-ignored folder for built tools (toxiproxy-server; vegeta for benchmarks). */
export const TOOLS_DIR = process.env.BRINK_TOOLS_DIR ?? join(PROJECT_ROOT, '.tools');
export const TOOLS_BIN = join(TOOLS_DIR, 'bin');

/** Git-ignored folder for runtime state: the stack's state file and its data directories. */
export const STATE_DIR = process.env.BRINK_STATE_DIR ?? join(PROJECT_ROOT, '.brink');
export const STACK_STATE_FILE = process.env.BRINK_STACK_STATE ?? join(STATE_DIR, 'stack.json');
