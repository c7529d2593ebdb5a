/** How strong the policy is: the playground's score (only what is enforced), kavach's beside it, and why. */
import { useMemo } from 'react';
import { kavachScore, playgroundScore } from '../core/index.ts';
import { usePlayground } from './store.ts';

const RADIUS = 20;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

export function ScoreGauge() {
  const config = usePlayground((s) => s.policy.config);
  const ours = useMemo(() => playgroundScore(config), [config]);
  const kavach = useMemo(() => kavachScore(config.backend, config.policy), [config]);
  return (
    <div className="score" data-label={ours.label}>
      <svg width="52" height="52" viewBox="0 0 52 52" role="meter" aria-label="Playground strength score" aria-valuemin={0} aria-valuemax={100} aria-valuenow={ours.score} aria-valuetext={ours.display}>
        <circle cx="26" cy="26" r={RADIUS} className="score-track" />
        <circle
          cx="26"
          cy="26"
          r={RADIUS}
          className="score-value"
          strokeDasharray={`${(ours.score / 100) * CIRCUMFERENCE} ${CIRCUMFERENCE}`}
          transform="rotate(-90 26 26)"
        />
        <text x="26" y="31" textAnchor="middle" className="score-number">
          {ours.score}
        </text>
      </svg>
      <div className="score-text">
        <p>
          <strong>Strength {ours.display}</strong>
          <span className="muted"> · kavach would say {kavach.display}</span>
        </p>
        <details>
          <summary>Why this score</summary>
          <table className="score-lines">
            <tbody>
              {ours.lines.map((line) => (
                <tr key={line.id} className={line.enforced ? undefined : 'moot'}>
                  <td className="num">{line.points > 0 && line.id !== 'base' ? `+${line.points}` : line.points}</td>
                  <td>{line.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">The playground credits only controls this sandbox enforces; kavach's own number credits what a policy asks for.</p>
        </details>
      </div>
    </div>
  );
}
