/**
 * Run and Stop with their keys, and beside them the limits a run meets: the timeout, the fuel
 * budget (in words, with what it buys on this machine) and the memory cap. When a field does not
 * load, it says plainly that Run uses the last valid policy.
 */
import { useState } from 'react';
import { describeFuelBudget, fieldDescription, fuelBudget, fuelTimeMeaning } from '../core/index.ts';
import { NumberField, useFieldValue } from './fields.tsx';
import { measureFuelRate, useFuelRate } from './fuel-rate.ts';
import { withField, withPolicyField } from './policy-doc.ts';
import { isMac, RUN_KEYS } from './shortcuts.ts';
import { canRun, editPolicy, run, stop, usePlayground } from './store.ts';

const LIMIT_FIELDS = [
  { field: 'timeout_ms', label: 'Timeout (timeout_ms)' },
  { field: 'fuel', label: 'Fuel budget (fuel)' },
  { field: 'policy.memory_limit_mb', label: 'Memory cap in MiB (memory_limit_mb)' },
] as const;

export function RunBar() {
  const runnable = usePlayground((s) => canRun(s));
  const running = usePlayground((s) => s.run.status === 'running');
  const loading = usePlayground((s) => s.loadingModule);
  const config = usePlayground((s) => s.policy.config);
  const timeout = useFieldValue('timeout_ms', config.timeout_ms);
  const fuel = useFieldValue('fuel', config.fuel);
  const memory = useFieldValue('policy.memory_limit_mb', config.policy.memory_limit_mb);
  const [help, setHelp] = useState(false);
  const derived = fuelBudget({ ...config, fuel: null });
  return (
    <section className="run-bar" aria-label="Run and limits">
      <div className="run-buttons">
        <button type="button" className="primary" data-tour="run" onClick={run} disabled={!runnable || loading} title={`Run (${RUN_KEYS})`} aria-keyshortcuts={isMac ? 'Meta+Enter' : 'Control+Enter'}>
          Run
        </button>
        <button type="button" onClick={stop} disabled={!running} title="Stop (Escape)" aria-keyshortcuts="Escape">
          Stop
        </button>
        <span className="hint">{RUN_KEYS} runs · Esc stops</span>
      </div>
      <fieldset className="run-limits">
        <legend className="visually-hidden">Limits</legend>
        <NumberField label={LIMIT_FIELDS[0].label} className="limit" value={timeout} path="timeout_ms" placeholder="0 = none" onChange={(v) => editPolicy((doc) => withField(doc, 'timeout_ms', v))} />
        <NumberField
          label={LIMIT_FIELDS[1].label}
          className="limit limit-wide limit-fuel"
          nullable
          value={fuel}
          path="fuel"
          placeholder={derived === null ? 'none' : `${derived.toLocaleString('en-US')} (derived)`}
          onChange={(v) => editPolicy((doc) => withField(doc, 'fuel', v))}
        />
        <NumberField
          label={LIMIT_FIELDS[2].label}
          className="limit"
          nullable
          value={memory}
          path="policy.memory_limit_mb"
          placeholder="no cap"
          onChange={(v) => editPolicy((doc) => withPolicyField(doc, 'memory_limit_mb', v))}
        />
        <button type="button" className="link small limits-help-toggle" aria-expanded={help} aria-controls="limits-help" onClick={() => setHelp(!help)}>
          {help ? 'Hide what these do' : 'What these do'}
        </button>
      </fieldset>
      <FuelLine />
      <NotInForce />
      {help && (
        <dl id="limits-help" className="limits-help">
          {LIMIT_FIELDS.map((f) => (
            <div key={f.field}>
              <dt>{f.label}</dt>
              <dd>{fieldDescription(f.field)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

function formatRate(perSecond: number): string {
  if (perSecond >= 1e9) return `${Number((perSecond / 1e9).toPrecision(2))} billion`;
  if (perSecond >= 1e6) return `${Number((perSecond / 1e6).toPrecision(2))} million`;
  return Math.round(perSecond).toLocaleString('en-US');
}

/** The budget in words, the rule that set it, and what it buys here. */
function FuelLine() {
  const config = usePlayground((s) => s.policy.config);
  const { fuelPerSecond, measuring } = useFuelRate();
  const budget = fuelBudget(config);
  let meaning: string;
  if (fuelPerSecond === null) meaning = measuring ? 'Measuring what that buys on this machine…' : 'What that buys on this machine is not measured yet.';
  else if (budget === null) meaning = `${capitalise(fuelTimeMeaning(config, fuelPerSecond))}.`;
  else meaning = `On this machine (${formatRate(fuelPerSecond)} units a second, measured) that is ${fuelTimeMeaning(config, fuelPerSecond)}.`;
  return (
    <p className="fuel-line" data-testid="fuel-line">
      <strong>Fuel:</strong> {describeFuelBudget(config)}. <span aria-live="polite">{meaning}</span>{' '}
      <button type="button" className="link small" disabled={measuring} onClick={() => void measureFuelRate()}>
        {fuelPerSecond === null ? 'Measure now' : 'Measure again'}
      </button>
    </p>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** While a field does not load: which, and that a run uses the last valid policy. */
export function NotInForce() {
  const drafts = usePlayground((s) => s.policy.drafts);
  const broken = usePlayground((s) => s.policy.errors.length > 0);
  if (!broken) return null;
  const keys = Object.keys(drafts);
  return (
    <p className="not-in-force" role="status">
      <strong>Run uses the last valid policy</strong>:{' '}
      {keys.length === 0 ? (
        'the policy text does not load (see the errors under the policy).'
      ) : (
        <>
          {keys.map((k, i) => (
            <span key={k}>
              {i > 0 && ', '}
              <code>{k}</code>
            </span>
          ))}{' '}
          {keys.length === 1 ? 'does' : 'do'} not load, so {keys.length === 1 ? 'it keeps its' : 'they keep their'} value in force until fixed.
        </>
      )}
    </p>
  );
}
