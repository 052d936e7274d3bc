import type { Identity } from '@onestop/platform/gateway';

/** What the gateway knows of a request; plugins and subgraph fetches read it. */
export interface GatewayContext {
  requestId: string;
  /** The caller verified from its bearer token; undefined for an anonymous request. */
  identity?: Identity;
  /** Who to count a request against (rate limits): the identity's role and subject, else the client address. */
  clientId: string;
  /** When the caller's token expires, ms since the epoch (a subscription's socket is closed then). */
  expiresAt?: number;
  /**
   * Set by the subscription server only, on the queries a subscription runs once its own text passed the persisted
   * operations' allowlist: those queries are its translation, not the caller's text, and are not checked again.
   */
  allowlistedSubscription?: boolean;
}
