import { t } from '../lib/i18n/index.ts'

/** A busy indicator with a text for screen readers (role="status"). */
export function Spinner({ label = t.app.loading }: { label?: string }) {
  return (
    <div className="spinner-wrap" role="status">
      <span className="spinner" aria-hidden="true" />
      <span className="visually-hidden">{label}</span>
    </div>
  )
}

/** Grey placeholder blocks while content loads (hidden from assistive technology). */
export function Skeleton({ lines = 3, width }: { lines?: number; width?: string }) {
  return (
    <div className="skeleton" aria-hidden="true">
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className="skeleton-line" style={width ? { width } : undefined} />
      ))}
    </div>
  )
}
