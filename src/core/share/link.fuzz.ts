/**
 * Fuzz target: the share-link decoder against seeded mutations of real links. Each case must
 * decode to a valid setup (one that loads, and shares again to the same setup) or to an error
 * value with a known kind and a message; never throw, hang or return something that does not load.
 *
 * A case's seed picks one of 24 links of random setups (made once) and damages it: the text, as
 * copying and pasting does (two cases in three); the compressed bytes, sealed with a correct
 * checksum so they reach the inflater; or the JSON inside, sealed correctly so it reaches
 * validation. One seed in BOMB_EVERY is instead one of the bombs (huge, deep, or at each limit).
 */
import { readFileSync } from 'node:fs';
import type { FuzzTarget } from '../../testing/fuzz.ts';
import { loadDocument } from '../policy/load.ts';
import { deflateRaw, fromBase64Url, inflateRaw, toBase64Url } from './bytes.ts';
import { deepEqual } from './document.ts';
import { moduleRefJsonSchema } from './format.ts';
import { defaultFlags } from '../compile/flags.ts';
import { COMPILER_ID } from '../compile/toolchain.ts';
import {
  decodeShareLink, encodeShareLink, INLINE_MODULE_MAX_BYTES, MAX_PAYLOAD_BYTES, moduleRefFor, type ModuleRef, type ShareLinkErrorKind,
} from './index.ts';
import { LINK_LIST_LIMITS, seal, sealCompressed } from './link.ts';
import { randomConfig, seededRandom, TRICKY_TEXTS } from '../../testing/share/random-setup.ts';

/** One seed in this many is a bomb. */
export const BOMB_EVERY = 512;

const KINDS: readonly ShareLinkErrorKind[] = [
  'empty', 'not_a_link', 'too_long', 'bad_characters', 'damaged', 'unsupported_version', 'too_big', 'bad_data', 'invalid_setup',
];
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const hello = new Uint8Array(readFileSync(new URL('../../../public/examples/hello.wasm', import.meta.url)));

interface Base {
  fragment: string;
  /** The payload before compression, and where its JSON ends. */
  payload: Uint8Array;
  compressed: Uint8Array;
}

/** What decoding `link` gave, and every promise it broke. */
type Outcome = ShareLinkErrorKind | 'ok' | 'threw';

export async function checkLink(link: string): Promise<{ outcome: Outcome; failures: string[] }> {
  const failures: string[] = [];
  let r;
  try {
    r = await decodeShareLink(link);
  } catch (e) {
    return { outcome: 'threw', failures: [`threw ${String(e)}`] };
  }
  if (!r.ok) {
    if (!KINDS.includes(r.kind)) failures.push(`unknown kind ${r.kind}`);
    if (typeof r.message !== 'string' || r.message.trim() === '') failures.push('no message');
    return { outcome: r.kind, failures };
  }
  // A success must be a setup that loads, and that shares again to the same setup.
  const again = loadDocument(r.setup.document);
  if (!again.ok || !deepEqual(again.config, r.setup.config)) failures.push('decoded document does not load to its config');
  if (!moduleIsValid(r.setup.module)) failures.push(`invalid module reference ${JSON.stringify(r.setup.module)}`);
  const reshared = await encodeShareLink({ config: r.setup.document, module: r.setup.module });
  if (!reshared.ok) {
    failures.push(`decoded setup cannot be shared again: ${reshared.message}`);
    return { outcome: 'ok', failures };
  }
  const round = await decodeShareLink(reshared.fragment);
  if (!round.ok || !deepEqual(round.setup.config, r.setup.config)) failures.push('re-shared setup differs');
  return { outcome: 'ok', failures };
}

function moduleIsValid(ref: ModuleRef | null): boolean {
  if (ref === null) return true;
  if (ref.kind === 'inline') return ref.bytes.length <= INLINE_MODULE_MAX_BYTES && moduleRefJsonSchema.safeParse({ kind: 'inline', name: ref.name, size: ref.bytes.length }).success;
  if (ref.kind === 'source') {
    const size = new TextEncoder().encode(ref.text).length;
    return moduleRefJsonSchema.safeParse({ kind: 'source', name: ref.name, size, compiler: ref.compiler, flags: ref.flags, example: ref.exampleId }).success;
  }
  return moduleRefJsonSchema.safeParse(ref).success;
}

async function makeBases(random: () => number, count: number): Promise<Base[]> {
  const modules: (ModuleRef | null)[] = [
    null, { kind: 'example', id: 'cat' }, await moduleRefFor('hello.wasm', hello), await moduleRefFor('hello.wasm', hello, { inline: false }),
    { kind: 'source', name: 'main.c', text: '#include <stdio.h>\nint main(void) { puts("ünï"); }\n', flags: defaultFlags('c'), compiler: COMPILER_ID, exampleId: 'hello' },
  ];
  const out: Base[] = [];
  for (let i = 0; i < count; i++) {
    const r = await encodeShareLink({ config: randomConfig(random), module: modules[i % modules.length] });
    if (!r.ok) throw new Error(r.message);
    const sealed = fromBase64Url(r.fragment.slice(3));
    if (!sealed.ok) throw new Error('bad base');
    const compressed = sealed.bytes.slice(0, -4);
    const payload = await inflateRaw(compressed, MAX_PAYLOAD_BYTES);
    if (!payload.ok) throw new Error('bad base');
    out.push({ fragment: r.fragment, payload: payload.bytes, compressed });
  }
  return out;
}

