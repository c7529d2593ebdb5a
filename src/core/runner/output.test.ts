import { describe, expect, it } from 'vitest';
import { externalizationSchema } from '../policy/schema.ts';
import { Redactor } from '../secrets/index.ts';
import { createOutputStream } from './output.ts';
import { StreamGate } from './stream-gate.ts';

const encode = (text: string) => new TextEncoder().encode(text);

function outputStream(secrets: [string, string][] = [], maxOutputBytes = 1 << 20) {
  const sent: string[] = [];
  const gate = new StreamGate(externalizationSchema.parse({}), 1 << 20);
  const redactor = secrets.length > 0 ? new Redactor(secrets) : null;
  const output = createOutputStream({ maxOutputBytes }, redactor, gate, (stream, chunk) => sent.push(`${stream}:${new TextDecoder().decode(chunk)}`), () => {});
  return { sent, output, gate };
}

describe('output leaving the worker', () => {
  it('sends an ordinary line within the write call that wrote it', () => {
    const { sent, output } = outputStream();
    output.write('stdout', encode('Computing...\n'));
    expect(sent).toEqual(['stdout:Computing...\n']);
    output.write('stderr', encode('warning: disk 91% full\n'));
    expect(sent).toEqual(['stdout:Computing...\n', 'stderr:warning: disk 91% full\n']);
  });

  it('redacts a registered secret and a gate match that are both split across writes', () => {
    const { sent, output, gate } = outputStream([['TOKEN', 's3cret-value-42']]);
    for (const piece of ['token=s3cr', 'et-value-', '42 mail ada@exa', 'mple.org\n']) output.write('stdout', encode(piece));
    output.close();
    expect(sent.join('')).toBe('stdout:token=stdout:[REDACTED:secret:TOKEN] mail stdout:[REDACTED:pii]\n');
    expect(gate.report().verdict).toBe('warn');
  });

  it('blocks a key whose value is split across writes, after the secret redactor held part of it too', () => {
    const { sent, output, gate } = outputStream([['T', 'tok']]);
    for (const piece of ['to', 'k AKIAIOSFODNN7', 'EXAMPLE\n']) output.write('stdout', encode(piece));
    output.close();
    expect(sent.join('')).toBe('stdout:[REDACTED:secret:T] ');
    expect(gate.report().verdict).toBe('block');
  });

  it('releases what was held back when the run ends', () => {
    const { sent, output } = outputStream();
    output.write('stdout', encode('progress 50%'));
    output.write('stderr', encode('last words: ada@example.org'));
    expect(sent).toEqual(['stdout:progress ', 'stderr:last words: ']);
    output.close();
    expect(sent.slice(2)).toEqual(['stdout:50%', 'stderr:[REDACTED:pii]']);
  });

  it('releases what was held back as soon as the output cap is reached, without waiting for the end', () => {
    const { sent, output } = outputStream([], 20);
    output.write('stdout', encode('line 1: abcdefghijklmnop\n'));
    expect(sent).toEqual(['stdout:line 1: abcdefghijkl']);
    output.write('stderr', encode('more'));
    output.close();
    expect(sent).toEqual(['stdout:line 1: abcdefghijkl']);
  });
});
