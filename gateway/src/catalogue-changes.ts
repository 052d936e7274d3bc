import os from 'node:os';
import { notificationTopic, Subscription, Transport } from '@onestop/platform/gateway';

/** The channel single-window publishes catalogue changes on (its `updateProcedure`, through its outbox). */
export const CATALOGUE_CHANNEL = 'procedure-catalogue';

/**
 * Calls `onChange` for every catalogue change single-window publishes: a consumer group of this process's own,
 * starting at the end of the topic, like the status feed. A message only triggers dropping cached answers, so its
 * content is not trusted or even read. Stopping does not close the transport (its owner does).
 */
export async function followCatalogueChanges(transport: Transport, onChange: () => void): Promise<Subscription> {
  const topic = notificationTopic(CATALOGUE_CHANNEL);
  await transport.ensureTopics([topic]);
  return transport.consume({
    groupId: `onestop-gateway-catalogue-${os.hostname()}-${process.pid}`,
    topics: [topic],
    fromLatest: true,
    handleBatch: async (messages) => {
      if (messages.length) onChange();
    },
  });
}
