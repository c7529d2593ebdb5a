/** What a CLI command may touch, so commands can be tested without a real process. */
export interface CliIO {
  stdout: (text: string | Uint8Array) => void;
  stderr: (text: string | Uint8Array) => void;
  /** Reads all of stdin (empty when none is attached). */
  readStdin: () => Promise<Uint8Array>;
  cwd: string;
}

/** A subcommand: returns the process exit status. Exit 2 means bad input. */
export type Command = (argv: string[], io: CliIO) => Promise<number>;

export const EXIT_BAD_INPUT = 2;
export const EXIT_TIMEOUT = 124;
export const EXIT_TRAP = 134;
