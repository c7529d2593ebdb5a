/**
 * Building the source in the page: one compile worker (the compiler is downloaded and compiled
 * in it on the first build, then kept), the build's progress and result in the store, and the
 * module it built loaded in place of the old one. Loaded on the first build.
 */
import { Compiler, spawnBrowserCompileWorker, type BuildRequest } from '../core/browser.ts';
import { runModule, setModule, usePlayground } from './store.ts';

let compiler: Compiler | null = null;

/** Build the current source; with `thenRun`, run what it built (Run on a changed source). */
export async function build(options: { thenRun?: boolean } = {}): Promise<boolean> {
  const { source, build: state } = usePlayground.getState();
  if (source === null || state.status === 'building') return false;
  const request: BuildRequest = { fileName: source.fileName, text: source.text, flags: source.flags };
  const startedAt = performance.now();
  const thenRun = options.thenRun ?? false;
  usePlayground.setState({ build: { status: 'building', fileName: source.fileName, progress: null, startedAt, thenRun } });
  compiler ??= new Compiler(spawnBrowserCompileWorker);
  const result = await compiler.build(request, (progress) => {
    const now = usePlayground.getState().build;
    if (now.status === 'building' && now.startedAt === startedAt) usePlayground.setState({ build: { ...now, progress } });
  });
  if (!result.ok) {
    usePlayground.setState({ build: { status: 'failed', fileName: source.fileName, message: result.message, diagnostics: result.diagnostics, log: result.log } });
    return false;
  }
  usePlayground.setState({
    build: {
      status: 'built', fileName: source.fileName, name: result.name, sha256: result.sha256, size: result.wasm.length,
      durationMs: result.durationMs, diagnostics: result.diagnostics, compiler: result.compiler,
    },
  });
  // The module takes the example's name, so a lesson's run of it still reads as the lesson's.
  const name = source.exampleId !== null ? `${source.exampleId}.wasm` : result.name;
  setModule(name, result.wasm, source.exampleId, request);
  if (thenRun) runModule();
  return true;
}
