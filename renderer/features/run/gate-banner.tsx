/** The red banner of a closed regression gate, with its findings (SPEC.md i.4). */
import { useGate } from './use-gate';

export function GateBanner() {
  const gate = useGate();
  if (!gate || gate.state !== 'closed') return null;
  const findings = gate.findings ?? [];
  return (
    <div className="gate-banner" role="alert" data-testid="gate-banner">
      <strong>Regression gate closed</strong> since {gate.since ?? 'an earlier run'}: {findings.length} finding(s). Runs are disabled until the data is fixed and
      the guard passes, or the gate is reopened with a reason.
      {findings.length > 0 ? (
        <details>
          <summary>Findings</summary>
          <ul>
            {findings.slice(0, 50).map((f, i) => (
              <li key={i}>
                <code>{JSON.stringify(f)}</code>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
