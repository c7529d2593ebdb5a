/**
 * Share links for this page: make one from the current setup, and restore one from the address.
 * Opening a link restores the policy and the module (or asks for it); it never runs anything.
 */
import { decodeShareLink, encodeShareLink, moduleRefFor, type EncodeResult, type ModuleRef } from '../core/index.ts';
import type { PolicyDoc } from './policy-doc.ts';
import { pageUrl } from './site.ts';
import { expectModule, loadExample, setLinkNotice, setModule, setPolicyDocument, usePlayground } from './store.ts';

export async function makeShareLink(omitFiles: boolean): Promise<EncodeResult> {
  const { policy, module } = usePlayground.getState();
  const ref: ModuleRef | null = module ? await moduleRefFor(module.name, module.bytes, { exampleId: module.exampleId }) : null;
  return encodeShareLink({ config: policy.doc, module: ref }, { baseUrl: pageUrl(), omitFiles });
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
  } else {
    expectModule(module);
    setLinkNotice({
      kind: 'info',
      text: `This link expects the module ${module.name} (${module.size.toLocaleString('en-US')} bytes, sha256 ${module.sha256.slice(0, 16)}…): choose or drop that file; another file is refused.`,
    });
  }
  return true;
}
