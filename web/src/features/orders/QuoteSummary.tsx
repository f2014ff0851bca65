import type { Quote } from '../../api/quote.ts'
import { t } from '../../lib/i18n/index.ts'
import { DateTime, Money } from '../../ui/index.ts'
import type { QuoteChange } from './quote-diff.ts'

const c = t.portal.quote

/**
 * What the API quoted, as it said it (STYLE-web rule 7): the lines, the amount, the plan
 * difference, the expiry before and after, and the balance it would be paid from. `changed`
 * marks what differs from the quote the customer had confirmed (after a 409).
 */
export function QuoteSummary({ quote, changed = [] }: { quote: Quote; changed?: readonly QuoteChange[] }) {
  const mark = (k: QuoteChange) => (changed.includes(k) ? 'quote-changed' : undefined)
  return (
    <div className="quote">
      {quote.lines.length > 0 && (
        <table className="table quote-lines">
          <caption className="visually-hidden">{c.linesCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{c.description}</th>
              <th scope="col" className="num">
                {c.amount}
              </th>
            </tr>
          </thead>
          <tbody>
            {quote.lines.map((line, i) => (
              <tr key={i}>
                <td>{line.description}</td>
                <td className="num">
                  <Money value={line.amount} currency={quote.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <dl className="facts">
        <div className={mark('amount')}>
          <dt>{c.total}</dt>
          <dd>
            <strong>
              <Money value={quote.amount} currency={quote.currency} />
            </strong>
            {changed.includes('amount') && <span className="badge badge-warning">{c.changed}</span>}
          </dd>
        </div>
        {quote.upgrade_difference !== null && (
          <div className={mark('upgrade_difference')}>
            <dt>{c.upgradeDifference}</dt>
            <dd>
              <Money value={quote.upgrade_difference} currency={quote.currency} />
            </dd>
          </div>
        )}
        {quote.current_expiry !== null && (
          <div>
            <dt>{c.currentExpiry}</dt>
            <dd>
              <DateTime value={quote.current_expiry} relative />
            </dd>
          </div>
        )}
        {quote.new_expiry !== null && (
          <div className={mark('new_expiry')}>
            <dt>{c.newExpiry}</dt>
            <dd>
              <DateTime value={quote.new_expiry} relative />
              {changed.includes('new_expiry') && <span className="badge badge-warning">{c.changed}</span>}
            </dd>
          </div>
        )}
        <div className={mark('balance_sufficient')}>
          <dt>{c.balance}</dt>
          <dd>
            <Money value={quote.balance} currency={quote.currency} />
          </dd>
        </div>
      </dl>
    </div>
  )
}
