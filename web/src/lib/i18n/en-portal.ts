// Copy of the portal's business pages (dashboard, servers, orders, balance, plesk,
// notifications), kept apart from en.ts so those features edit their own file. Reached as `t.portal`.
export const portal = {} as const
