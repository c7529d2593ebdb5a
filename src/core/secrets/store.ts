/** The credential proxy: secret values live here, apart from the config, which names them only. */
import type { SandboxConfig } from '../policy/schema.ts';

/** kavach's CredentialError: a config names a secret no one registered. */
export class CredentialError extends Error {
  readonly kind = 'credential';
  constructor(readonly secret: string) {
    super(`credential error: secret ${secret} is not registered`);
    this.name = 'CredentialError';
  }
}

/**
 * Secret values by name. Values are kept in a private field and never serialised: JSON.stringify
 * and Node's inspect show the names only.
 */
export class SecretStore {
  readonly #values = new Map<string, string>();

  /** Adds or replaces (kavach's register overwrites). */
  register(name: string, value: string): void {
    this.#values.set(name, value);
  }

  has(name: string): boolean {
    return this.#values.has(name);
  }

  get(name: string): string | undefined {
    return this.#values.get(name);
  }

  delete(name: string): boolean {
    return this.#values.delete(name);
  }

  names(): string[] {
    return [...this.#values.keys()];
  }

  /** (name, value) pairs, to build a Redactor. The only way values leave the store in bulk. */
  entries(): [string, string][] {
    return [...this.#values.entries()];
  }

  toJSON(): string[] {
    return this.names();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SecretStore { names: ${JSON.stringify(this.names())} }`;
  }
}

export interface SecretFile {
  /** Absolute guest path inside a mount (the policy loader checks that). */
  path: string;
  mode: number;
  data: Uint8Array;
  /** Name of the secret it carries, for audit and redaction. */
  secret: string;
}

export interface ResolvedSecrets {
  /** (variable, value) pairs for the guest's environment, in the config's order. */
  env: [string, string][];
  /** Files to place in the in-memory filesystem; never written to a host disk. */
  files: SecretFile[];
  /**
   * The guest's whole stdin: the Stdin secrets' values joined with "\n" (kavach's rule) and,
   * when the config also has stdin text, a "\n" and then that text, so a program reads its
   * secrets as the first lines. Null when there is neither.
   */
  stdin: string | null;
}

/** Resolve every SecretRef of `config` against `store`, or throw CredentialError for the first unregistered name. */
export function resolveSecrets(config: SandboxConfig, store: SecretStore): ResolvedSecrets {
  const env: [string, string][] = [];
  const files: SecretFile[] = [];
  const stdinValues: string[] = [];
  for (const ref of config.secrets) {
    const value = store.get(ref.name);
    if (value === undefined) throw new CredentialError(ref.name);
    const via = ref.inject_via;
    if (via === 'Stdin') stdinValues.push(value);
    else if ('EnvVar' in via) env.push([via.EnvVar.var_name, value]);
    else files.push({ path: via.File.path, mode: via.File.mode, data: new TextEncoder().encode(value), secret: ref.name });
  }
  const parts = stdinValues.length > 0 ? [stdinValues.join('\n')] : [];
  if (config.stdin !== null) parts.push(config.stdin);
  return { env, files, stdin: parts.length > 0 ? parts.join('\n') : null };
}