/** Mutations of the link text, as copying and pasting damages it. */
function textMutation(link: string, random: () => number): [string, string] {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const at = 3 + Math.floor(random() * (link.length - 3));
  switch (Math.floor(random() * 10)) {
    case 0: return ['truncate', link.slice(0, Math.floor(random() * link.length))];
    case 1: {
      const replacement = pick(B64.replace(link[at], '').split(''));
      return ['change a character', link.slice(0, at) + replacement + link.slice(at + 1)];
    }
    case 2: {
      const sealed = fromBase64Url(link.slice(3));
      if (!sealed.ok) return ['noop', link];
      const bit = Math.floor(random() * sealed.bytes.length * 8);
      sealed.bytes[bit >> 3] ^= 1 << (bit & 7);
      return ['flip a bit', `${link.slice(0, 3)}${toBase64Url(sealed.bytes)}`];
    }
    case 3: return ['insert a character', link.slice(0, at) + pick(['%', ' ', '<', '"', '\n', 'é', '=', '+', '/', 'A', '-', '\u0000', '🦀']) + link.slice(at)];
    case 4: return ['delete a character', link.slice(0, at) + link.slice(at + 1)];
    case 5: return ['change the version', link.replace(/^v\d+/, pick(['v0', 'v1', 'v3', 'v99', 'v', 'V2', 'v-1', 'v2.5', 'v02', 'v999999999', 'v9999999999', '']))];
    case 6: return ['repeat the body', link + link.slice(3)];
    case 7: return ['wrap it', pick(['#', 'https://x.example/#', '%23', '#v2.', 'https://x.example/?', ' ']) + link + pick(['', '', '&embed', '&', '&&x'])];
    case 8: {
      const other = 3 + Math.floor(random() * (link.length - 3));
      const chars = link.split('');
      [chars[at], chars[other]] = [chars[other], chars[at]];
      return ['swap two characters', chars.join('')];
    }
    default: return ['url-encode it', encodeURIComponent(link).replace(/-/g, '%2D')];
  }
}

/** Mutations of the compressed bytes, sealed with a correct checksum so they reach the inflater. */
function compressedMutation(base: Base, random: () => number): [string, string] {
  const bytes = base.compressed.slice();
  const at = Math.floor(random() * bytes.length);
  switch (Math.floor(random() * 4)) {
    case 0: bytes[at] ^= 1 << Math.floor(random() * 8); return ['flip a compressed bit', sealCompressed(1, bytes)];
    case 1: return ['truncate the stream', sealCompressed(1, bytes.subarray(0, at))];
    case 2: bytes[at] = Math.floor(random() * 256); return ['replace a compressed byte', sealCompressed(1, bytes)];
    default: return ['append bytes', sealCompressed(1, Uint8Array.of(...bytes, ...Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256))))];
  }
}

const JUNK: readonly unknown[] = [
  null, -1, 0, 1.5, 2 ** 53, -0, 1e300, 'x', '', true, {}, [], [null], { base64: '!!' }, '/', '/etc/passwd', 'Stdin',
  ...TRICKY_TEXTS, { __proto__: { polluted: true } }, 'a'.repeat(5000), { EnvVar: {} }, [['A']], [['A', 1]],
];

/** Mutations of the JSON inside, sealed correctly, so they reach validation. */
async function payloadMutation(base: Base, random: () => number): Promise<[string, string]> {
  const newline = base.payload.indexOf(0x0a);
  const jsonEnd = newline < 0 ? base.payload.length : newline;
  const text = new TextDecoder().decode(base.payload.subarray(0, jsonEnd));
  const tail = base.payload.subarray(jsonEnd);
  const resealed = (t: string) => seal(1, Uint8Array.of(...new TextEncoder().encode(t), ...tail));
  if (random() < 0.3) {
    const at = Math.floor(random() * text.length);
    const edit = random() < 0.5 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + '{}[]",:0\\'[Math.floor(random() * 9)] + text.slice(at);
    return ['edit the JSON text', await resealed(edit)];
  }
  // Replace a random value somewhere in the envelope with junk.
  const envelope = JSON.parse(text) as unknown;
  const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach((x, i) => { slots.push({ parent: v, key: i }); walk(x); });
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) { slots.push({ parent: v as Record<string, unknown>, key: k }); walk(x); }
  };
  walk(envelope);
  const slot = slots[Math.floor(random() * slots.length)];
  const junk = JUNK[Math.floor(random() * JUNK.length)];
  if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = junk;
  else slot.parent[slot.key as string] = junk;
  return [`set ${String(slot.key)} to junk`, await resealed(JSON.stringify(envelope))];
}

