/** Worker entry for browsers (Web Worker): one message, one run. */
import type { HostMessage } from './protocol.ts';
import { runInWorker } from './worker.ts';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<HostMessage>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
};
scope.onmessage = (event) => {
  scope.onmessage = null;
  void runInWorker(event.data, { post: (m, transfer) => scope.postMessage(m, transfer ?? []) });
};
