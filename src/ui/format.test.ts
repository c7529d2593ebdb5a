import { describe, expect, it } from 'vitest';
import { FORMAT_LABELS } from '../core/index.ts';
import { runFileName } from './download.ts';
import { withArticle } from './format.ts';

describe('words and names for people', () => {
  it('puts the right article before a format', () => {
    expect(withArticle(FORMAT_LABELS.extism)).toBe('an Extism manifest (JSON)');
    expect(withArticle(FORMAT_LABELS.kavach)).toBe('a kavach SandboxConfig (JSON)');
    expect(withArticle(FORMAT_LABELS.wasmtime)).toBe('a wasmtime run command line');
  });

  it("names a run's downloads by the module, what they hold and when the run started", () => {
    const at = new Date(2026, 11, 3, 14, 5, 9).getTime();
    expect(runFileName('loop.wasm', 'stdout', 'txt', at)).toBe('loop-stdout-2026-12-03-140509.txt');
    expect(runFileName('my module (2).WASM', 'audit', 'jsonl', at)).toBe('my_module_2_-audit-2026-12-03-140509.jsonl');
    expect(runFileName('', 'stderr', 'txt', at)).toBe('module-stderr-2026-12-03-140509.txt');
  });
});
