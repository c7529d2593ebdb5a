/**
 * Form inputs that keep what a person types while it does not (yet) load as a policy: while the
 * field has focus, the text as typed; after, the field's draft (the value that does not load,
 * kept in the policy text) until it loads or is abandoned (Escape, or "Use the value in force").
 */
import { useId, useState, type ReactNode } from 'react';
import { fieldDescription, type PolicyIssue } from '../core/index.ts';
import { draftKey, valueAt } from './policy-doc.ts';
import { abandonPolicyDraft, usePlayground } from './store.ts';

/** The errors at `path` or inside it. */
export function useIssues(path: string): PolicyIssue[] {
  const errors = usePlayground((s) => s.policy.errors);
  return errors.filter((e) => e.path === path || e.path.startsWith(`${path}.`) || e.path.startsWith(`${path}[`));
}

/**
 * What an input shows for a field (by draft key: "timeout_ms", "policy.memory_limit_mb"): the
 * draft when the field does not load, else the value in force.
 */
export function useFieldValue(key: string, inForce: unknown): unknown {
  const has = usePlayground((s) => key in s.policy.drafts);
  const draft = usePlayground((s) => s.policy.drafts[key]);
  return has ? draft : inForce;
}

/** A value as an input's text. */
export function inputText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** Past this many characters a hint shows two lines, and the rest on request. */
const LONG_HINT = 110;

/**
 * The field registry's text for a form field: what it does, its default, what kavach does (the
 * same text the JSON editor shows on hover). A long one is cut to two lines with "more".
 */
export function FieldHint({ field, children }: { field?: string; children?: ReactNode }) {
  const [open, setOpen] = useState(false);
  if (!field && !children) return null;
  const text = field ? fieldDescription(field) : '';
  const long = text.length > LONG_HINT;
  return (
    <span className={`field-hint${long && !open ? ' clamped' : ''}`}>
      <span className="hint-text">
        {children}
        {children && field ? ' ' : null}
        {text}
      </span>
      {long && (
        <button type="button" className="link small hint-more" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'less' : 'more'}
        </button>
      )}
    </span>
  );
}

/**
 * The field's errors, and a way back when the field holds a draft: the value a run still uses.
 */
export function Issues({ issues, path }: { issues: PolicyIssue[]; path?: string }) {
  const key = path ? draftKey(path) : null;
  const drafting = usePlayground((s) => key !== null && key in s.policy.drafts);
  const inForce = usePlayground((s) => (key === null ? undefined : valueAt(s.policy.doc, key)));
  if (issues.length === 0) return null;
  return (
    <ul className="field-issues">
      {issues.map((i, n) => (
        <li key={n}>{i.message}</li>
      ))}
      {drafting && key && (
        <li className="in-force">
          Not in force: a run uses {inForce === undefined ? 'the default' : <code>{inputText(inForce) || 'none'}</code>}.{' '}
          <button type="button" className="link" onClick={() => abandonPolicyDraft(key)}>
            Use the value in force
          </button>
        </li>
      )}
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
  /** The field registry's path, whose description is shown as the hint. */
  field?: string;
  inputMode?: 'numeric' | 'text';
  className?: string;
}

/** The typed text while the input has focus; Escape gives the field's draft up. */
function useTyped(shown: string, commit: (text: string) => void, path: string | undefined) {
  const [typed, setTyped] = useState<string | null>(null);
  const key = path ? draftKey(path) : null;
  return {
    value: typed ?? shown,
    onChange: (e: { target: { value: string } }) => {
      setTyped(e.target.value);
      commit(e.target.value);
    },
    onBlur: () => setTyped(null),
    onKeyDown: (e: React.KeyboardEvent) => {
      if (e.key !== 'Escape' || key === null || !(key in usePlayground.getState().policy.drafts)) return;
      setTyped(null);
      abandonPolicyDraft(key);
    },
  };
}

export function TextField({ label, hideLabel, value, onChange, path, placeholder, mono, hint, field, inputMode, className }: TextProps) {
  const id = useId();
  const issues = useIssues(path ?? '\0');
  const typed = useTyped(value, onChange, path);
  return (
    <div className={['field', issues.length ? 'invalid' : '', className ?? ''].filter(Boolean).join(' ')}>
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
        aria-describedby={hint || field ? `${id}-hint` : undefined}
        spellCheck={false}
        autoComplete="off"
        {...typed}
      />
      {(hint || field) && (
        <span id={`${id}-hint`}>
          <FieldHint field={field}>{hint}</FieldHint>
        </span>
      )}
      <Issues issues={issues} path={path} />
    </div>
  );
}

/**
 * A number, or (when `nullable`) empty for null. Anything else is passed on as typed, for the
 * loader to explain. `value` is what the policy holds there, valid or not.
 */
export function NumberField(props: Omit<TextProps, 'value' | 'onChange'> & { value: unknown; onChange: (value: unknown) => void; nullable?: boolean }) {
  const { value, onChange, nullable, ...rest } = props;
  return (
    <TextField
      {...rest}
      inputMode="numeric"
      value={inputText(value)}
      onChange={(text) => {
        const t = text.trim().replace(/[,_ ]/g, '');
        if (t === '') onChange(nullable ? null : text);
        else if (/^-?\d+(\.\d+)?$/.test(t)) onChange(Number(t));
        else onChange(text);
      }}
    />
  );
}

export function TextArea({ label, value, onChange, path, placeholder, field }: TextProps) {
  const id = useId();
  const issues = useIssues(path ?? '\0');
  const typed = useTyped(value, onChange, path);
  return (
    <div className={`field wide${issues.length ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <textarea id={id} className="mono" rows={3} placeholder={placeholder} spellCheck={false} aria-describedby={field ? `${id}-hint` : undefined} {...typed} />
      {field && (
        <span id={`${id}-hint`}>
          <FieldHint field={field} />
        </span>
      )}
      <Issues issues={issues} path={path} />
    </div>
  );
}
