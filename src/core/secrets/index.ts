/** The credential proxy: secrets by name, injected into a run, and redacted from what leaves it. */
export { CredentialError, SecretStore, resolveSecrets, type ResolvedSecrets, type SecretFile } from './store.ts';
export { Redactor, createStreamRedactor, type StreamRedactor } from './redact.ts';
