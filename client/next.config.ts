import path from 'node:path';
import type { NextConfig } from 'next';

// The monorepo root: npm workspaces hoist `next` and every dependency into its node_modules.
const workspaceRoot = path.join(__dirname, '..');

const nextConfig: NextConfig = {
  // A container image is built with NEXT_OUTPUT=standalone (`node .next/standalone/client/server.js`,
  // only the files it needs); on one machine `next start` serves the ordinary build.
  output: process.env.NEXT_OUTPUT === 'standalone' ? 'standalone' : undefined,
  reactStrictMode: true,
  poweredByHeader: false,
  turbopack: { root: workspaceRoot },
  // `next build` type-checks the app alone; `npm run typecheck` checks it with its tests and e2e/.
  typescript: { tsconfigPath: 'tsconfig.app.json' },
  outputFileTracingRoot: workspaceRoot,
  // Browsers ask for /favicon.ico when a page has not (yet) named its icon, e.g. mid-navigation: the
  // app's SVG icon answers, instead of a 404 in the console.
  async rewrites() {
    return [{ source: '/favicon.ico', destination: '/icon.svg' }];
  },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
        ],
      },
    ];
  },
};

export default nextConfig;
