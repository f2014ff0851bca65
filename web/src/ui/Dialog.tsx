import * as RadixDialog from '@radix-ui/react-dialog'
import type { ReactNode } from 'react'
import { t } from '../lib/i18n/index.ts'

export interface DialogProps {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: ReactNode
  description?: ReactNode
  children?: ReactNode
  /** Buttons at the bottom (the close button is always there). */
  footer?: ReactNode
  /** Refuse closing by Escape or a click outside (while a request runs). */
  dismissable?: boolean
}

/**
 * A modal dialog (Radix: focus trapped and restored, Escape closes, aria-labelledby/-describedby).
 * Controlled: keep `open` in the URL when the dialog is something a user would link to.
 */
export function Dialog({ open, onOpenChange, title, description, children, footer, dismissable = true }: DialogProps) {
  const guard = (e: Event) => {
    if (!dismissable) e.preventDefault()
  }
  return (
    <RadixDialog.Root open={open} onOpenChange={o => (dismissable || o ? onOpenChange(o) : undefined)}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-overlay" />
        <RadixDialog.Content
          className="dialog"
          onEscapeKeyDown={guard}
          onPointerDownOutside={guard}
          onInteractOutside={guard}
          {...(description === undefined ? { 'aria-describedby': undefined } : {})}
        >
          <RadixDialog.Title className="dialog-title">{title}</RadixDialog.Title>
          {description !== undefined && (
            <RadixDialog.Description className="dialog-description">{description}</RadixDialog.Description>
          )}
          <div className="dialog-body">{children}</div>
          <div className="dialog-footer">
            {footer}
            <RadixDialog.Close className="btn btn-secondary" disabled={!dismissable}>
              {t.form.close}
            </RadixDialog.Close>
          </div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  )
}
