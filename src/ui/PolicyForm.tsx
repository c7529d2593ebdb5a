/**
 * The policy as a form. Each change rewrites the document, which the JSON editor shows. A field
 * that does not load keeps what was typed (its draft) while others are edited. The limits a run
 * most often meets (timeout, fuel, memory) sit beside Run, in RunBar.tsx.
 */
import { PRESET_NAMES, presetPolicy, type SandboxConfig, type SandboxPolicy } from '../core/index.ts';
import { FieldHint, Issues, NumberField, TextArea, TextField, inputText, useFieldValue, useIssues } from './fields.tsx';
import { isRecord, withField, withPolicyField } from './policy-doc.ts';
import { editPolicy, usePlayground } from './store.ts';

const setTop = (key: string, value: unknown) => editPolicy((doc) => withField(doc, key, value));
const setPolicy = (key: string, value: unknown) => editPolicy((doc) => withPolicyField(doc, key, value));

/** The preset the policy equals (mounts and the custom call filter aside), or null. */
export function matchingPreset(policy: SandboxPolicy): string | null {
  const strip = (p: SandboxPolicy) => JSON.stringify({ ...p, landlock_rules: [], wasi_filter: null });
  return PRESET_NAMES.find((name) => strip(presetPolicy(name)) === strip(policy)) ?? null;
}

function applyPreset(name: string): void {
  editPolicy((doc) => {
    const { config } = usePlayground.getState().policy;
    const preset = presetPolicy(name);
    return withField(doc, 'policy', { ...preset, landlock_rules: config.policy.landlock_rules, wasi_filter: config.policy.wasi_filter });
  });
}

function replaceAt<T>(list: readonly T[], index: number, value: T): T[] {
  return list.map((item, i) => (i === index ? value : item));
}

function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

export function PolicyForm() {
  const config = usePlayground((s) => s.policy.config);
  return (
    <form className="policy-form" aria-label="Policy form" onSubmit={(e) => e.preventDefault()}>
      <PresetSection config={config} />
      <MountsSection config={config} />
      <ProgramSection config={config} />
      <OutputSection config={config} />
      <DeterminismSection config={config} />
    </form>
  );
}

