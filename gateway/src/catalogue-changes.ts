import { Subscription, Transport } from '@onestop/platform/gateway';
import { followNotifications } from './notification-feed';

/** The channel single-window publishes catalogue changes on (its `updateProcedure`, through its outbox). */
export const CATALOGUE_CHANNEL = 'procedure-catalogue';

/**
 * Calls `onChange` for every catalogue change single-window publishes. A message only triggers dropping cached
 * answers, so its content is not trusted or even read.
 */
export function followCatalogueChanges(transport: Transport, onChange: () => void): Promise<Subscription> {
  return followNotifications(transport, CATALOGUE_CHANNEL, async (messages) => {
    if (messages.length) onChange();
  });
}
