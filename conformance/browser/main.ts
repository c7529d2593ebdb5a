/**
 * The conformance harness page: the engine with browser workers, and one function on window
 * that runs a module under a config. The Playwright spec (e2e/conformance.spec.ts) drives it;
 * it depends on nothing of the playground's UI.
 */
import { Engine, parseDocument, type SandboxConfigInput } from '../../src/core/index.ts';
import { spawnBrowserWorker } from '../../src/core/runner/spawn-browser.ts';

export interface HarnessResult {
  stdout: string;
  stderr: string;
  /** The exit code; -1 when the run ended otherwise (trap, timeout), or failed to start. */
  exit_code: number;
  /** What ended a run that did not exit, or why it failed to start. */
  error: string | null;
  crossOriginIsolated: boolean;
}

declare global {
  interface Window {
    runConformance(moduleBase64: string, moduleName: string, config: SandboxConfigInput): Promise<HarnessResult>;
  }
}

const engine = new Engine(spawnBrowserWorker);

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

window.runConformance = async (moduleBase64, moduleName, config) => {
  const report = await engine.run({ module: decodeBase64(moduleBase64), moduleName, config: parseDocument(config) }).result;
  if (!report.ok) return { stdout: '', stderr: '', exit_code: -1, error: report.error.message, crossOriginIsolated };
  const r = report.result;
  return {
    stdout: r.stdout,
    stderr: r.stderr,
    exit_code: r.exit_code,
    error: r.outcome.kind === 'exit' ? null : r.outcome.kind,
    crossOriginIsolated,
  };
};

document.getElementById('status')!.textContent = 'ready';
