/**
 * Share links: the whole setup (policy document, module reference) in the URL fragment, never
 * sent to a server. Fragment = `v<version>.` + base64url(deflate-raw(payload) + CRC-32 of it,
 * big-endian). The payload is described in format.ts. Decoding never throws: every bad link gives
 * an error value with a message a person can act on.
 */
import { describeIssues, formatPath, loadDocument, type PolicyIssue } from '../policy/load.ts';
import type { SandboxConfig, SandboxConfigInput } from '../policy/schema.ts';
import { exampleById } from '../examples/index.ts';
import { concatBytes, crc32, deflateRaw, fromBase64Url, inflateRaw, toBase64Url } from './bytes.ts';
import { canonicalJson, minimalDocument } from './document.ts';
import { CURRENT_FORMAT, envelopeSchema, migrateEnvelope, moduleRefJsonSchema, type LinkFormat, type ModuleRefJson } from './format.ts';
import { INLINE_MODULE_MAX_BYTES, LINK_SOURCE_MAX_BYTES, type ModuleRef } from './module-ref.ts';

/** Past this many characters a link is likely to be cut by chat tools and mail clients: warn. */
export const SHARE_LINK_WARN_CHARS = 2000;
/** Largest payload a link may unpack to. Links this page makes stay far below it. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
/**
 * Most entries of each list a link may hold. Far above any real setup, and low enough that
 * checking a hostile link (every file against every mount) stays in milliseconds.
 */
export const LINK_LIST_LIMITS = {
  'policy.landlock_rules': 32,
  files: 1024,
  env: 4096,
  args: 4096,
  secrets: 256,
} as const;
/** Longer input is refused before any work: even an incompressible MAX_PAYLOAD_BYTES spells shorter. */
export const MAX_LINK_CHARS = 2 * 1024 * 1024;

/**
 * What a link carries. Secrets appear only as the config's SecretRefs (a name and how to inject
 * it): neither this type nor the policy schema has anywhere to put a secret's value.
 */
export interface ShareSetup {
  config: SandboxConfigInput;
  module: ModuleRef | null;
}

/** A setup restored from a link: the document for the editor, its loaded config, the module. */
export interface SharedSetup {
  document: SandboxConfigInput;
  config: SandboxConfig;
  module: ModuleRef | null;
}

export interface EncodeOptions {
  /** Page address the fragment is appended to (any existing fragment is dropped). Default "". */
  baseUrl?: string;
  /** Leave the mounts' initial files out, to shorten the link. */
  omitFiles?: boolean;
}

export type EncodeResult =
  | {
    ok: true;
    /** baseUrl + "#" + fragment. */
    url: string;
    /** The part after "#", e.g. "v1.q1ZK..." */
    fragment: string;
    /** Characters in `url`. */
    length: number;
    /** Longer than SHARE_LINK_WARN_CHARS: warn, and offer `omitFiles` when there are files. */
    tooLong: boolean;
    /** Mount files left out (with `omitFiles`), by guest path. */
    omittedFiles: string[];
    /** Mount files in the link: what `omitFiles` would drop. */
    files: string[];
  }
  | { ok: false; kind: 'invalid_setup' | 'too_big'; message: string; issues: PolicyIssue[] };

export type ShareLinkErrorKind =
  /** Nothing after "#": not an error to show, just nothing to restore. */
  | 'empty'
  | 'not_a_link'
  | 'too_long'
  | 'bad_characters'
  | 'damaged'
  | 'unsupported_version'
  | 'too_big'
  | 'bad_data'
  | 'invalid_setup';

export type DecodeResult =
  | { ok: true; setup: SharedSetup; version: number; warnings: PolicyIssue[] }
  | { ok: false; kind: ShareLinkErrorKind; message: string; issues: PolicyIssue[] };

export function encodeShareLink(setup: ShareSetup, options: EncodeOptions = {}): Promise<EncodeResult> {
  return encodeWith(setup, options, CURRENT_FORMAT);
}

/** Decode a fragment, "#fragment" or a whole URL. Never throws; never runs anything. */
export function decodeShareLink(input: string): Promise<DecodeResult> {
  return decodeWith(input, CURRENT_FORMAT);
}

