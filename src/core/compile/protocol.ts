/** Messages between the page and its compile worker. */
import type { BuildRequest, BuildResult } from './build.ts';
import type { ToolchainProgress } from './toolchain.ts';

export type CompileHostMessage = { type: 'build'; id: number; request: BuildRequest };

export type CompileWorkerMessage =
  | { type: 'progress'; id: number; progress: ToolchainProgress }
  | { type: 'result'; id: number; result: BuildResult };
