import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sandboxConfigSchema, type SandboxConfigInput } from '../policy/index.ts';
import { CredentialError, Redactor, SecretStore, createStreamRedactor, resolveSecrets } from './index.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const config = (input: SandboxConfigInput) => sandboxConfigSchema.parse(input);

describe('SecretStore', () => {
  it('registers, overwrites, answers has/names, and deletes', () => {
    const s = new SecretStore();
    s.register('A', '1');
    s.register('B', '2');
    s.register('A', '3');
    expect(s.has('A')).toBe(true);
    expect(s.has('C')).toBe(false);
    expect(s.names()).toEqual(['A', 'B']);
    expect(s.get('A')).toBe('3');
    expect(s.delete('B')).toBe(true);
    expect(s.names()).toEqual(['A']);
  });

  it('never serialises or prints a value', () => {
    const s = new SecretStore();
    s.register('TOKEN', 'hunter2-value');
    expect(JSON.stringify({ store: s })).toBe('{"store":["TOKEN"]}');
    expect(inspect(s, { showHidden: true, depth: 5 })).not.toContain('hunter2');
    expect(String(Object.values(s))).not.toContain('hunter2');
  });
});

describe('resolveSecrets', () => {
  const store = new SecretStore();
  store.register('API', 'k-123');
  store.register('CERT', 'é-cert');
  store.register('PIN', '1234');
  store.register('OTP', '999');

  it('turns env refs into pairs, file refs into files, and joins stdin values', () => {
    const r = resolveSecrets(config({
      policy: { landlock_rules: [{ path: '/run', access: 'ro' }] },
      secrets: [
        { name: 'API', inject_via: { EnvVar: { var_name: 'API_KEY' } } },
        { name: 'CERT', inject_via: { File: { path: '/run/cert', mode: 0o440 } } },
        { name: 'PIN', inject_via: 'Stdin' },
        { name: 'OTP', inject_via: 'Stdin' },
      ],
    }), store);
    expect(r.env).toEqual([['API_KEY', 'k-123']]);
    expect(r.files).toEqual([{ path: '/run/cert', mode: 0o440, data: enc('é-cert'), secret: 'CERT' }]);
    expect(r.stdin).toBe('1234\n999');
  });

  it('puts stdin secrets first, then a newline and the config\'s own stdin text', () => {
    const withText = resolveSecrets(config({ stdin: 'line 1\n', secrets: [{ name: 'PIN', inject_via: 'Stdin' }] }), store);
    expect(withText.stdin).toBe('1234\nline 1\n');
    expect(resolveSecrets(config({ stdin: 'only text' }), store).stdin).toBe('only text');
    expect(resolveSecrets(config({}), store).stdin).toBeNull();
  });

  it('throws CredentialError naming the first unregistered secret', () => {
    const c = config({ secrets: [{ name: 'API', inject_via: 'Stdin' }, { name: 'MISSING', inject_via: 'Stdin' }] });
    expect(() => resolveSecrets(c, store)).toThrow(new CredentialError('MISSING'));
    try {
      resolveSecrets(c, store);
    } catch (e) {
      expect(e).toBeInstanceOf(CredentialError);
      expect((e as CredentialError).message).toBe('credential error: secret MISSING is not registered');
      expect((e as CredentialError).secret).toBe('MISSING');
    }
  });
});

