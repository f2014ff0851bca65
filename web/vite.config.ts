import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

const here = fileURLToPath(new URL('.', import.meta.url))

// The portal is served by oxbill itself at `/` (src/http/web.ts), so the build is plain static
// files; `npm run build:web` writes them to web/dist. `vite -c web/vite.config.ts` (dev server)
// proxies the API to a running `npm start` on :8080.
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: `${here}dist`,
    emptyOutDir: true,
    sourcemap: true,
    // Module preload is in the entry chunk; no inline script, so the CSP can be script-src 'self'.
    modulePreload: { polyfill: true },
    chunkSizeWarningLimit: 800,
    // The default target (baseline browsers) keeps the top-level await of noVNC's
    // core/util/browser.js as is; the console page's chunk needs no target or optimizeDeps setting.
  },
  server: {
    proxy: {
      '/API': 'http://127.0.0.1:8080',
      '/docs': 'http://127.0.0.1:8080',
      '/openapi.json': 'http://127.0.0.1:8080',
      '/dev': 'http://127.0.0.1:8080',
    },
  },
})
