import { useState } from 'react'
import { t } from '../lib/i18n/index.ts'
import { Button } from './Button.tsx'

/**
 * Copies `value` to the clipboard. The clipboard API exists only in secure contexts (plain-HTTP
 * LAN installs have none), so the value is also always shown for selecting by hand.
 */
export function CopyButton({ value, label = t.form.copy }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false)
  if (typeof navigator === 'undefined' || !navigator.clipboard) return null
  return (
    <Button
      variant="secondary"
      onClick={() => {
        navigator.clipboard.writeText(value).then(
          () => {
            setCopied(true)
            setTimeout(() => setCopied(false), 2000)
          },
          () => setCopied(false),
        )
      }}
    >
      <span aria-live="polite">{copied ? t.form.copied : label}</span>
    </Button>
  )
}
