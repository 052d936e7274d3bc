/** What the gateway knows of a request; subgraph fetches read it. */
export interface GatewayContext {
  requestId: string;
}
