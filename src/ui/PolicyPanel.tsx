/** The policy, edited as a form or as JSON, with what is wrong with it. */
import { lazy } from 'react';
import type { PolicyIssue } from '../core/index.ts';
import { LazyPanel } from './LazyPanel.tsx';
import { PolicyForm } from './PolicyForm.tsx';
import { loadPolicyJsonEditor, once } from './prefetch.ts';
import { ScoreGauge } from './ScoreGauge.tsx';
import { usePlayground } from './store.ts';
import { Tabs } from './Tabs.tsx';

const PolicyJsonEditor = lazy(loadPolicyJsonEditor);
// Not shown as the page opens, so not part of its first download.
const loadSecretsPanel = once(() => import('./SecretsPanel.tsx').then((m) => ({ default: m.SecretsPanel })));
const SecretsPanel = lazy(loadSecretsPanel);

function IssueItems({ issues }: { issues: PolicyIssue[] }) {
  return issues.map((issue, i) => (
    <li key={i}>
      {issue.path && <code>{issue.path}</code>} {issue.message}
    </li>
  ));
}

function PolicyIssues() {
  const errors = usePlayground((s) => s.policy.errors);
  const warnings = usePlayground((s) => s.policy.warnings);
  if (errors.length === 0 && warnings.length === 0) return null;
  return (
    <div className="policy-issues">
      {errors.length > 0 && (
        <div role="alert" className="issues errors">
          <strong>The policy does not load; the last valid one stays in force, and Run uses it.</strong>
          <ul>
            <IssueItems issues={errors} />
          </ul>
        </div>
      )}
      {warnings.length > 0 && (
        <ul className="issues warnings" aria-label="Policy warnings">
          <IssueItems issues={warnings} />
        </ul>
      )}
    </div>
  );
}

export function PolicyPanel({ files }: { files: () => React.ReactNode }) {
  return (
    <section className="policy" aria-labelledby="policy-heading">
      {/* The tab above says "Policy"; the heading names the region for assistive technology. */}
      <h2 id="policy-heading" className="visually-hidden">
        Policy
      </h2>
      <ScoreGauge />
      <Tabs
        label="Policy views"
        tabs={[
          { id: 'form', label: 'Form', render: () => <PolicyForm /> },
          {
            id: 'json',
            label: 'JSON',
            prefetch: loadPolicyJsonEditor,
            render: () => (
              <LazyPanel loading={<p className="muted">Loading the editor…</p>}>
                <PolicyJsonEditor />
              </LazyPanel>
            ),
          },
          { id: 'files', label: 'Files', render: files },
          {
            id: 'secrets',
            label: 'Secrets',
            prefetch: loadSecretsPanel,
            render: () => (
              <LazyPanel loading={<p className="muted">Loading…</p>}>
                <SecretsPanel />
              </LazyPanel>
            ),
          },
        ]}
      />
      <PolicyIssues />
    </section>
  );
}
