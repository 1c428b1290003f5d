/**
 * The embedded runtime's public entry: a local Azure Functions + Durable host that loads the app's
 * registrations (the same src/index.ts that Azure loads) and runs them through the real `@azure/functions`
 * invocation model and the real `durable-functions` replay engine. See docs/local-host.md.
 */
import './host/install-core';

export { startLocalHost, type LocalHost, type LocalHostOptions } from './host/local-host';
export type { ClockControl } from './host/clock';
export type { FunctionSummary } from './host/registry';
export { DurableApiError } from './host/engine';
export {
  HistoryEventType,
  historyEventName,
  ActionType,
  type HistoryEvent,
  type OrchestrationStatus,
  type RuntimeStatus,
} from './host/types';
export { parseSchedule } from './host/timer-triggers';
