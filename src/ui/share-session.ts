/**
 * Share links for this page: make one from the current setup, and restore one from the address.
 * Opening a link restores the policy and the module, or the source (built when Run is pressed);
 * it never runs anything.
 */
import {
  COMPILER_ID, WAT_COMPILER_ID, decodeShareLink, encodeShareLink, exampleById, moduleRefFor, splitFragment,
  type EncodeResult, type ModuleRef, type SourceModuleRef,
} from '../core/index.ts';
import type { PolicyDoc } from './policy-doc.ts';
import { pageUrl } from './site.ts';
import { expectModule, loadExample, setLinkNotice, setModule, setPolicyDocument, sourceEdited, startSource, usePlayground } from './store.ts';

// The check that a file opened for a link's module is the one the link names: store.ts loads it
// from here, with the rest of the share code, only when a link waits for its module.
export { verifyModule } from '../core/index.ts';

/** What a link carries of the program: the source to build (when there is one), or the module. */
export type Carry = 'source' | 'module';

export function compilerFor(language: SourceModuleRef['flags']['language']): string {
  return language === 'wat' ? WAT_COMPILER_ID : COMPILER_ID;
}

async function programRef(carry: Carry): Promise<ModuleRef | null> {
  const { source, module } = usePlayground.getState();
  if (source !== null && (carry === 'source' || module === null)) {
    // An example's own source, unchanged, is the example: the shortest link.
    if (source.exampleId !== null && !sourceEdited(source)) return { kind: 'example', id: source.exampleId };
    return { kind: 'source', name: source.fileName, text: source.text, flags: source.flags, compiler: compilerFor(source.flags.language), exampleId: source.exampleId };
  }
  if (module === null) return null;
  // A module built here from an example's source is not the example's module.
  return moduleRefFor(module.name, module.bytes, { exampleId: module.builtFrom === null ? module.exampleId : null });
}

export async function makeShareLink(omitFiles: boolean, carry: Carry = 'source'): Promise<EncodeResult> {
  const { policy } = usePlayground.getState();
  return encodeShareLink({ config: policy.doc, module: await programRef(carry) }, { baseUrl: pageUrl(), omitFiles });
}

/** The link that opens the setup in the compact embed view. */
export function embedUrl(url: string): string {
  return `${url}&embed`;
}

/** The `<iframe>` a course page can paste to embed the setup. */
export function iframeSnippet(url: string, title: string): string {
  const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<iframe src="${escaped(embedUrl(url))}" title="${escaped(title)}" width="100%" height="560" style="border: 1px solid #ccc; border-radius: 8px" sandbox="allow-scripts allow-same-origin allow-popups" loading="lazy"></iframe>`;
}

/** Whether an address asks for the embed view ("...#v2.q1ZK...&embed"). */
export function wantsEmbed(fragment: string): boolean {
  return splitFragment(fragment).flags.includes('embed');
}

/** Open a shared source: its policy is set already; the source waits for Run, which builds it. */
export function openSource(ref: SourceModuleRef): void {
  const version = { fileName: ref.name, text: ref.text, flags: ref.flags };
  startSource(version, { exampleId: ref.exampleId, original: version });
  const ours = compilerFor(ref.flags.language);
  const other = ref.compiler === ours ? '' : ` It was built with ${ref.compiler}; this page has ${ours}, so the module may differ.`;
  const of = ref.exampleId !== null ? ` (an edit of the ${exampleById(ref.exampleId)?.title ?? ref.exampleId} example)` : '';
  setLinkNotice({ kind: 'info', text: `Opened a shared source, ${ref.name}${of}. Nothing runs until you press Run, which builds it first.${other}` });
}

/** Restore a setup from a share link; true when one was restored (the caller then loads no default). */
export async function openLink(fragment: string): Promise<boolean> {
  const decoded = await decodeShareLink(fragment);
  if (!decoded.ok) {
    if (decoded.kind !== 'empty') setLinkNotice({ kind: 'error', text: `This link could not be opened: ${decoded.message}` });
    return false;
  }
  const { setup } = decoded;
  setPolicyDocument(setup.document as PolicyDoc);
  const module = setup.module;
  if (module === null) {
    setLinkNotice({ kind: 'info', text: 'Opened a shared policy. It names no module: choose or drop one.' });
  } else if (module.kind === 'example') {
    await loadExample(module.id, { keepPolicy: true });
    setLinkNotice({ kind: 'info', text: 'Opened a shared setup. Nothing runs until you press Run.' });
  } else if (module.kind === 'inline') {
    setModule(module.name, module.bytes);
    setLinkNotice({ kind: 'info', text: `Opened a shared setup with its module ${module.name} inside the link. Nothing runs until you press Run.` });
  } else if (module.kind === 'source') {
    openSource(module);
  } else {
    expectModule(module);
    setLinkNotice({
      kind: 'info',
      text: `This link expects the module ${module.name} (${module.size.toLocaleString('en-US')} bytes, sha256 ${module.sha256.slice(0, 16)}…): choose or drop that file; another file is refused.`,
    });
  }
  return true;
}
