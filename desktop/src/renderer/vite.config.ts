import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv, type Plugin } from 'vite';
import { RENDERER_CSP_META } from '../../../shared/src/api/transport.ts';

// No node: imports here, so this file type-checks with the renderer's DOM-only settings.
const here = (path: string) => decodeURIComponent(new URL(path, import.meta.url).pathname);
const root = here('.');

// The built app runs under a strict CSP: no inline scripts, no eval, styles only from files.
// Dev mode injects an inline React Refresh preamble, so the meta tag is added to builds only.
const CSP = RENDERER_CSP_META;

function contentSecurityPolicy(): Plugin {
  return {
    name: 'vmp-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' },
    ],
  };
}

export default defineConfig(({ mode }) => {
  const host = loadEnv(mode, root, 'VMP_').VMP_HOST ?? 'http://127.0.0.1:5170';
  return {
    root,
    base: './',
    plugins: [react(), contentSecurityPolicy()],
    build: {
      outDir: here('../../dist/renderer'),
      emptyOutDir: true,
      // Electron and current browsers only.
      target: 'es2022',
      // Data URLs for small assets would need a looser CSP.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
    },
    server: {
      // `npm run dev` talks to a running `vmp serve` (default port) for the API and media.
      proxy: {
        '/api': { target: host, ws: true },
        '/media': { target: host },
      },
    },
  };
});
