/** Worker entry for Node (worker_threads): one message, one run. */
import { parentPort } from 'node:worker_threads';
import type { HostMessage } from './protocol.ts';
import { runInWorker } from './worker.ts';

const port = parentPort;
if (port === null) throw new Error('worker.node.ts must run in a worker thread');
port.once('message', (message: HostMessage) => {
  void runInWorker(message, { post: (m, transfer) => port.postMessage(m, (transfer ?? []) as never) });
});
