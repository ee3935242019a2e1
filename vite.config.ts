import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';

/** The app reports the same version as the CLI: package.json's, injected at build time. */
const { version } = JSON.parse(
  readFileSync(new URL('./package.json', import.meta.url), 'utf8'),
) as {
  version: string;
};

/**
 * Where the page may fetch from besides itself: the Hugging Face endpoint and the storage hosts its
 * `resolve` redirects to (cdn-lfs.hf.co, cas-bridge.xethub.hf.co, us.aws.cdn.hf.co: all under
 * hf.co; older files under huggingface.co), for "Open from Hugging Face"; and this machine
 * (127.0.0.1, localhost: `ckptscope view` and local mirrors). Nothing else: a local scan makes no
 * request at all, and a remote one can only read from these.
 */
const REMOTE_SOURCES = [
  'https://huggingface.co',
  'https://*.huggingface.co',
  'https://*.hf.co',
  'http://127.0.0.1:*',
  'http://localhost:*',
];

/**
 * Privacy by construction: the built page may talk to its own origin and REMOTE_SOURCES only, so a
 * scan cannot send a byte anywhere else even by mistake. (Added at build time only: the dev server
 * injects inline scripts.)
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  `connect-src 'self' blob: data: ${REMOTE_SOURCES.join(' ')}`,
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'ckptscope-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  define: { CKPTSCOPE_VERSION: JSON.stringify(version) },
  plugins: [react(), contentSecurityPolicy()],
  // Relative asset URLs: the built app works from any path, including a file server sub-folder.
  base: './',
  build: {
    // dist/cli holds the bundled CLI; keep the web build beside it, not over it.
    // CKPTSCOPE_WEB_OUT lets parallel builds (a second checkout's e2e run) use their own folder.
    outDir: process.env.CKPTSCOPE_WEB_OUT ?? 'dist/web',
    emptyOutDir: true,
    target: 'es2022',
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
});
