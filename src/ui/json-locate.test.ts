import { describe, expect, it } from 'vitest';
import { locatePath, parsePath, syntaxErrorOffset } from './json-locate.ts';

const doc = `{
  "timeout_ms": -5,
  "policy": {
    "landlock_rules": [
      { "path": "/data", "access": "ro" },
      { "path": "data", "access": "rw" }
    ]
  },
  "files": { "/x y/\\"q\\".txt": "hi" }
}`;

const at = (path: string) => {
  const span = locatePath(doc, path);
  return span && doc.slice(span.start, span.end);
};

describe('locating a policy issue in the JSON text', () => {
  it('splits the paths the loader writes', () => {
    expect(parsePath('policy.landlock_rules[1].path')).toEqual(['policy', 'landlock_rules', 1, 'path']);
    expect(parsePath('files["/a b"]')).toEqual(['files', '/a b']);
    expect(parsePath('')).toEqual([]);
  });

  it('finds members from key to value, and array elements', () => {
    expect(at('timeout_ms')).toBe('"timeout_ms": -5');
    expect(at('policy.landlock_rules[1].path')).toBe('"path": "data"');
    expect(at('policy.landlock_rules[0]')).toBe('{ "path": "/data", "access": "ro" }');
    expect(at('files["/x y/\\"q\\".txt"]')).toBe('"/x y/\\"q\\".txt": "hi"');
  });

  it('falls back to the nearest thing that exists', () => {
    expect(at('policy.memory_limit_mb')?.startsWith('"policy": {')).toBe(true);
    expect(at('policy.landlock_rules[5]')?.startsWith('"landlock_rules": [')).toBe(true);
  });

  it('gives up on text that is not JSON, and reads V8 syntax error offsets', () => {
    expect(locatePath('{"a": ', 'a')).toBeNull();
    let message = '';
    try {
      JSON.parse('{"a": 1,, }');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(syntaxErrorOffset(message)).toBe(8);
  });
});