export async function encodeWith(setup: ShareSetup, options: EncodeOptions, format: LinkFormat): Promise<EncodeResult> {
  const loaded = loadDocument(setup.config);
  if (!loaded.ok) {
    return { ok: false, kind: 'invalid_setup', message: `the setup cannot be shared until its policy loads:\n${describeIssues(loaded.errors)}`, issues: loaded.errors };
  }
  const files = Object.keys(loaded.config.files);
  const config: SandboxConfig = options.omitFiles ? { ...loaded.config, files: {} } : loaded.config;
  const crowded = overLimits(config);
  if (crowded.length > 0) return { ok: false, kind: 'too_big', message: `the setup is too big for a link:\n${describeIssues(crowded)}`, issues: crowded };

  let moduleJson: ModuleRefJson | null = null;
  let tail: Uint8Array | null = null;
  if (setup.module !== null) {
    const ref = setup.module;
    const sourceBytes = ref.kind === 'source' ? new TextEncoder().encode(ref.text) : null;
    if (sourceBytes !== null && sourceBytes.length > LINK_SOURCE_MAX_BYTES) {
      return {
        ok: false, kind: 'too_big', issues: [],
        message: `the source is ${kib(sourceBytes.length)}, more than a link carries (${kib(LINK_SOURCE_MAX_BYTES)}): share the built module instead`,
      };
    }
    const json = ref.kind === 'inline' ? { kind: ref.kind, name: ref.name, size: ref.bytes.length }
      : ref.kind === 'hash' ? { kind: ref.kind, name: ref.name, size: ref.size, sha256: ref.sha256 }
        : ref.kind === 'source' ? { kind: ref.kind, name: ref.name, size: sourceBytes!.length, compiler: ref.compiler, flags: ref.flags, example: ref.exampleId }
          : { kind: ref.kind, id: ref.id };
    const checked = moduleRefJsonSchema.safeParse(json);
    if (!checked.success) {
      const issues = checked.error.issues.map((i) => ({ path: formatPath(['module', ...i.path]), message: i.message }));
      return { ok: false, kind: 'invalid_setup', message: `the module cannot be shared as given:\n${describeIssues(issues)}`, issues };
    }
    moduleJson = checked.data;
    if (ref.kind === 'inline') tail = ref.bytes;
    if (sourceBytes !== null) tail = sourceBytes;
  }

  const text = new TextEncoder().encode(canonicalJson({ doc: minimalDocument(config), module: moduleJson }));
  const payload = tail === null ? text : concatBytes([text, Uint8Array.of(0x0a), tail]);
  if (payload.length > MAX_PAYLOAD_BYTES) {
    const message = `the setup is ${kib(payload.length)}, more than a link can carry (${kib(MAX_PAYLOAD_BYTES)})` +
      (files.length > 0 && !options.omitFiles ? ': leave out the mount files' : '');
    return { ok: false, kind: 'too_big', message, issues: [] };
  }
  const fragment = await seal(format.version, payload);
  const base = (options.baseUrl ?? '').split('#')[0];
  const url = `${base}#${fragment}`;
  return {
    ok: true,
    url,
    fragment,
    length: url.length,
    tooLong: url.length > SHARE_LINK_WARN_CHARS,
    omittedFiles: options.omitFiles ? files : [],
    files: options.omitFiles ? [] : files,
  };
}

/** Compress, checksum and spell a payload as a fragment. Exposed for tests that forge links. */
export async function seal(version: number, payload: Uint8Array): Promise<string> {
  const compressed = await deflateRaw(payload);
  return sealCompressed(version, compressed);
}

export function sealCompressed(version: number, compressed: Uint8Array): string {
  const crc = crc32(compressed);
  const trailer = Uint8Array.of(crc >>> 24, (crc >>> 16) & 255, (crc >>> 8) & 255, crc & 255);
  return `v${version}.${toBase64Url(concatBytes([compressed, trailer]))}`;
}

type Failure = Extract<DecodeResult, { ok: false }>;
const fail = (kind: ShareLinkErrorKind, message: string, issues: PolicyIssue[] = []): Failure => ({ ok: false, kind, message, issues });

