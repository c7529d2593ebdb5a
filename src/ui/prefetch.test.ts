import { describe, expect, it } from 'vitest';
import { once, prefetchOn } from './prefetch.ts';

describe('starting a lazy import once', () => {
  it('starts the import on the first call only; every later call gets the same promise', async () => {
    let starts = 0;
    const load = once(() => Promise.resolve(++starts));
    const first = load();
    expect(load()).toBe(first);
    expect(await load()).toBe(1);
    expect(starts).toBe(1);
  });

  it('tries again after a failed import (the network was down), and keeps the one that worked', async () => {
    let starts = 0;
    const load = once(() => (++starts === 1 ? Promise.reject(new Error('offline')) : Promise.resolve(starts)));
    await expect(load()).rejects.toThrow('offline');
    expect(await load()).toBe(2);
    expect(await load()).toBe(2);
    expect(starts).toBe(2);
  });

  it('pointing at or focusing a control starts the import once, and a failed head start is not an error', async () => {
    let starts = 0;
    const load = once(() => {
      starts++;
      return Promise.reject(new Error('offline'));
    });
    const props = prefetchOn(load);
    props.onPointerEnter();
    props.onFocus();
    expect(starts).toBe(1);
    // An unhandled rejection would fail this file.
    await new Promise((resolve) => setImmediate(resolve));
  });
});
