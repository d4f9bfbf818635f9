import 'bootstrap/dist/css/bootstrap.min.css';
import './globals.css';
import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { SiteHeader } from '@/components/site-header';
import { getCurrentUser } from '@/lib/api/server';
import type { CurrentUser } from '@/lib/api/types';

export const metadata: Metadata = {
  title: { default: 'Ticketing', template: '%s · Ticketing' },
  description: 'Buy and sell tickets to events, safely held while you pay.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The header is not worth failing every page for: if auth cannot answer, show it signed out.
  const currentUser: CurrentUser | null = await getCurrentUser().catch(() => null);
  return (
    <html lang="en">
      <body className="d-flex flex-column min-vh-100">
        <a href="#main" className="visually-hidden-focusable btn btn-light m-2 position-absolute">
          Skip to content
        </a>
        <SiteHeader currentUser={currentUser} />
        <main id="main" className="container py-4 flex-grow-1" tabIndex={-1}>
          {children}
        </main>
        <footer className="border-top py-3 text-center text-body-secondary small">
          Ticketing — resale tickets, held for you while you pay.
        </footer>
      </body>
    </html>
  );
}