describe('Redactor', () => {
  it('redacts every occurrence of every value in text', () => {
    const r = new Redactor([['TOKEN', 's3cr3t'], ['PIN', '1234']]);
    expect(r.redactText('a s3cr3t b 1234 c s3cr3t')).toBe(
      'a [REDACTED:secret:TOKEN] b [REDACTED:secret:PIN] c [REDACTED:secret:TOKEN]');
  });

  it('prefers the longest secret where several start at the same byte', () => {
    const r = new Redactor([['SHORT', 'abc'], ['LONG', 'abcdef']]);
    expect(r.redactText('abcdef abcxyz')).toBe('[REDACTED:secret:LONG] [REDACTED:secret:SHORT]xyz');
  });

  it('leaks no byte of two secrets that overlap in the output', () => {
    const r = new Redactor([['A', 'xxab'], ['B', 'abyy']]);
    expect(r.redactText('>xxabyy<')).toBe('>[REDACTED:secret:A][REDACTED:secret:B]<');
    expect(r.redactText('>xxab<')).toBe('>[REDACTED:secret:A]<');
  });

  it('redacts a value repeated back to back, and self-overlapping values, without leaking', () => {
    const r = new Redactor([['A', 'aa']]);
    expect(r.redactText('aaa')).toBe('[REDACTED:secret:A]');
    expect(r.redactText('aa aa')).toBe('[REDACTED:secret:A] [REDACTED:secret:A]');
  });

  it('ignores empty values and works with none at all', () => {
    expect(new Redactor([['E', '']]).redactText('abc')).toBe('abc');
    expect(new Redactor([]).maxLen).toBe(0);
  });

  it('works on UTF-8 bytes, including inside a binary file', () => {
    const r = new Redactor([['K', 'clé-ü']]);
    const file = new Uint8Array([0, 255, ...enc('clé-ü'), 7, ...enc('clé-ü')]);
    const out = r.redactBytes(file);
    expect([...out.subarray(0, 2)]).toEqual([0, 255]);
    expect(dec(out.subarray(2))).toBe('[REDACTED:secret:K]\u0007[REDACTED:secret:K]');
    expect(r.maxLen).toBe(7);
  });
});

describe('createStreamRedactor', () => {
  const secrets: [string, string][] = [['TOKEN', 'tok-ABCDEF'], ['PIN', '12345'], ['OVER', 'DEF-xyz'], ['UTF', 'ñandú']];
  const texts = [
    'start tok-ABCDEF end',
    'tok-ABCDEF-xyz!',           // TOKEN then OVER overlapping it
    '1234 12345 123456 tok-ABC', // near misses and a trailing partial
    'ñandú, ñand, ñandú',
    'no secrets here at all',
  ];
  const whole = new Redactor(secrets);

  const streamed = (parts: Uint8Array[]) => {
    const s = createStreamRedactor(secrets);
    const out = parts.map((p) => s.push(p));
    out.push(s.flush());
    return dec(Buffer.concat(out));
  };

  it.each(texts)('gives the same output for every split into two chunks: %s', (text) => {
    const bytes = enc(text);
    const expected = dec(whole.redactBytes(bytes));
    for (let i = 0; i <= bytes.length; i++) {
      expect(streamed([bytes.subarray(0, i), bytes.subarray(i)]), `split at ${i}`).toBe(expected);
    }
  });

  it.each(texts)('gives the same output one byte at a time: %s', (text) => {
    const bytes = enc(text);
    expect(streamed(Array.from(bytes, (b) => new Uint8Array([b])))).toBe(dec(whole.redactBytes(bytes)));
  });

  it('gives the same output for every split into three chunks', () => {
    const bytes = enc('x tok-ABCDEF-xyz 12345 y');
    const expected = dec(whole.redactBytes(bytes));
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) {
        expect(streamed([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)])).toBe(expected);
      }
    }
  });

  it('emits at once what cannot start a secret, and holds back at most maxLen - 1 bytes', () => {
    const s = createStreamRedactor(secrets);
    expect(dec(s.push(enc('hello world ')))).toBe('hello world ');
    expect(dec(s.push(enc('then tok-ABCDE')))).toBe('then ');
    expect(dec(s.push(enc('F and')))).toBe('[REDACTED:secret:TOKEN] and');
    expect(dec(s.push(enc(' 1234')))).toBe(' ');
    expect(dec(s.flush())).toBe('1234');
    for (let n = 0; n < 40; n++) {
      const held = enc('x'.repeat(n) + 'tok-ABCDEF'.slice(0, 9)).length - s.push(enc('x'.repeat(n) + 'tok-ABCDEF'.slice(0, 9))).length;
      expect(held).toBeLessThanOrEqual(whole.maxLen - 1);
      s.flush();
    }
  });

  it('never emits a secret split across many chunks', () => {
    const s = createStreamRedactor(secrets);
    const out = ['t', 'ok', '-AB', 'CDEF', ' ', '12', '3', '45'].map((p) => dec(s.push(enc(p)))).join('') + dec(s.flush());
    expect(out).toBe('[REDACTED:secret:TOKEN] [REDACTED:secret:PIN]');
  });
});
