import { describe, expect, it } from 'vitest';
import { OutputLog } from './output-log.ts';

describe('output log', () => {
  it('keeps stdout and stderr apart, in order, and joins UTF-8 split across chunks', () => {
    const log = new OutputLog();
    const euro = new TextEncoder().encode('€\n');
    log.appendBytes('stdout', euro.subarray(0, 1));
    log.appendBytes('stdout', euro.subarray(1));
    log.append('stderr', 'oops\n');
    log.append('stdout', 'more\n');
    expect(log.text()).toBe('€\noops\nmore\n');
    expect(log.visible[0].parts.map((p) => p.stream)).toEqual(['stdout', 'stderr', 'stdout']);
  });

  it('closes blocks at line ends, and drops the oldest blocks past the cap', () => {
    const log = new OutputLog(20_000);
    const line = 'x'.repeat(79) + '\n';
    for (let i = 0; i < 1000; i++) log.append('stdout', line);
    expect(log.size).toBeLessThanOrEqual(20_000);
    expect(log.dropped + log.size).toBe(80_000);
    for (const b of log.visible.slice(0, -1)) {
      expect(log.isClosed(b.id)).toBe(true);
      expect(b.parts.at(-1)!.text.endsWith('\n')).toBe(true);
    }
    expect(log.text().endsWith(line)).toBe(true);
  });

  it('keeps only the tail of one enormous chunk', () => {
    const log = new OutputLog(1000);
    log.append('stdout', 'a'.repeat(5000));
    expect(log.size).toBe(1000);
    expect(log.dropped).toBe(4000);
  });

  it('starts over on clear', () => {
    const log = new OutputLog();
    log.append('stdout', 'hi');
    const generation = log.generation;
    log.clear();
    expect(log.text()).toBe('');
    expect(log.generation).toBe(generation + 1);
  });

  it("keeps the sandbox's own messages apart from the module's streams, and escapes in them uninterpreted", () => {
    const log = new OutputLog();
    log.append('stderr', '\x1b[31mmodule error\x1b[0m\n');
    log.appendSandbox('WASM fuel exhausted: all 5 units of fuel used\n');
    expect(log.visible[0].parts).toEqual([
      { stream: 'stderr', text: 'module error', style: 'ansi-fg-1' },
      { stream: 'stderr', text: '\n', style: '' },
      { stream: 'sandbox', text: 'WASM fuel exhausted: all 5 units of fuel used\n', style: '' },
    ]);
  });
});
