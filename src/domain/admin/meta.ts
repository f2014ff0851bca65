/** Who performs an admin write and in which request: both go into the audit log of the write. */
export interface AdminMeta {
  /** The acting API key id (audit_log.actor, ledger_entries.actor). */
  actor: string
  /** The user that key belongs to, so an operator cannot lock themselves out by accident. */
  actorUserId: string
  requestId: string
}
