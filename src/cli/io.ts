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

/** A subcommand: returns the process exit status, one of the EXIT_ constants or the module's own. */
export type Command = (argv: string[], io: CliIO) => Promise<number>;

/**
 * Every exit status the CLI gives of its own, each defined here once. `kavach run` otherwise
 * passes on the module's exit code, so these describe what happened only where no module ran to
 * its end.
 */
export const EXIT_OK = 0;
/**
 * kavach's plain failure: the output gate withheld the output (run, exec, scan), the audit trail is
 * broken, or kavach's own error (a backend that does not run here, no module to run).
 */
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;
/** `audit verify`: the trail is intact as far as it goes, but lacks its end record. */
export const EXIT_AUDIT_INCOMPLETE = 3;
/**
 * The run ended, but some of what it should leave on the host could not be written: a change to a
 * read-write mount (each one is listed on stderr) or the audit file. sysexits' EX_CANTCREAT.
 */
export const EXIT_WRITE_BACK_INCOMPLETE = 73;
/** Timeout or fuel exhausted, as kavach's CLI and timeout(1). */
export const EXIT_TIMEOUT = 124;
/** Stopped, as a shell reports SIGINT (128 + 2). */
export const EXIT_STOPPED = 130;
/** A trap, stack overflow or memory limit, as a shell reports SIGABRT (128 + 6). */
export const EXIT_TRAP = 134;
