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
}
