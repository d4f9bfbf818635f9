import { PageLoading } from '@/components/page-loading';

// Only pages that need JavaScript anyway stream a loading state: the lists of events and tickets, an
// event's page and a ticket's page render in one piece, so they read the same with JavaScript off.
export default function Loading() {
  return <PageLoading label="Loading your listings…" />;
}
