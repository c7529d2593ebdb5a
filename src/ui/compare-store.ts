/**
 * Comparing two runs: the two policies as JSON text, and the two reports once both have run. The
 * module is the playground's; the runs go through the same engine and session secrets, one after
 * the other, and do not touch the playground's own run.
 */
import { create } from 'zustand';
import { exampleById, loadDocument, type RunHandle, type RunReport, type SandboxConfig } from '../core/index.ts';
import { lessonPolicy } from '../lessons/index.ts';
import { docToText, type PolicyDoc } from './policy-doc.ts';
import { loadExample, runDetached, showView, usePlayground } from './store.ts';

export interface CompareSide {
  config: SandboxConfig;
  report: RunReport;
}

export interface CompareState {
  textA: string;
  textB: string;
  running: boolean;
  /** The two runs, with the module they ran. */
  result: { moduleName: string; a: CompareSide; b: CompareSide } | null;
  onlyDifferences: boolean;
}

export const useCompare = create<CompareState>(() => ({ textA: '', textB: '', running: false, result: null, onlyDifferences: false }));

const set = useCompare.setState;

export function setCompareText(side: 'a' | 'b', text: string): void {
  set(side === 'a' ? { textA: text } : { textB: text });
}

export function setOnlyDifferences(only: boolean): void {
  set({ onlyDifferences: only });
}

/** The lesson's change for the loaded example, else a copy of `fallback`. */
function secondPolicy(fallback: string): string {
  const { module } = usePlayground.getState();
  const example = module?.exampleId ? exampleById(module.exampleId) : undefined;
  return example ? docToText(lessonPolicy(example, 'tryThis') as PolicyDoc) : fallback;
}

/** Open the comparison: A is the playground's policy, B the lesson's change (or a copy of A). */
export function openCompare(): void {
  if (useCompare.getState().textA === '') {
    const textA = usePlayground.getState().policy.text;
    set({ textA, textB: secondPolicy(textA) });
  }
  showView('compare');
}

/** Compare an example under its own policy (A) and its lesson's change (B). */
export async function prepareCompare(exampleId: string): Promise<void> {
  const example = exampleById(exampleId);
  if (!example) return;
  set({ textA: docToText(lessonPolicy(example, 'default') as PolicyDoc), textB: docToText(lessonPolicy(example, 'tryThis') as PolicyDoc), result: null });
  showView('compare');
  await loadExample(exampleId);
}

/** Compare an earlier run's policy (A) with the playground's current one (B), same module. */
export function compareWithRecent(policyText: string): void {
  set({ textA: policyText, textB: usePlayground.getState().policy.text, result: null });
  showView('compare');
}

/** Start B over from A. */
export function copyAToB(): void {
  set((s) => ({ textB: s.textA }));
}

let current: RunHandle | null = null;
let cancelled = false;

export async function runCompare(): Promise<void> {
  const { module } = usePlayground.getState();
  const { textA, textB, running } = useCompare.getState();
  const a = loadDocument(textA);
  const b = loadDocument(textB);
  if (!module || running || !a.ok || !b.ok) return;
  set({ running: true, result: null });
  cancelled = false;
  try {
    const sides: CompareSide[] = [];
    for (const config of [a.config, b.config]) {
      current = runDetached(module, config);
      sides.push({ config, report: await current.result });
      if (cancelled) return;
    }
    set({ result: { moduleName: module.name, a: sides[0], b: sides[1] } });
  } finally {
    current = null;
    set({ running: false });
  }
}

/** Stop the run in progress; the other one does not start. */
export function stopCompare(): void {
  cancelled = true;
  current?.stop();
}
