import os from 'node:os';
import { ConsumeOptions, notificationTopic, Subscription, Transport } from '@onestop/platform/gateway';

/**
 * Live events of one notification channel for this gateway process: a consumer group of its own, starting at the end
 * of the topic, so every gateway replica sees every event once. Stopping does not close the transport.
 */
export async function followNotifications(transport: Transport, channel: string, handleBatch: ConsumeOptions['handleBatch']): Promise<Subscription> {
  const topic = notificationTopic(channel);
  await transport.ensureTopics([topic]);
  return transport.consume({ groupId: `onestop-gateway-${channel}-${os.hostname()}-${process.pid}`, topics: [topic], fromLatest: true, handleBatch });
}
