/** What a CLI command may touch, so commands can be tested without a real process. */
export interface CliIO {
  stdout: (text: string | Uint8Array) => void;
  stderr: (text: string | Uint8Array) => void;
  /**
   * Reads all of stdin (empty when none is attached); with `limit`, stops once more than `limit`
   * bytes have come (so a caller sees that there were too many without holding them all).
   */
  readStdin: (limit?: number) => Promise<Uint8Array>;
  cwd: string;
  /** The host environment (`--secret NAME` reads its value from here). */
  env: Record<string, string | undefined>;
}

/** A subcommand: returns the process exit status. Exit 2 means bad input. */
export type Command = (argv: string[], io: CliIO) => Promise<number>;

export const EXIT_BAD_INPUT = 2;
export const EXIT_TIMEOUT = 124;
export const EXIT_TRAP = 134;
/**
 * The run ended, but some of what it should leave on the host could not be written: a change to a
 * read-write mount (each one is listed on stderr) or the audit file. sysexits' EX_CANTCREAT.
 */
export const EXIT_WRITE_BACK_INCOMPLETE = 73;
