import { formatDecimal } from '../lib/money.ts'

export interface MoneyProps {
  /** The API's decimal string ("12.50", "-3.00"); never a number. */
  value: string
  currency?: string
  className?: string
}

/** The only way amounts are shown (STYLE-web rule 10): exact, tabular figures. */
export function Money({ value, currency = 'EUR', className }: MoneyProps) {
  const negative = value.trim().startsWith('-')
  return (
    <span
      className={['money', negative ? 'money-negative' : '', className].filter(Boolean).join(' ')}
      data-value={value}
    >
      {formatDecimal(value, currency)}
    </span>
  )
}
