// Node worker bootstrap: worker threads do not inherit the parent's TypeScript loader, so
// register tsx here, then load the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./worker.node.ts');
