/**
 * Share links: a whole setup (policy document, module reference) in a URL fragment, compressed,
 * versioned, checksummed; never a secret value. Opening a link restores; it never runs anything.
 */
export {
  decodeShareLink, encodeShareLink, MAX_LINK_CHARS, MAX_PAYLOAD_BYTES, SHARE_LINK_WARN_CHARS, splitFragment,
  type DecodeResult, type EncodeOptions, type EncodeResult, type SharedSetup, type ShareLinkErrorKind, type ShareSetup,
} from './link.ts';
export {
  INLINE_MODULE_MAX_BYTES, LINK_SOURCE_MAX_BYTES, moduleRefFor, verifyModule, type HashModuleRef, type ModuleCheck, type ModuleRef, type SourceModuleRef,
} from './module-ref.ts';
export { canonicalJson, minimalDocument } from './document.ts';
export { CURRENT_FORMAT } from './format.ts';
