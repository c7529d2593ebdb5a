/** Worker entry for Node (worker_threads): perhaps a warm-up first (warm.ts), then one message, one run. */
import { parentPort } from 'node:worker_threads';
import type { HostMessage, WarmMessage } from '../protocol.ts';
import { warmUp } from '../warm.ts';
import { runInWorker } from '../worker.ts';

const port = parentPort;
if (port === null) throw new Error('worker.node.ts must run in a worker thread');
let warming: Promise<void> = Promise.resolve();
const onMessage = (message: HostMessage | WarmMessage) => {
  if (message.type === 'warm') {
    // The built CLI's worker loader (src/cli/worker-loader.cjs) keeps the compiled code after a
    // warm-up when it is making its code cache at build time; otherwise nothing is there.
    const warmedUp = (globalThis as Record<symbol, (() => void) | undefined>)[Symbol.for('kavach.warmedUp')];
    warming = warmUp(message.plan).then(warmedUp);
    return;
  }
  port.off('message', onMessage);
  // The run starts once the warm-up is over: the two never interleave.
  void warming.then(() => runInWorker(message, { post: (m, transfer) => port.postMessage(m, (transfer ?? []) as never) }));
};
port.on('message', onMessage);
