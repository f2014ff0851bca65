import type { RouteObject } from 'react-router'

/** The public pages: login (with the 2FA step), signup, the e-mail links, password reset. */
export const authRoutes: RouteObject[] = [
  { path: 'login', lazy: async () => ({ Component: (await import('./LoginPage.tsx')).LoginPage }) },
  { path: 'signup', lazy: async () => ({ Component: (await import('./SignupPage.tsx')).SignupPage }) },
  { path: 'verify-email', lazy: async () => ({ Component: (await import('./VerifyEmailPage.tsx')).VerifyEmailPage }) },
  {
    path: 'forgot-password',
    lazy: async () => ({ Component: (await import('./ForgotPasswordPage.tsx')).ForgotPasswordPage }),
  },
  {
    path: 'reset-password',
    lazy: async () => ({ Component: (await import('./ResetPasswordPage.tsx')).ResetPasswordPage }),
  },
]
