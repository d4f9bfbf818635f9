'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import type { CurrentUser } from '@/lib/api/types';

interface NavItem {
  href: string;
  label: string;
}

const SIGNED_IN: NavItem[] = [
  { href: '/tickets/new', label: 'Sell tickets' },
  { href: '/listings', label: 'My listings' },
  { href: '/payouts', label: 'Payouts' },
  { href: '/orders', label: 'My orders' },
  { href: '/account', label: 'Account' },
];

const SIGNED_OUT: NavItem[] = [
  { href: '/auth/signin', label: 'Sign in' },
  { href: '/auth/signup', label: 'Sign up' },
];

/** The navigation bar; it knows who is signed in from the server's render of the layout. */
export function SiteHeader({ currentUser }: { currentUser: CurrentUser | null }) {
  const pathname = usePathname();
  const [expanded, setExpanded] = useState(false);
  const items = currentUser ? SIGNED_IN : SIGNED_OUT;

  return (
    <header>
      <nav className="navbar navbar-expand-md navbar-dark bg-dark" aria-label="Main">
        <div className="container">
          <Link href="/" className="navbar-brand fw-bold" onClick={() => setExpanded(false)}>
            Ticketing
          </Link>
          <button
            className="navbar-toggler"
            type="button"
            aria-controls="main-nav"
            aria-expanded={expanded}
            aria-label="Toggle navigation"
            onClick={() => setExpanded((open) => !open)}
          >
            <span className="navbar-toggler-icon" />
          </button>
          <div id="main-nav" className={`collapse navbar-collapse${expanded ? ' show' : ''}`}>
            <ul className="navbar-nav ms-auto align-items-md-center">
              {items.map((item) => {
                const active = pathname === item.href;
                return (
                  <li key={item.href} className="nav-item">
                    <Link
                      href={item.href}
                      className={`nav-link${active ? ' active' : ''}`}
                      aria-current={active ? 'page' : undefined}
                      onClick={() => setExpanded(false)}
                    >
                      {item.label}
                    </Link>
                  </li>
                );
              })}
              {currentUser ? (
                <>
                  <li className="nav-item">
                    <span className="navbar-text mx-md-2 small" data-testid="signed-in-as">
                      Signed in as <strong>{currentUser.email}</strong>
                    </span>
                  </li>
                  <li className="nav-item">
                    <Link
                      href="/auth/signout"
                      className="nav-link"
                      prefetch={false}
                      onClick={() => setExpanded(false)}
                    >
                      Sign out
                    </Link>
                  </li>
                </>
              ) : null}
            </ul>
          </div>
        </div>
      </nav>
    </header>
  );
}
