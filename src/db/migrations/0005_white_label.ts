import type { Kysely } from 'kysely'
import { runStatements } from '../run-statements.ts'

/**
 * White-label crypto invoices (issue 9, item 2). oxbill used to create OxaPay's hosted invoice, on
 * which the payer picks the coin; it now creates a white-label payment, which fixes the coin and
 * network at creation and answers the deposit address and the exact coin amount, so the invoice
 * and transaction endpoints can show them as the 0xhost docs do.
 *
 * `payments.oxapay_type`: which kind of OxaPay payment the track id is ('invoice' for the hosted
 * invoices created before this migration, 'white_label' from now on; null while none exists).
 * `payments.memo`: the destination memo/tag OxaPay gives for chains that need one (shown beside
 * the address; sending without it may lose the funds). `payments.requested_network`: the network
 * as the client named it (OxaPay answers its own display name in `network`), so a repeated request
 * for the same coin and network finds the open invoice instead of making another.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE payments ADD COLUMN oxapay_type text CHECK (oxapay_type IN ('invoice', 'white_label'));
    ALTER TABLE payments ADD COLUMN memo text;
    ALTER TABLE payments ADD COLUMN requested_network text;
    UPDATE payments SET oxapay_type = 'invoice' WHERE track_id IS NOT NULL;
  `,
  )
}
