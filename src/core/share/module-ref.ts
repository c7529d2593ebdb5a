/**
 * How a setup names its module: by content hash (the page asks for the file and checks it), with
 * the bytes inline when the module is small, or as a bundled example.
 */
import * as z from '../zod.ts';
import { sha256Hex } from '../util/hash.ts';
import type { BuildFlags } from '../compile/flags.ts';

/**
 * Largest module carried inside a link: 4 KiB. Such a module (hand-written WAT, a tiny C program;
 * the hello example is 3.2 KiB) deflates to about half and adds at most ~2,000 characters to the
 * link; anything bigger would push links far past what chat tools keep, so it goes by hash.
 */
export const INLINE_MODULE_MAX_BYTES = 4096;

/**
 * Largest source a link carries: 64 KiB of UTF-8, far past any lesson. Deflated it spells about
 * 20,000-30,000 characters, which browsers open but chat tools cut; a larger source is shared as
 * its built module instead.
 */
export const LINK_SOURCE_MAX_BYTES = 64 * 1024;

export type ModuleRef =
  /** The page asks for the file and refuses one whose SHA-256 differs. */
  | { kind: 'hash'; name: string; size: number; sha256: string }
  /** The module's bytes travel in the link (at most INLINE_MODULE_MAX_BYTES). */
  | { kind: 'inline'; name: string; bytes: Uint8Array }
  /** A bundled example, by id (its module and the page's copy of it). */
  | { kind: 'example'; id: string }
  /**
   * A source to build (at most LINK_SOURCE_MAX_BYTES): its file name, text and flags, the compiler
   * its author built with, and the gallery example it is an edit of (or null).
   */
  | { kind: 'source'; name: string; text: string; flags: BuildFlags; compiler: string; exampleId: string | null };

export type SourceModuleRef = Extract<ModuleRef, { kind: 'source' }>;

export type HashModuleRef = Extract<ModuleRef, { kind: 'hash' }>;

const MODULE_NAME_RULE = 'a plain file name: 1-255 characters, none of / \\ : * ? " < > | or control characters';
/** A name that is safe as a download name and as text anywhere: no path, no markup characters. */
export const moduleNameSchema = z.string({ error: `expected ${MODULE_NAME_RULE}` })
  .regex(/^[^/\\:*?"<>|\u0000-\u001f\u007f]{1,255}$/, { error: `expected ${MODULE_NAME_RULE}` })
  .refine((n) => n !== '.' && n !== '..', { error: `expected ${MODULE_NAME_RULE}` });
export const exampleIdSchema = z.string({ error: 'expected an example id (lowercase letters, digits, "_" or "-")' })
  .regex(/^[a-z0-9_-]{1,64}$/, { error: 'expected an example id (lowercase letters, digits, "_" or "-")' });
export const sha256Schema = z.string({ error: 'expected a SHA-256 as 64 lowercase hex digits' })
  .regex(/^[0-9a-f]{64}$/, { error: 'expected a SHA-256 as 64 lowercase hex digits' });
/** 8 bytes is the smallest module ("\0asm" and a version); 4 GiB is beyond any browser's limit. */
export const moduleSizeSchema = z.number({ error: 'expected a module size in bytes' })
  .int({ error: 'expected a module size in whole bytes' })
  .min(8, { error: 'expected a module size of at least 8 bytes' })
  .max(2 ** 32, { error: 'expected a module size below 4 GiB' });

/**
 * The reference a share link should carry for a module: the example when it is one, the bytes
 * when small enough (unless `inline` is false), else name, size and hash.
 */
export async function moduleRefFor(
  name: string,
  bytes: Uint8Array,
  options: { exampleId?: string | null; inline?: boolean } = {},
): Promise<ModuleRef> {
  if (options.exampleId) return { kind: 'example', id: options.exampleId };
  if ((options.inline ?? true) && bytes.length <= INLINE_MODULE_MAX_BYTES) return { kind: 'inline', name, bytes };
  return { kind: 'hash', name, size: bytes.length, sha256: await sha256Hex(bytes) };
}

export type ModuleCheck =
  | { ok: true }
  | {
    ok: false;
    kind: 'mismatch';
    expected: { name: string; size: number; sha256: string };
    actual: { name: string | null; size: number; sha256: string };
    message: string;
  };

/**
 * Check a chosen file against the module a link names. A different file is refused; the message
 * shows both hashes so the person can see it is not the same build.
 */
export async function verifyModule(ref: HashModuleRef, bytes: Uint8Array, chosenName: string | null = null): Promise<ModuleCheck> {
  const sha256 = await sha256Hex(bytes);
  if (sha256 === ref.sha256 && bytes.length === ref.size) return { ok: true };
  const chosen = chosenName === null ? 'the chosen file' : `the chosen file ${chosenName}`;
  return {
    ok: false,
    kind: 'mismatch',
    expected: { name: ref.name, size: ref.size, sha256: ref.sha256 },
    actual: { name: chosenName, size: bytes.length, sha256 },
    message:
      `this link expects ${ref.name} (${formatBytes(ref.size)}, sha256 ${ref.sha256}); ` +
      `${chosen} (${formatBytes(bytes.length)}) has sha256 ${sha256}: it is a different module, so it was not loaded`,
  };
}

function formatBytes(n: number): string {
  return `${n.toLocaleString('en-US')} byte${n === 1 ? '' : 's'}`;
}
