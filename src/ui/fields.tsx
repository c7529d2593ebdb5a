/** Form inputs that keep what a person types while it does not (yet) load as a policy. */
import { useId, useState, type ReactNode } from 'react';
import type { PolicyIssue } from '../core/index.ts';
import { usePlayground } from './store.ts';

/** The errors at `path` or inside it. */
export function useIssues(path: string): PolicyIssue[] {
  const errors = usePlayground((s) => s.policy.errors);
  return errors.filter((e) => e.path === path || e.path.startsWith(`${path}.`) || e.path.startsWith(`${path}[`));
}

/**
 * Shows the typed text while the field has focus (even when it does not load), and the value in
 * force otherwise.
 */
function useDraft(committed: string, commit: (text: string) => void) {
  const [draft, setDraft] = useState<string | null>(null);
  return {
    value: draft ?? committed,
    onChange: (e: { target: { value: string } }) => {
      setDraft(e.target.value);
      commit(e.target.value);
    },
    onBlur: () => setDraft(null),
  };
}

export function Issues({ issues }: { issues: PolicyIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul className="field-issues">
      {issues.map((i, n) => (
        <li key={n}>{i.message}</li>
      ))}
    </ul>
  );
}

interface TextProps {
  label: string;
  /** Shown as the visible label unless hidden (rows of a list label each input for screen readers). */
  hideLabel?: boolean;
  value: string;
  onChange: (text: string) => void;
  path?: string;
  placeholder?: string;
  mono?: boolean;
  hint?: ReactNode;
  inputMode?: 'numeric' | 'text';
}

export function TextField({ label, hideLabel, value, onChange, path, placeholder, mono, hint, inputMode }: TextProps) {
  const id = useId();
  const issues = useIssues(path ?? '\0');
  const draft = useDraft(value, onChange);
  return (
    <div className={`field${issues.length ? ' invalid' : ''}`}>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <input
        id={id}
        type="text"
        className={mono ? 'mono' : undefined}
        placeholder={placeholder}
        inputMode={inputMode}
        aria-invalid={issues.length > 0 || undefined}
        spellCheck={false}
        autoComplete="off"
        {...draft}
      />
      {hint && <span className="field-hint">{hint}</span>}
      <Issues issues={issues} />
    </div>
  );
}

/** A number, or (when `nullable`) empty for null. Anything else is passed on as typed, for the loader to explain. */
export function NumberField(props: Omit<TextProps, 'value' | 'onChange'> & { value: number | null; onChange: (value: unknown) => void; nullable?: boolean }) {
  const { value, onChange, nullable, ...rest } = props;
  return (
    <TextField
      {...rest}
      inputMode="numeric"
      value={value === null ? '' : String(value)}
      onChange={(text) => {
        const t = text.trim().replace(/[,_ ]/g, '');
        if (t === '') onChange(nullable ? null : text);
        else if (/^-?\d+(\.\d+)?$/.test(t)) onChange(Number(t));
        else onChange(text);
      }}
    />
  );
}

export function TextArea({ label, value, onChange, path, placeholder }: TextProps) {
  const id = useId();
  const issues = useIssues(path ?? '\0');
  const draft = useDraft(value, onChange);
  return (
    <div className={`field wide${issues.length ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <textarea id={id} className="mono" rows={3} placeholder={placeholder} spellCheck={false} {...draft} />
      <Issues issues={issues} />
    </div>
  );
}
