/**
 * The local ARM emulator: `startEmulator()` serves the resource providers in `providers/` over HTTP on
 * 127.0.0.1 and returns its URL, its context (store, operations, settings) and the test controls.
 */
import type { Server } from 'node:http';
import type { ArmResource, EmulatorContext, EmulatorSettings, Provider } from './core/types';
import { EmulatorEngine } from './core/engine';
import { createHttpServer, listen, closeServer } from './core/server';
import { createControl, handleControlRequest, type EmulatorControl } from './core/control';
import type { Estate } from './core/estate';
import type { SettingsPatch } from './core/settings';
import { allProviders } from './providers';

export type { EmulatorControl } from './core/control';
export type { Estate } from './core/estate';
export type { FaultSpec } from './core/faults';
export type { OperationFault } from './core/lro';
export type { RequestLogEntry } from './core/request-log';
export type { ConnectivityResult } from './oracle/connectivity';
export { EmulatorEngine } from './core/engine';
export { defaultSettings } from './core/settings';

export interface StartEmulatorOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** An estate object or the path of an estate JSON file. */
  estate?: Estate | { resources: ArmResource[] } | string;
  settings?: Partial<EmulatorSettings> | SettingsPatch;
  /** Override the providers (defaults to every provider in emulator/providers). */
  providers?: Provider[];
}

export interface RunningEmulator {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  ctx: EmulatorContext;
  control: EmulatorControl;
  engine: EmulatorEngine;
  close(): Promise<void>;
}

/** Builds the engine (providers, estate, settings) without a socket. */
export function createEngine(options: StartEmulatorOptions = {}): EmulatorEngine {
  return new EmulatorEngine({
    providers: options.providers ?? allProviders(),
    estate: options.estate as Estate | string | undefined,
    settings: options.settings as SettingsPatch | undefined,
    control: handleControlRequest,
  });
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const engine = createEngine(options);
  const server: Server = createHttpServer(engine);
  const port = await listen(server, options.port ?? 0);
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    ctx: engine.ctx,
    control: createControl(engine),
    engine,
    close: async () => {
      if (closed) return;
      closed = true;
      await closeServer(server);
    },
  };
}
