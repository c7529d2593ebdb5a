/**
 * CRuby's WASI build (ruby+stdlib.wasm, 30.6 MB, 17,825 functions and an 18.9 MB data section):
 * a large real module for the instrumenter's bench. Fetched once with `npm pack` into bench/.cache/
 * (git-ignored), never committed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const PACKAGE = '@ruby/3.4-wasm-wasi@2.10.1';
const TARBALL = 'ruby-3.4-wasm-wasi-2.10.1.tgz';
const MEMBER = 'package/dist/ruby+stdlib.wasm';
const cache = new URL('.cache/', import.meta.url);

/** The module's bytes, or why it is not available (the registry unreachable, say). */
export function crubyWasm(): { bytes: Uint8Array<ArrayBuffer> } | { skipped: string } {
  const wasm = new URL('ruby+stdlib-2.10.1.wasm', cache);
  if (!existsSync(wasm)) {
    mkdirSync(cache, { recursive: true });
    try {
      execFileSync('npm', ['pack', PACKAGE, '--pack-destination', cache.pathname], { stdio: 'pipe', timeout: 300_000 });
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? '';
      const why = /npm error code (\S+)/.exec(stderr)?.[1] ?? (e as Error).message.split('\n')[0];
      return { skipped: `npm pack ${PACKAGE} failed (${why}); is the registry reachable?` };
    }
    const member = tarMember(gunzipSync(readFileSync(new URL(TARBALL, cache))), MEMBER);
    if (member === null) return { skipped: `${TARBALL} has no ${MEMBER}` };
    writeFileSync(wasm, member);
  }
  return { bytes: new Uint8Array(readFileSync(wasm)) };
}

/** A regular file's contents from a ustar archive, or null. */
function tarMember(tar: Uint8Array, name: string): Uint8Array | null {
  const text = new TextDecoder();
  const field = (at: number, length: number) => text.decode(tar.subarray(at, at + length)).replace(/\0.*$/s, '');
  for (let at = 0; at + 512 <= tar.length; ) {
    const path = field(at, 100);
    if (path === '') return null; // the end-of-archive blocks
    const size = parseInt(field(at + 124, 12).trim(), 8);
    const prefix = field(at + 345, 155);
    if ((prefix === '' ? path : `${prefix}/${path}`) === name) return tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return null;
}
