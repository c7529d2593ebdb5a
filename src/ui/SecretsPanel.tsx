/**
 * Secrets for this session: registered by name and value (the value stays in this tab's memory),
 * injected by the policy's SecretRefs, and redacted from everything the run gives back.
 */
import { useId, useState } from 'react';
import { isInside, type InjectionMethod, type SandboxConfig, type SecretRef } from '../core/index.ts';
import { withField, withPolicyField } from './policy-doc.ts';
import { editPolicy, forgetSecret, registerSecret, usePlayground } from './store.ts';

const SECRET_DIR = '/secrets';

function describeInjection(via: InjectionMethod): string {
  if (via === 'Stdin') return 'on stdin';
  if ('EnvVar' in via) return `as env ${via.EnvVar.var_name}`;
  return `as file ${via.File.path}`;
}

function addRef(name: string, how: 'env' | 'file' | 'stdin'): void {
  editPolicy((doc) => {
    const { config } = usePlayground.getState().policy;
    const via: InjectionMethod = how === 'stdin' ? 'Stdin' : how === 'env' ? { EnvVar: { var_name: name } } : { File: { path: `${SECRET_DIR}/${name}`, mode: 0o400 } };
    let next = withField(doc, 'secrets', [...config.secrets, { name, inject_via: via }]);
    // A secret file must live in a mount: add a read-only /secrets when none holds it.
    if (how === 'file' && !config.policy.landlock_rules.some((r) => isInside(`${SECRET_DIR}/${name}`, r.path))) {
      next = withPolicyField(next, 'landlock_rules', [...config.policy.landlock_rules, { path: SECRET_DIR, access: 'ro' }]);
    }
    return next;
  });
}

function removeRef(config: SandboxConfig, index: number): void {
  editPolicy((doc) => withField(doc, 'secrets', config.secrets.filter((_, i) => i !== index)));
}

export function SecretsPanel() {
  const names = usePlayground((s) => s.secretNames);
  const config = usePlayground((s) => s.policy.config);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [how, setHow] = useState<'env' | 'file' | 'stdin'>('env');
  const nameId = useId();
  const valueId = useId();
  const howId = useId();
  const validName = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!validName || value === '') return;
    registerSecret(name, value);
    if (!config.secrets.some((r) => r.name === name)) addRef(name, how);
    setName('');
    setValue('');
  };
  return (
    <div className="secrets">
      <p className="muted small">
        A secret's value stays in this tab's memory only: never in the policy, a share link or an export. The policy names it and says how to
        inject it; every registered value is replaced by <code>[REDACTED:secret:NAME]</code> in output, the audit log and files after the run.
      </p>
      <form className="row secret-form" onSubmit={submit} aria-label="Register a secret">
        <div className="field">
          <label htmlFor={nameId}>Name</label>
          <input id={nameId} className="mono" value={name} placeholder="API_TOKEN" spellCheck={false} autoComplete="off" onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={valueId}>Value</label>
          <input id={valueId} type="password" className="mono" value={value} autoComplete="off" onChange={(e) => setValue(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={howId}>Inject</label>
          <select id={howId} value={how} onChange={(e) => setHow(e.target.value as typeof how)}>
            <option value="env">as an env variable</option>
            <option value="file">as a file in {SECRET_DIR}</option>
            <option value="stdin">on stdin</option>
          </select>
        </div>
        <button type="submit" className="primary small" disabled={!validName || value === ''}>
          Register
        </button>
      </form>
      {name !== '' && !validName && <p className="error small">A name is letters, digits and _ (not starting with a digit).</p>}
      <h3>Registered this session</h3>
      {names.length === 0 ? (
        <p className="muted small">None.</p>
      ) : (
        <ul className="rows">
          {names.map((n) => (
            <li key={n} className="row secret-row">
              <code>{n}</code>
              <span className="masked" aria-label="value hidden">••••••••</span>
              <span className="spacer" />
              <button type="button" className="small danger" aria-label={`Forget secret ${n}`} onClick={() => forgetSecret(n)}>
                Forget
              </button>
            </li>
          ))}
        </ul>
      )}
      <h3>Used by the policy</h3>
      {config.secrets.length === 0 ? (
        <p className="muted small">The policy injects no secrets.</p>
      ) : (
        <ul className="rows">
          {config.secrets.map((ref: SecretRef, i) => (
            <li key={i} className="row secret-row">
              <code>{ref.name}</code>
              <span>{describeInjection(ref.inject_via)}</span>
              {names.includes(ref.name) ? (
                <span className="badge rw">registered</span>
              ) : (
                <span className="badge deleted" title="the run will fail with a credential error">not registered</span>
              )}
              <span className="spacer" />
              <button type="button" className="small danger" aria-label={`Stop injecting ${ref.name}`} onClick={() => removeRef(config, i)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
