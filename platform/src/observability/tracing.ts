import type { IncomingMessage } from 'node:http';
import { setTraceFields } from './logger';

export interface Tracing {
  /** Flushes the spans not yet exported and stops. */
  shutdown(): Promise<void>;
}

let activeTraceId: (() => string | undefined) | undefined;

/** The trace id of the active span, when tracing is on (else undefined, at the cost of one check). */
export function currentTraceId(): string | undefined {
  return activeTraceId?.();
}

/** Where spans go: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces; none: off. */
export function tracingEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return undefined;
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

const UNTRACED_PATHS = new Set(['/health', '/ready', '/metrics']);
const pathOf = (url: string | undefined) => (url ?? '/').split(/[?#]/, 1)[0];

let started: Tracing | undefined;

/**
 * OpenTelemetry traces over OTLP/HTTP when an endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT, …; the exporter
 * reads OTEL_EXPORTER_OTLP_HEADERS and the like itself): spans for incoming and outgoing HTTP (node:http) and undici
 * fetches (the gateway's subgraph calls), W3C `traceparent` propagated on each, plus @apollo/gateway's own spans.
 * Without an endpoint nothing is loaded: the SDK is required here only when it is on. Call it before the servers start.
 */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (started) return started;
  const url = tracingEndpoint(env);
  if (!url) return undefined;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const { NodeTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
  const { detectResources, envDetector, resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const resource = resourceFromAttributes({ 'service.name': `onestop-${service}`, 'service.namespace': 'onestop' })
    .merge(detectResources({ detectors: [envDetector] })) // OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME win
    .merge(resourceFromAttributes(env.OTEL_SERVICE_NAME ? { 'service.name': env.OTEL_SERVICE_NAME } : {}));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))] });
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req: IncomingMessage) => UNTRACED_PATHS.has(pathOf(req.url)) }),
      new UndiciInstrumentation({ ignoreRequestHook: (request) => UNTRACED_PATHS.has(pathOf(request.path)) }),
    ],
  });
  // node:http was loaded long before (the platform imports it): instrumentations patch a module when it is next
  // required, so require it now, or servers and clients made from the copy already loaded would go untraced
  /* eslint-disable @typescript-eslint/no-require-imports */
  require('node:http');
  require('node:https');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const ids = () => {
    const span = api.trace.getSpan(api.context.active());
    const context = span?.spanContext();
    return context && api.isSpanContextValid(context) ? context : undefined;
  };
  activeTraceId = () => ids()?.traceId;
  setTraceFields(() => {
    const context = ids();
    return context && { traceId: context.traceId, spanId: context.spanId };
  });
  started = {
    async shutdown() {
      unregister();
      setTraceFields(undefined);
      activeTraceId = undefined;
      started = undefined;
      await provider.shutdown().catch(() => undefined); // spans that cannot be delivered now are dropped
    },
  };
  return started;
}
