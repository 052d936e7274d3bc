import type { ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';

/**
 * A government deployment must not phone home: no usage or schema reporting to Apollo, and
 * @apollo/gateway's hourly anonymous metrics off (it reads APOLLO_TELEMETRY_DISABLED when constructed).
 */
export function useTelemetryOff(): ApolloServerPlugin[] {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  return [ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled()];
}
