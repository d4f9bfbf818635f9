'use client';
import { useSyncExternalStore } from 'react';

function subscribe(onTick: () => void) {
  const id = setInterval(onTick, 250);
  return () => clearInterval(id);
}

// Quarter seconds: the snapshot must stay the same between two reads in one render, and a countdown
// shown in whole seconds is then never more than a quarter second off.
const getSnapshot = () => Math.floor(Date.now() / 250) * 250;

// On the server and while hydrating there is no "now": the server's clock and the browser's differ,
// and text built from either would not match the other's.
const getServerSnapshot = () => null;

/** The browser's clock (to a quarter second), or null until the page is hydrated. */
export function useNow(): number | null {
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}