function PresetSection({ config }: { config: SandboxConfig }) {
  const preset = matchingPreset(config.policy);
  const profile = config.policy.seccomp_profile;
  return (
    <fieldset>
      <legend>Preset and call filter</legend>
      <div className="row">
        <div className="field">
          <label htmlFor="preset">Preset</label>
          <select id="preset" value={preset ?? ''} onChange={(e) => e.target.value && applyPreset(e.target.value)}>
            {preset === null && <option value="">custom</option>}
            {PRESET_NAMES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="seccomp-profile">Call filter (seccomp profile)</label>
          <select
            id="seccomp-profile"
            value={config.policy.seccomp_enabled ? (profile ?? 'basic') : 'off'}
            onChange={(e) => {
              const v = e.target.value;
              editPolicy((doc) => withPolicyField(withPolicyField(doc, 'seccomp_enabled', v !== 'off'), 'seccomp_profile', v === 'off' ? null : v));
            }}
          >
            <option value="off">off</option>
            <option value="basic">basic (denylist)</option>
            <option value="strict">strict (allowlist)</option>
          </select>
        </div>
      </div>
      <FieldHint field="policy.seccomp_profile" />
      {config.policy.wasi_filter && (
        <p className="field-hint">
          A custom wasi_filter ({config.policy.wasi_filter.mode} {config.policy.wasi_filter.calls.length} calls) overrides the profile; edit it in the JSON.
        </p>
      )}
      <Issues issues={[...useIssues('policy.seccomp_profile'), ...useIssues('policy.seccomp_enabled')]} />
    </fieldset>
  );
}

/** A list as the form shows it: the draft when it has the right shape, else the list in force. */
function listOf<T>(value: unknown, inForce: T[], item: (v: unknown) => T | null): T[] {
  if (!Array.isArray(value)) return inForce;
  const items = value.map(item);
  return items.every((i) => i !== null) ? (items as T[]) : inForce;
}

const asRule = (v: unknown) => (isRecord(v) && typeof v.path === 'string' ? { path: v.path, access: typeof v.access === 'string' ? v.access : 'ro' } : null);
const asString = (v: unknown) => (typeof v === 'string' ? v : null);
const asPair = (v: unknown) => (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' ? ([v[0], v[1]] as [string, string]) : null);

function MountsSection({ config }: { config: SandboxConfig }) {
  const rules = listOf(useFieldValue('policy.landlock_rules', config.policy.landlock_rules), config.policy.landlock_rules, asRule);
  const setRules = (next: { path: string; access: string }[]) => setPolicy('landlock_rules', next);
  return (
    <fieldset>
      <legend>Mounts</legend>
      <FieldHint field="policy.landlock_rules" />
      {rules.length === 0 && <p className="muted small">No mounts: the module sees no files at all.</p>}
      <ul className="rows">
        {rules.map((rule, i) => (
          <li key={i} className="row">
            <TextField
              label={`Mount ${i + 1} path`}
              hideLabel
              mono
              value={rule.path}
              path={`policy.landlock_rules[${i}].path`}
              placeholder="/data"
              onChange={(path) => setRules(replaceAt(rules, i, { ...rule, path }))}
            />
            <div className="field">
              <label htmlFor={`mount-access-${i}`} className="visually-hidden">
                Access of mount {i + 1}
              </label>
              <select id={`mount-access-${i}`} value={rule.access === 'rw' ? 'rw' : 'ro'} onChange={(e) => setRules(replaceAt(rules, i, { ...rule, access: e.target.value }))}>
                <option value="ro">read-only (ro)</option>
                <option value="rw">read-write (rw)</option>
              </select>
            </div>
            <button type="button" className="small danger" aria-label={`Remove mount ${rule.path}`} onClick={() => setRules(removeAt(rules, i))}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <div className="row">
        <button type="button" className="small" onClick={() => setRules([...rules, { path: nextMountPath(rules.map((r) => r.path)), access: 'ro' }])}>
          Add mount
        </button>
        <label className="check">
          <input type="checkbox" checked={config.policy.read_only_rootfs} onChange={(e) => setPolicy('read_only_rootfs', e.target.checked)} />
          Everything read-only (read_only_rootfs)
        </label>
      </div>
    </fieldset>
  );
}

function nextMountPath(taken: string[]): string {
  for (const p of ['/data', '/out', '/tmp', '/work']) if (!taken.includes(p)) return p;
  let n = 1;
  while (taken.includes(`/mnt${n}`)) n++;
  return `/mnt${n}`;
}

function ProgramSection({ config }: { config: SandboxConfig }) {
  const args = listOf(useFieldValue('args', config.args), config.args, asString);
  const env = listOf(useFieldValue('env', config.env), config.env, asPair);
  const stdin = useFieldValue('stdin', config.stdin);
  return (
    <fieldset>
      <legend>Program</legend>
      <div className="list-field">
        <span className="list-label" id="args-label">Arguments</span>
        <FieldHint field="args" />
        <ul className="rows" aria-labelledby="args-label">
          {args.map((arg, i) => (
            <li key={i} className="row">
              <TextField label={`Argument ${i + 1}`} hideLabel mono value={arg} path={`args[${i}]`} onChange={(v) => setTop('args', replaceAt(args, i, v))} />
              <button type="button" className="small danger" aria-label={`Remove argument ${i + 1}`} onClick={() => setTop('args', removeAt(args, i))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
        <button type="button" className="small" onClick={() => setTop('args', [...args, ''])}>
          Add argument
        </button>
      </div>
      <div className="list-field">
        <span className="list-label" id="env-label">Environment</span>
        <FieldHint field="env" />
        <ul className="rows" aria-labelledby="env-label">
          {env.map(([name, value], i) => (
            <li key={i} className="row">
              <TextField label={`Variable ${i + 1} name`} hideLabel mono placeholder="NAME" value={name} path={`env[${i}]`} onChange={(v) => setTop('env', replaceAt(env, i, [v, value]))} />
              <span aria-hidden="true">=</span>
              <TextField label={`Variable ${i + 1} value`} hideLabel mono placeholder="value" value={value} onChange={(v) => setTop('env', replaceAt(env, i, [name, v]))} />
              <button type="button" className="small danger" aria-label={`Remove variable ${name || i + 1}`} onClick={() => setTop('env', removeAt(env, i))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
        <button type="button" className="small" onClick={() => setTop('env', [...env, ['', '']])}>
          Add variable
        </button>
      </div>
      <TextArea label="Standard input (stdin)" placeholder="empty" value={inputText(stdin)} path="stdin" field="stdin" onChange={(v) => setTop('stdin', v === '' ? null : v)} />
    </fieldset>
  );
}

function OutputSection({ config }: { config: SandboxConfig }) {
  return (
    <fieldset>
      <legend>Output</legend>
      <NumberField
        label="Output cap in bytes (max_output_bytes)"
        value={useFieldValue('max_output_bytes', config.max_output_bytes)}
        path="max_output_bytes"
        field="max_output_bytes"
        onChange={(v) => setTop('max_output_bytes', v)}
      />
      <p className="field-hint">The timeout, the fuel budget and the memory cap are set beside Run, at the top.</p>
    </fieldset>
  );
}

/** Starting values when the box is ticked: a recent, recognisable time, a 1 ms step, seed 1. */
const DETERMINISTIC_START = { clock_start_ms: 1_700_000_000_000, clock_step_ns: 1_000_000, random_seed: 1 };

function utcText(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? 'past the end of the calendar' : date.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}

function setDeterministic(key: string, value: unknown): void {
  editPolicy((doc) => withField(doc, 'deterministic', { ...(isRecord(doc.deterministic) ? doc.deterministic : {}), [key]: value }));
}

const asDeterministic = (v: unknown, inForce: SandboxConfig['deterministic']): SandboxConfig['deterministic'] => {
  if (v === null || !isRecord(v)) return inForce;
  return { ...DETERMINISTIC_START, ...(inForce ?? {}), ...(v as Record<string, number>) };
};

function DeterminismSection({ config }: { config: SandboxConfig }) {
  const det = asDeterministic(useFieldValue('deterministic', config.deterministic), config.deterministic);
  return (
    <fieldset>
      <legend>Time and randomness</legend>
      <label className="check">
        <input type="checkbox" data-tour="deterministic" checked={det !== null} onChange={(e) => setTop('deterministic', e.target.checked ? DETERMINISTIC_START : undefined)} />
        Deterministic (virtual clock, seeded random bytes)
      </label>
      <FieldHint field="deterministic" />
      {det === null ? (
        <p className="field-hint">The module reads the real clock and gets real random bytes, so no two runs are alike.</p>
      ) : (
        <>
          <div className="grid-3">
            <NumberField
              label="Clock start (ms)"
              value={det.clock_start_ms}
              path="deterministic.clock_start_ms"
              hint={typeof det.clock_start_ms === 'number' ? utcText(det.clock_start_ms) : undefined}
              onChange={(v) => setDeterministic('clock_start_ms', v)}
            />
            <NumberField label="Step (ns per read)" value={det.clock_step_ns} path="deterministic.clock_step_ns" onChange={(v) => setDeterministic('clock_step_ns', v)} />
            <NumberField label="Random seed" value={det.random_seed} path="deterministic.random_seed" onChange={(v) => setDeterministic('random_seed', v)} />
          </div>
          <p className="field-hint">Sleeps take no real time. The same module under the same policy prints the same bytes and leaves the same audit log every run.</p>
        </>
      )}
    </fieldset>
  );
}