const ASK_AGAIN = 'it was probably cut off or changed when it was copied; ask for the link again';

export async function decodeWith(input: string, format: LinkFormat): Promise<DecodeResult> {
  try {
    return await decodeUnsafe(input, format);
  } catch (e) {
    // Nothing above is expected to throw; if something does, it is still a bad link, not a crash.
    return fail('bad_data', `the link could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
}

async function decodeUnsafe(input: string, format: LinkFormat): Promise<DecodeResult> {
  if (typeof input !== 'string') return fail('not_a_link', 'expected the link as text');
  if (input.length > MAX_LINK_CHARS) {
    return fail('too_long', `the link is ${input.length.toLocaleString('en-US')} characters, longer than any share link (at most ${MAX_LINK_CHARS.toLocaleString('en-US')})`);
  }
  const hash = input.indexOf('#');
  const isAddress = /^\s*[a-z][a-z0-9+.-]*:\/\//i.test(input);
  // "&embed" and other words after the link ask the page for something; they are not the link.
  const fragment = splitFragment((hash >= 0 ? input.slice(hash + 1) : isAddress ? '' : input).trim()).link;
  if (fragment === '') return fail('empty', 'there is no share link in this address');

  const head = /^v(\d{1,9})\./.exec(fragment);
  if (head === null) {
    return fail('not_a_link', `this is not a Kavach Playground share link: the part after "#" should start with "v${format.version}." (it starts with "${printable(fragment.slice(0, 12))}")`);
  }
  const version = Number(head[1]);
  if (version > format.version) {
    return fail('unsupported_version', `this link was made by a newer version of Kavach Playground (link format v${version}; this page reads up to v${format.version}): reload the page to get the newest version`);
  }
  if (version < 1) return fail('unsupported_version', `link format v${version} does not exist; the first format is v1`);

  const body = fragment.slice(head[0].length);
  const decoded = fromBase64Url(body);
  if (!decoded.ok) {
    if (decoded.reason === 'bad_character') {
      const at = head[0].length + decoded.position;
      return fail('bad_characters', `the link has a character that cannot be in a share link ("${printable(decoded.character)}" at position ${at + 1} after "#"): ${ASK_AGAIN}`);
    }
    return fail('damaged', `the link is damaged (its length or last character is not one a share link can have): ${ASK_AGAIN}`);
  }
  const sealed = decoded.bytes;
  if (sealed.length < 5) return fail('damaged', `the link is too short to hold a setup: ${ASK_AGAIN}`);
  const compressed = sealed.subarray(0, sealed.length - 4);
  const t = sealed.subarray(sealed.length - 4);
  const expected = ((t[0] << 24) | (t[1] << 16) | (t[2] << 8) | t[3]) >>> 0;
  if (crc32(compressed) !== expected) return fail('damaged', `the link is damaged (its checksum does not match): ${ASK_AGAIN}`);

  const inflated = await inflateRaw(compressed, MAX_PAYLOAD_BYTES);
  if (!inflated.ok) {
    return inflated.reason === 'too_big'
      ? fail('too_big', `the link unpacks to more than ${kib(MAX_PAYLOAD_BYTES)}, far more than any setup: refused (it was not made by this playground)`)
      : fail('bad_data', `the link's data is not valid compressed data (${inflated.detail})`);
  }
  const payload = inflated.bytes;
  const newline = payload.indexOf(0x0a);
  const jsonBytes = newline < 0 ? payload : payload.subarray(0, newline);
  const tail = newline < 0 ? null : payload.subarray(newline + 1);

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(jsonBytes));
  } catch (e) {
    return fail('bad_data', `the link's setup is not valid JSON text (${e instanceof Error ? e.message : String(e)})`);
  }
  const migrated = migrateEnvelope(json, version, format);
  if (!migrated.ok) return fail('unsupported_version', migrated.message);

  const envelope = envelopeSchema.safeParse(migrated.envelope);
  if (!envelope.success) {
    const issues = envelope.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    return fail('invalid_setup', `the link's setup is not valid:\n${summarise(issues)}`, issues.slice(0, MAX_ISSUES));
  }
  const crowded = overLimits(envelope.data.doc);
  if (crowded.length > 0) return fail('too_big', `the link's setup is bigger than any this playground shares:\n${describeIssues(crowded)}`, crowded);
  const loaded = loadDocument(envelope.data.doc);
  if (!loaded.ok) return fail('invalid_setup', `the link's policy document is not valid:\n${summarise(loaded.errors)}`, loaded.errors.slice(0, MAX_ISSUES));

  const moduleJson = envelope.data.module;
  let module: ModuleRef | null = null;
  if (moduleJson?.kind === 'inline') {
    if (tail === null || tail.length !== moduleJson.size) {
      return fail('damaged', `the link's inline module is ${tail?.length ?? 0} bytes but should be ${moduleJson.size}: ${ASK_AGAIN}`);
    }
    if (tail.length > INLINE_MODULE_MAX_BYTES) return fail('invalid_setup', `the link's inline module is larger than ${INLINE_MODULE_MAX_BYTES} bytes`);
    module = { kind: 'inline', name: moduleJson.name, bytes: tail.slice() };
  } else if (moduleJson?.kind === 'source') {
    if (tail === null || tail.length !== moduleJson.size) {
      return fail('damaged', `the link's source is ${tail?.length ?? 0} bytes but should be ${moduleJson.size}: ${ASK_AGAIN}`);
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(tail);
    } catch {
      return fail('bad_data', 'the link\'s source is not UTF-8 text');
    }
    if (moduleJson.example !== null && exampleById(moduleJson.example) === undefined) {
      const issues = [{ path: 'module.example', message: `this link's source is an edit of the example "${moduleJson.example}", which this version of the playground does not have` }];
      return fail('invalid_setup', issues[0].message, issues);
    }
    module = { kind: 'source', name: moduleJson.name, text, flags: moduleJson.flags, compiler: moduleJson.compiler, exampleId: moduleJson.example };
  } else {
    if (tail !== null) return fail('bad_data', 'the link has data after its setup that belongs to no field');
    if (moduleJson?.kind === 'example') {
      if (exampleById(moduleJson.id) === undefined) {
        const issues = [{ path: 'module.id', message: `this link names the example "${moduleJson.id}", which this version of the playground does not have` }];
        return fail('invalid_setup', issues[0].message, issues);
      }
      module = { kind: 'example', id: moduleJson.id };
    } else if (moduleJson?.kind === 'hash') {
      module = { kind: 'hash', name: moduleJson.name, size: moduleJson.size, sha256: moduleJson.sha256 };
    }
  }
  return {
    ok: true,
    setup: { document: minimalDocument(loaded.config), config: loaded.config, module },
    version,
    warnings: loaded.warnings,
  };
}

