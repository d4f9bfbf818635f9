/**
 * The JSON shapes of the HTTP contract (docs/architecture.md, "HTTP API"), as the services answer them
 * through the gateway: what the bench, the fault suite and the whole-backend tests read. Dates arrive as
 * ISO-8601 strings. (The Next.js client keeps its own copy in client/lib/api/types.ts: its image is built
 * from client/ alone, without this package.)
 */
import type { SerializedError } from '../errors/custom-error';
import type { EventData } from '../events/events';
import type { ChargeStatus, OrderStatus, Subjects } from '../events/subjects';
import type { UserPayload } from '../middlewares/current-user';

/** Sign-up, sign-in and password change answer the account: `{id, email}`, never the password hash. */
export type UserJson = UserPayload;

/** `GET /api/users/currentuser`: the session's user (with its token's times), or null when signed out. */
export interface CurrentUserJson {
  currentUser: (UserJson & { iat?: number; exp?: number }) | null;
}

export interface Credentials {
  email: string;
  password: string;
}

/**
 * A listing: exactly what `ticket.created` / `ticket.updated` carry (`id`, `version`, `title`, `price` in
 * dollars, `userId` the seller, `status`, and `orderId` while an order holds it or once that order bought
 * it; the tickets service builds both from one document), plus when the seller listed it.
 */
export type TicketJson = EventData<typeof Subjects.TicketUpdated> & { createdAt: string };

/** What `POST /api/tickets` and `PUT /api/tickets/:id` take. */
export interface TicketInput {
  title: string;
  price: number;
}

/** Why an order ended without a sale, and what the buyer reads (e.g. "The price changed to $30"). */
export interface CancellationJson {
  reason: 'cancelled' | 'expired' | 'declined' | 'price-changed' | 'sold';
  message: string;
}

export interface OrderJson {
  id: string;
  /** The buyer. */
  userId: string;
  status: OrderStatus;
  /** When the hold on the ticket ends unless the order is paid. */
  expiresAt: string;
  version: number;
  /** The listing as it was when ordered: its price is what the buyer pays. */
  ticket: Pick<TicketJson, 'id' | 'title' | 'price'>;
  createdAt: string;
  /** Once cancelled. */
  cancellation?: CancellationJson;
  /** The payment raced a cancellation and the money went back. */
  refunded?: true;
}

/** `POST /api/payments` answers the charge (201) once the card was charged. */
export interface ChargeJson {
  id: string;
  orderId: string;
  status: ChargeStatus;
  /** Integer cents. */
  amount: number;
  currency: 'usd';
  /** The processor's charge id. */
  stripeId?: string;
}

/** Every 4xx/5xx: `{errors: [{message, field?}]}`, never a stack trace. */
export interface ErrorsJson {
  errors: SerializedError[];
}

/** `?page=&limit=` of the ticket lists (20 a page by default, at most 100); `X-Next-Page` names the next. */
export interface PageQuery {
  page?: number;
  limit?: number;
}
