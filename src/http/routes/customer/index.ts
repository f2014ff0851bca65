import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { infoUserRoute } from './account/info-user.route.ts'
import { balanceRoute } from './account/balance.route.ts'
import { ledgerRoute } from './account/ledger.route.ts'
import { profileRoutes } from './account/profile.route.ts'
import { passwordRoute } from './account/password.route.ts'
import { twoFactorRoutes } from './account/two-factor.route.ts'
import { accountKeysRoutes } from './account/keys.route.ts'
import { listPlanRoute } from './catalog/list-plan.route.ts'
import { listOsImagesRoute } from './catalog/os-images.route.ts'
import { listLocationsRoute } from './catalog/locations.route.ts'
import { listAddonsRoute } from './catalog/addons.route.ts'
import { listPleskPlansRoute } from './catalog/plesk-plans.route.ts'
import { listServersRoute } from './services/list-servers.route.ts'
import { serverDetailRoute } from './services/server-detail.route.ts'
import { listAddonServerRoute } from './services/list-addon-server.route.ts'
import { usageServerRoute } from './services/usage-server.route.ts'
import { autoRenewRoute } from './services/auto-renew.route.ts'
import { powerRoute } from './services/power.route.ts'
import { serverActionsRoute } from './services/server-actions.route.ts'
import { reinstallRoute } from './services/reinstall.route.ts'
import { resetPasswordRoute } from './services/reset-password.route.ts'
import { revealPasswordRoute } from './services/reveal-password.route.ts'
import { consoleRoute } from './services/console.route.ts'
import { rescueRoute } from './services/rescue.route.ts'
import { cancelRoute } from './services/cancel.route.ts'
import { cancelUndoRoute } from './services/cancel-undo.route.ts'
import { cancelQuoteRoute } from './services/cancel-quote.route.ts'
import { listOrderRoute } from './orders/list-order.route.ts'
import { createClientRoute } from './plesk/create-client.route.ts'
import { listClientsRoute } from './plesk/list-clients.route.ts'
import { listSubscriptionsRoute } from './plesk/list-subscriptions.route.ts'
import { subscriptionDetailRoute } from './plesk/subscription-detail.route.ts'
import { pleskAutoRenewRoute } from './plesk/auto-renew.route.ts'
import { ftpPasswordRoute } from './plesk/ftp-password.route.ts'
import { pleskActionsRoute } from './plesk/actions.route.ts'
import { pleskLoginRoute } from './plesk/login.route.ts'
import { listEventsRoute } from './events/list-events.route.ts'

/** The customer routes, registered by routes/index.ts: the caller's account, catalog, services, orders and Plesk. */
export function customerRoutes(deps: Deps): FastifyPluginAsyncTypebox[] {
  return [
    infoUserRoute(deps),
    balanceRoute(deps),
    ledgerRoute(deps),
    profileRoutes(deps),
    passwordRoute(deps),
    twoFactorRoutes(deps),
    accountKeysRoutes(deps),
    listPlanRoute(deps),
    listOsImagesRoute(deps),
    listLocationsRoute(deps),
    listAddonsRoute(deps),
    listPleskPlansRoute(deps),
    listServersRoute(deps),
    serverDetailRoute(deps),
    listAddonServerRoute(deps),
    usageServerRoute(deps),
    autoRenewRoute(deps),
    powerRoute(deps),
    serverActionsRoute(deps),
    reinstallRoute(deps),
    resetPasswordRoute(deps),
    revealPasswordRoute(deps),
    consoleRoute(deps),
    rescueRoute(deps),
    cancelRoute(deps),
    cancelUndoRoute(deps),
    cancelQuoteRoute(deps),
    listOrderRoute(deps),
    createClientRoute(deps),
    listEventsRoute(deps),
    listClientsRoute(deps),
    listSubscriptionsRoute(deps),
    subscriptionDetailRoute(deps),
    pleskAutoRenewRoute(deps),
    ftpPasswordRoute(deps),
    pleskActionsRoute(deps),
    pleskLoginRoute(deps),
  ]
}
