// Builds the two entry points into kiosk-ui/dist/ (served by the gateway): the resident app at `/` and the
// console at `/console/`. JSX goes through Vite 8's own oxc transform; @preact/preset-vite is not needed
// (it would add Babel for dev-time extras only).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { handleMockApi } from './mock/api.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** `npm run dev -w kiosk-ui` answers /api/* from fixtures, so the UI runs without a gateway. */
function mockApi(): Plugin {
  return {
    name: 'noodsteun:mock-api',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!handleMockApi(req, res)) next();
      });
    },
  };
}

/** The no-JS fallback links `/fallback.css`: emit it under a stable, unhashed name. */
function fallbackCss(): Plugin {
  return {
    name: 'noodsteun:fallback-css',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'fallback.css', source: readFileSync(here('./src/shared/fallback.css'), 'utf8') });
    },
  };
}

export default defineConfig({
  root: here('.'),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [mockApi(), fallbackCss()],
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    rolldownOptions: {
      input: { resident: here('./index.html'), console: here('./console/index.html') },
    },
  },
});
