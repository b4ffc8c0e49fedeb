/** Entry of one gateway cluster worker (forked by startGatewayCluster through bin/run-ts.js). */
import { runGatewayWorker } from './cluster.ts';

runGatewayWorker().catch((e) => {
  process.stderr.write(`gateway worker failed to start: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
