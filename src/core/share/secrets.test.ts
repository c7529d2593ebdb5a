/** A share link never carries a secret's value, whichever way the secret is injected. */
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../policy/load.ts';
import type { SandboxConfigInput } from '../policy/schema.ts';
import { resolveSecrets, SecretStore } from '../secrets/index.ts';
import { fromBase64Url, inflateRaw } from './bytes.ts';
import { decodeShareLink, encodeShareLink, MAX_PAYLOAD_BYTES, type ShareSetup } from './index.ts';

const METHODS = [
  ['an environment variable', { EnvVar: { var_name: 'API_KEY' } }],
  ['a file', { File: { path: '/secrets/api-key', mode: 0o400 } }],
  ['stdin', 'Stdin'],
] as const;

/** Every form a value could take inside a link: plain, JSON-escaped, base64 (standard and url), hex. */
function spellings(value: string): string[] {
  const bytes = new TextEncoder().encode(value);
  const b64 = btoa(String.fromCharCode(...bytes));
  return [value, JSON.stringify(value).slice(1, -1), b64.slice(0, 16), b64.replace(/\+/g, '-').replace(/\//g, '_').slice(0, 16), [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')];
}

/** The link's fragment and its whole unpacked payload, as text. */
async function linkTexts(setup: ShareSetup): Promise<string[]> {
  const link = await encodeShareLink(setup);
  if (!link.ok) throw new Error(link.message);
  const sealed = fromBase64Url(link.fragment.slice(3));
  if (!sealed.ok) throw new Error('not base64url');
  const payload = await inflateRaw(sealed.bytes.subarray(0, -4), MAX_PAYLOAD_BYTES);
  if (!payload.ok) throw new Error('does not inflate');
  return [link.url, new TextDecoder().decode(payload.bytes)];
}

describe('secrets never enter a share link', () => {
  for (const [method, injectVia] of METHODS) {
    it(`for a secret injected as ${method}`, async () => {
      const value = `sk_live_V4lue-of-${method.replace(/\W/g, '')}-2f9c1e`;
      const store = new SecretStore();
      store.register('API_TOKEN', value);
      const config: SandboxConfigInput = {
        policy: { landlock_rules: [{ path: '/secrets', access: 'ro' }] },
        secrets: [{ name: 'API_TOKEN', inject_via: injectVia }],
        env: [['PUBLIC', 'visible']],
        stdin: 'public input\n',
      };
      const loaded = loadDocument(config);
      if (!loaded.ok) throw new Error('fixture does not load');
      // The value really is injected at run time, so its absence below means something.
      const resolved = resolveSecrets(loaded.config, store);
      expect(JSON.stringify({ env: resolved.env, stdin: resolved.stdin, files: resolved.files.map((f) => new TextDecoder().decode(f.data)) })).toContain(value);

      // Attempts to smuggle the value in: an extra field on the ref, a stray top-level field,
      // the store itself, and the resolved injections.
      const smuggled = {
        ...config,
        secrets: [{ name: 'API_TOKEN', inject_via: injectVia, value }],
        secret_values: { API_TOKEN: value },
        store,
        resolved,
      } as unknown as SandboxConfigInput;

      for (const setup of [{ config, module: null }, { config: smuggled, module: null }]) {
        for (const text of await linkTexts(setup)) {
          for (const spelling of spellings(value)) expect(text).not.toContain(spelling);
        }
        const link = await encodeShareLink(setup);
        const back = link.ok ? await decodeShareLink(link.fragment) : null;
        expect(back?.ok && back.setup.config.secrets).toEqual([{ name: 'API_TOKEN', inject_via: loaded.config.secrets[0].inject_via }]);
        expect(JSON.stringify(back)).not.toContain(value);
      }
    });
  }

  it('has no field for a value in the setup type', () => {
    const setup: ShareSetup = {
      // @ts-expect-error a SecretRef is a name and an injection method; there is nowhere to put a value
      config: { secrets: [{ name: 'API_TOKEN', inject_via: 'Stdin', value: 'hunter2' }] },
      module: null,
    };
    expect(setup.module).toBeNull();
  });
});