/**
 * A fragment as the page reads it: the link, then words after "&" that ask the page for something
 * ("v2.q1ZK...&embed"). base64url never spells "&", so the first one ends the link.
 */
export function splitFragment(fragment: string): { link: string; flags: string[] } {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  const [link, ...flags] = text.split('&');
  return { link, flags: flags.filter((f) => f !== '') };
}

/** Lists longer than LINK_LIST_LIMITS, in a document that may not have loaded yet. */
function overLimits(doc: unknown): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  for (const [path, limit] of Object.entries(LINK_LIST_LIMITS)) {
    let v: unknown = doc;
    for (const key of path.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
    const count = Array.isArray(v) ? v.length : typeof v === 'object' && v !== null ? Object.keys(v).length : 0;
    if (count > limit) issues.push({ path, message: `${count.toLocaleString('en-US')} entries; a link holds at most ${limit.toLocaleString('en-US')}` });
  }
  return issues;
}

/** At most this many problems are listed: a hostile link could have thousands. */
const MAX_ISSUES = 20;

function summarise(issues: readonly PolicyIssue[]): string {
  const shown = describeIssues(issues.slice(0, MAX_ISSUES));
  return issues.length > MAX_ISSUES ? `${shown}\n(and ${issues.length - MAX_ISSUES} more)` : shown;
}

function kib(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1048576).toFixed(1).replace(/\.0$/, '')} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

/** Quote untrusted text for a message: control characters escaped, so it can only ever be text. */
function printable(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
