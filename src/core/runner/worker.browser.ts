/** Worker entry for browsers (Web Worker): perhaps a warm-up first (warm.ts), then one message, one run. */
import type { HostMessage, WarmMessage } from './protocol.ts';
import { warmUp } from './warm.ts';
import { runInWorker } from './worker.ts';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<HostMessage | WarmMessage>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
};
let warming: Promise<void> = Promise.resolve();
scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'warm') {
    warming = warmUp(message.plan);
    return;
  }
  scope.onmessage = null;
  // The run starts once the warm-up is over: the two never interleave.
  void warming.then(() => runInWorker(message, { post: (m, transfer) => scope.postMessage(m, transfer ?? []) }));
};
