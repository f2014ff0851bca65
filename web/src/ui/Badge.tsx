import type { ReactNode } from 'react'
import { t } from '../lib/i18n/index.ts'

export type Tone = 'neutral' | 'success' | 'warning' | 'danger' | 'info'

export function Badge({ tone = 'neutral', children }: { tone?: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>
}

const TONES: Record<string, Tone> = {
  active: 'success',
  completed: 'success',
  paid: 'success',
  running: 'success',
  queued: 'info',
  done: 'success',
  terminating: 'warning',
  pending: 'warning',
  processing: 'info',
  provisioning: 'info',
  resizing: 'info',
  waiting: 'warning',
  suspended: 'warning',
  expired: 'danger',
  failed: 'danger',
  provision_failed: 'danger',
  cancelled: 'neutral',
  deleted: 'neutral',
  revoked: 'neutral',
}

const LABELS: Record<string, string> = t.status

/** An API status as a badge: known ones get a tone and a label, others are shown as they come. */
export function Status({ status }: { status: string }) {
  return <Badge tone={TONES[status] ?? 'neutral'}>{LABELS[status] ?? status.replaceAll('_', ' ')}</Badge>
}