/** Links built to exhaust the decoder: huge, deep, or at and just past each limit. */
export async function bombs(): Promise<[string, string][]> {
  const text = (t: string) => new TextEncoder().encode(t);
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const stdinOf = (size: number) => {
    const [head, foot] = ['{"doc":{"stdin":"', '"},"module":null}'];
    return text(head + 'a'.repeat(size - head.length - foot.length) + foot);
  };
  return [
    ['8 MiB of zeros', sealCompressed(1, await deflateRaw(new Uint8Array(8 * 1024 * 1024)))],
    ['a 5 MiB stdin', await seal(1, text(`{"doc":{"stdin":"${'a'.repeat(5 * 1024 * 1024)}"},"module":null}`))],
    ['exactly the cap', await seal(1, stdinOf(MAX_PAYLOAD_BYTES))],
    ['one byte past the cap', await seal(1, stdinOf(MAX_PAYLOAD_BYTES + 1))],
    ['2 MiB of "["', await seal(1, text('['.repeat(2 * 1024 * 1024)))],
    ['nesting 400k deep', await seal(1, text(deep(400_000)))],
    ['a document nesting 200k deep', await seal(1, text(`{"doc":{"x":${deep(200_000)}},"module":null}`))],
    ['args nesting 200k deep', await seal(1, text(`{"doc":{"args":${deep(200_000)}},"module":null}`))],
    ['50k env pairs', await seal(1, text(`{"doc":{"env":${JSON.stringify(Array.from({ length: 50_000 }, (_, i) => [`K${i}`, 'v']))}},"module":null}`))],
    ['25k mounts', await seal(1, text(`{"doc":{"policy":{"landlock_rules":${JSON.stringify(Array.from({ length: 25_000 }, (_, i) => ({ path: `/m${i}`, access: 'ro' })))}}},"module":null}`))],
    ['25k identical mounts', await seal(1, text(`{"doc":{"policy":{"landlock_rules":${JSON.stringify(Array.from({ length: 25_000 }, () => ({ path: '/m', access: 'ro' })))}}},"module":null}`))],
    ['every list at its limit', await seal(1, text(JSON.stringify({
      doc: {
        policy: { landlock_rules: Array.from({ length: LINK_LIST_LIMITS['policy.landlock_rules'] }, (_, i) => ({ path: `/m${i}`, access: 'ro' })) },
        files: Object.fromEntries(Array.from({ length: LINK_LIST_LIMITS.files }, (_, i) => [`/m${i % 32}/f${i}`, 'x'])),
        env: Array.from({ length: LINK_LIST_LIMITS.env }, (_, i) => [`K${i}`, 'v']),
        args: Array.from({ length: LINK_LIST_LIMITS.args }, (_, i) => `a${i}`),
        secrets: Array.from({ length: LINK_LIST_LIMITS.secrets }, (_, i) => ({ name: `S${i}`, inject_via: { File: { path: `/m0/s${i}`, mode: 256 } } })),
      },
      module: null,
    })))],
    ['an inline module past the bound', await seal(1, Uint8Array.of(...text(`{"doc":{},"module":{"kind":"inline","name":"m.wasm","size":${INLINE_MODULE_MAX_BYTES + 1}}}\n`), ...new Uint8Array(INLINE_MODULE_MAX_BYTES + 1)))],
  ];
}

let basePool: Promise<Base[]> | null = null;
let bombPool: Promise<[string, string][]> | null = null;

/** One case: the link it made, with a label saying how, and what decoding it gave. */
export async function shareLinkCase(seed: number): Promise<{ label: string; outcome: Outcome; failures: string[] }> {
  let label: string;
  let link: string;
  if (seed % BOMB_EVERY === 0) {
    const all = await (bombPool ??= bombs());
    [label, link] = all[Math.floor(seed / BOMB_EVERY) % all.length];
  } else {
    const pool = await (basePool ??= makeBases(seededRandom(20_240_601), 24));
    const random = seededRandom(seed);
    const base = pool[Math.floor(random() * pool.length)];
    const family = random() * 6;
    if (family < 4) {
      [label, link] = textMutation(base.fragment, random);
      label = `${label} of ${base.fragment.slice(0, 24)}...`;
    } else if (family < 5) [label, link] = compressedMutation(base, random);
    else [label, link] = await payloadMutation(base, random);
  }
  return { label, ...(await checkLink(link)) };
}

/** The target, reporting each case's outcome to `observe` (a test counts the layers reached). */
export function shareLinkTarget(observe?: (outcome: Outcome) => void): FuzzTarget {
  return {
    name: 'share-link',
    promise: 'a damaged or hostile share link decodes to a setup that loads and re-shares, or to an error with a known kind and a message',
    async run(seed) {
      const c = await shareLinkCase(seed);
      observe?.(c.outcome);
      if (c.failures.length > 0) throw new Error(`${c.label}: ${c.failures.join('; ')}`);
    },
  };
}

export const target: FuzzTarget = shareLinkTarget();
