import { ruleDoc } from './rule-docs';

interface Props {
  readonly rules: readonly { readonly rule: string; readonly count: number }[];
}

/** Up to this many rules are shown opened; more start folded (the list stays short). */
const OPEN_UP_TO_RULES = 2;

/** For each rule with findings: its title, what it means for a served model, the cause, the fix. */
export function RuleDocs({ rules }: Props) {
  return (
    <div className="rule-docs">
      {rules.map(({ rule, count }) => {
        const doc = ruleDoc(rule);
        return (
          <details
            key={rule}
            className="rule-doc"
            data-testid="rule-doc"
            data-rule={rule}
            open={rules.length <= OPEN_UP_TO_RULES}
          >
            <summary>
              <code>{rule}</code>
              {doc !== null && <> · {doc.title}</>} ({count.toLocaleString('en-US')} finding
              {count === 1 ? '' : 's'})
            </summary>
            {doc === null ? (
              <p>No explanation for this rule in this version of ckptscope.</p>
            ) : (
              <dl>
                <dt>When served</dt>
                <dd>{doc.meaning}</dd>
                <dt>Likely cause</dt>
                <dd>{doc.cause}</dd>
                <dt>Fix</dt>
                <dd>{doc.fix}</dd>
              </dl>
            )}
          </details>
        );
      })}
    </div>
  );
}
